"""HTTP for the audit log (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from shopcrm.audit import service
from shopcrm.audit.schemas import AuditEntryOut, AuditPage, AuditQuery
from shopcrm.auth.deps import AdminUser
from shopcrm.core.deps import Cursors, ReadSession

router = APIRouter(prefix="/api/audit-log", tags=["audit"])


@router.get(
    "",
    response_model=AuditPage,
    name="list",
)
async def list_entries(
    query: Annotated[AuditQuery, Query()], _: AdminUser, db: ReadSession, cursors: Cursors
) -> AuditPage:
    page, total, exact = await service.entries(
        db, action=query.action, limit=query.limit, cursor=query.cursor, cursors=cursors
    )
    return AuditPage(
        items=[AuditEntryOut.model_validate(row.AuditEntry) for row in page.rows],
        total=total,
        total_exact=exact,
        limit=query.limit,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )
