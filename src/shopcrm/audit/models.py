"""The audit log: who did what to which record, when, and how many rows it touched."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Identity, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shopcrm.db import Base, BigId, UTCDateTime, utcnow


class AuditEntry(Base):
    """One audited action. Append-only. `details` must never hold personal data of customers (it outlives an
    erasure): ids, counts and choices only. The actor's email is copied, so the row still says who it was
    after the user is renamed or deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))
    actor_email: Mapped[str | None] = mapped_column(String(254))
    # A dotted id such as customer.export, customer.erase, import.start (free text: each domain names its own).
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(BigInteger)
    row_count: Mapped[int | None] = mapped_column(BigInteger)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        # Newest first (keyset on id), and newest first within one action.
        Index("ix_audit_log_action_id", "action", "id"),
        Index("ix_audit_log_target", "target_type", "target_id"),
        Index(
            "ix_audit_log_actor_user_id",
            "actor_user_id",
            postgresql_where=text("actor_user_id IS NOT NULL"),
            sqlite_where=text("actor_user_id IS NOT NULL"),
        ),
    )
