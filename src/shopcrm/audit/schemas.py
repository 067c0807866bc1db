"""What the audit log endpoint takes and returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shopcrm.core.pagination import CURSOR_PATTERN, MAX_CURSOR_LENGTH

ACTION_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str | None = Field(
        default=None, max_length=64, pattern=ACTION_PATTERN, description="Only this action, e.g. customer.erase"
    )
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="From a previous page's next_cursor (signed by the server)",
    )


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    actor_user_id: int | None
    actor_email: str | None
    action: str
    target_type: str | None
    target_id: int | None
    row_count: int | None
    details: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    total: int = Field(description="Matching entries; a lower bound when total_exact is false")
    total_exact: bool
    limit: int
    next_cursor: str | None = Field(description="Older entries; null on the last page")
    prev_cursor: str | None
