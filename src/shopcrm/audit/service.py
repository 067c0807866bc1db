"""Writing and reading the audit log. `record` adds its row to the caller's transaction, so an action and
its audit row commit (or roll back) together."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.audit.models import AuditEntry
from shopcrm.auth.models import User
from shopcrm.core.counting import capped_count
from shopcrm.core.pagination import CursorCodec, Page, SortKey, keyset_page
from shopcrm.db import utcnow

NEWEST_FIRST = SortKey((AuditEntry.id,), unique=True)


async def record(
    session: AsyncSession,
    *,
    actor: User | None,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    row_count: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry (`actor` None for a process). `details`: ids, counts and choices, never personal data."""
    entry = AuditEntry(
        at=utcnow(),
        actor_user_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        row_count=row_count,
        details=details,
    )
    session.add(entry)
    await session.flush()
    return entry


async def entries(
    session: AsyncSession, *, action: str | None, limit: int, cursor: str | None, cursors: CursorCodec
) -> tuple[Page, int, bool]:
    """A page of the log, newest first, optionally of one action, and the (capped) number of entries."""
    conditions = [AuditEntry.action == action] if action is not None else []
    page = await keyset_page(
        session,
        select(AuditEntry).where(*conditions),
        key=NEWEST_FIRST,
        id_col=AuditEntry.id,
        sort="audit",
        direction="desc",
        limit=limit,
        cursor=cursor,
        codec=cursors,
    )
    total, exact = await capped_count(session, select(AuditEntry.id).where(*conditions))
    return page, total, exact
