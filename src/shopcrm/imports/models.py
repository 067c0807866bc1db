"""Import tables: one row per uploaded file (its state, mapping, progress and who started it), and the rows of
it that could not be imported, with why."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Identity, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from shopcrm.db import Base, BigId, TimestampMixin, UTCDateTime


class ImportKind(enum.StrEnum):
    customers = "customers"
    orders = "orders"
    products = "products"


class ImportStatus(enum.StrEnum):
    uploaded = "uploaded"  # the file is stored and previewed; waiting for its mapping
    queued = "queued"  # started: waiting for a worker
    running = "running"
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


FINISHED = frozenset({ImportStatus.done, ImportStatus.failed, ImportStatus.cancelled})
_STATUSES = ", ".join(f"'{s.value}'" for s in ImportStatus)
_KINDS = ", ".join(f"'{k.value}'" for k in ImportKind)


class DataImport(TimestampMixin, Base):
    """An import of one CSV file. It is also the audit record of the import: who (`created_by`), what
    (kind, file name), when (created, started, finished) and how many rows did what."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ImportStatus.uploaded)
    filename: Mapped[str] = mapped_column(String(255))
    # The stored file is `<import_dir>/<file_key>.csv` (a random name: nothing from the client reaches a path).
    file_key: Mapped[str] = mapped_column(String(64), unique=True)
    file_bytes: Mapped[int] = mapped_column(BigInteger)
    encoding: Mapped[str] = mapped_column(String(16))  # utf-8 or utf-8-sig (with a byte order mark)
    delimiter: Mapped[str] = mapped_column(String(1))
    headers: Mapped[list[str]] = mapped_column(JSON)
    # Where the rows start and where the next chunk starts: a resumed import goes on from `byte_offset`.
    data_offset: Mapped[int] = mapped_column(BigInteger)
    byte_offset: Mapped[int] = mapped_column(BigInteger)
    next_row: Mapped[int] = mapped_column(Integer, default=2)  # the row number at `byte_offset` (header: 1)
    preset: Mapped[str | None] = mapped_column(String(32))
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)  # created or changed something
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)  # already there as the file says
    rows_failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))  # why the whole import stopped (never row data)
    created_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    progress_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # the last chunk's commit
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The worker running it and until when its claim holds; a claim not renewed in time is taken over.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUSES})", name="status_valid"),
        CheckConstraint(f"kind IN ({_KINDS})", name="kind_valid"),
        Index("ix_imports_status", "status", "id"),
        Index("ix_imports_created_by", "created_by"),
    )


class ImportProblem(Base):
    """A row of an import's file that was not imported: its row number as a spreadsheet shows it (the header
    is row 1), the column, the cell's value (cut to 200 characters) and the reason."""

    __tablename__ = "import_errors"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    import_id: Mapped[int] = mapped_column(BigId, ForeignKey("imports.id", ondelete="CASCADE"))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(300))

    __table_args__ = (Index("ix_import_errors_import_id", "import_id", "row", "id"),)
