"""Import rules: a stored upload becomes an import (sniffed, previewed, its mapping guessed), a mapping is
checked before the import is queued, and an import's figures are derived for the progress bar."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.audit import service as audit
from shopcrm.auth.models import User
from shopcrm.config import Settings
from shopcrm.core.csv_export import csv_lines
from shopcrm.core.errors import Conflict, InvalidInput, NotFound
from shopcrm.db import utcnow
from shopcrm.imports import fields as catalog
from shopcrm.imports import reader
from shopcrm.imports.jobs import file_path
from shopcrm.imports.models import FINISHED, DataImport, ImportKind, ImportProblem, ImportStatus
from shopcrm.imports.schemas import ImportDetail, ImportFieldOut, ImportOut, ImportPresetOut, ImportStart

ERROR_COLUMNS = ("row", "column", "value", "reason")
ERRORS_BATCH = 2_000


def presets() -> list[ImportPresetOut]:
    return [ImportPresetOut(id=p.id, label=p.label, kind=p.kind, description=p.description) for p in catalog.PRESETS]


def fields(kind: ImportKind) -> list[ImportFieldOut]:
    return [ImportFieldOut(id=f.id, label=f.label, required=f.required, help=f.help) for f in catalog.FIELDS[kind]]


async def create_import(
    session: AsyncSession, *, settings: Settings, kind: ImportKind, filename: str, file_key: str, size: int, user: User
) -> tuple[DataImport, list[list[str]]]:
    """The import of a stored file, with its preview; a file that cannot be imported is a 422 (and deleted)."""
    path = file_path(settings, file_key)
    try:
        sniffed = await asyncio.to_thread(reader.sniff, path)
        rows = await asyncio.to_thread(
            reader.preview,
            path,
            delimiter=sniffed.delimiter,
            data_offset=sniffed.data_offset,
            width=len(sniffed.headers),
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    preset = catalog.guess_preset(kind, sniffed.headers)
    mapping = (
        catalog.preset_mapping(preset, sniffed.headers) if preset else catalog.guess_mapping(kind, sniffed.headers)
    )
    imp = DataImport(
        kind=kind.value,
        status=ImportStatus.uploaded.value,
        filename=filename,
        file_key=file_key,
        file_bytes=size,
        encoding=sniffed.encoding,
        delimiter=sniffed.delimiter,
        headers=sniffed.headers,
        data_offset=sniffed.data_offset,
        byte_offset=sniffed.data_offset,
        next_row=2,
        preset=preset.id if preset else None,
        mapping=mapping,
        rows_total=sniffed.rows_total,
        rows_done=0,
        rows_imported=0,
        rows_unchanged=0,
        rows_failed=0,
        created_by=user.id,
    )
    session.add(imp)
    await session.flush()
    return imp, rows


async def get_import(session: AsyncSession, import_id: int, *, lock: bool = False) -> DataImport:
    query = select(DataImport).where(DataImport.id == import_id)
    imp = (await session.execute(query.with_for_update() if lock else query)).scalar_one_or_none()
    if imp is None:
        raise NotFound("No such import")
    return imp


async def list_imports(session: AsyncSession, *, limit: int, before: int | None) -> tuple[list[DataImport], int]:
    """Newest first, `limit` of them (before the import `before`), and how many there are in all."""
    query = select(DataImport).order_by(DataImport.id.desc()).limit(limit)
    if before is not None:
        query = query.where(DataImport.id < before)
    items = list((await session.execute(query)).scalars())
    total = await session.scalar(select(func.count()).select_from(DataImport)) or 0
    return items, total


def _required_missing(kind: ImportKind, mapping: dict[str, str | None]) -> list[str]:
    taken = {f for f in mapping.values() if f}
    return [f for f in catalog.REQUIRED[kind] if f not in taken]


async def start_import(
    session: AsyncSession, *, import_id: int, body: ImportStart, user: User | None = None
) -> DataImport:
    """Queue an uploaded import with its mapping; a 422 naming what is missing or wrong."""
    imp = await get_import(session, import_id, lock=True)
    if imp.status != ImportStatus.uploaded:
        raise Conflict(f"This import is {imp.status}: only an uploaded import can be started")
    kind = ImportKind(imp.kind)
    mapping = _validated_mapping(imp, body)
    if body.preset is not None:
        preset = catalog.PRESETS_BY_ID.get(body.preset)
        if preset is None or preset.kind != kind:
            raise InvalidInput(f"preset: no {kind.value} preset called {body.preset!r}", loc=["body", "preset"])
    options = body.options
    taken = {f for f in mapping.values() if f}
    if kind == ImportKind.orders:
        simple = body.preset == "orders_simple" or not taken & {"sku", "product_name"}
        if simple and not options.product_sku:
            raise InvalidInput(
                "options.product_sku: name the product the order totals are booked against, or map a SKU or "
                "product name column",
                loc=["body", "options", "product_sku"],
            )
        if not simple and "price" not in taken:
            raise InvalidInput("mapping: price (the unit price of a line) is not mapped", loc=["body", "mapping"])
        if simple and "total" not in taken:
            raise InvalidInput("mapping: total (the order total) is not mapped", loc=["body", "mapping"])
        if not simple:
            options = options.model_copy(update={"product_sku": None, "product_name": None})
    imp.mapping = mapping
    imp.preset = body.preset
    imp.options = options.model_dump(mode="json", exclude_none=True)
    imp.status = ImportStatus.queued.value
    await session.flush()
    await audit.record(
        session,
        actor=user,
        action="import.start",
        target_type="import",
        target_id=imp.id,
        details={"kind": imp.kind, "preset": imp.preset},
    )
    return imp


def _validated_mapping(imp: DataImport, body: ImportStart) -> dict[str, str | None]:
    kind = ImportKind(imp.kind)
    known = catalog.FIELD_IDS[kind]
    headers = set(imp.headers)
    mapping: dict[str, str | None] = dict.fromkeys(imp.headers)
    taken: dict[str, str] = {}
    for header, field_id in body.mapping.items():
        loc: list[str | int] = ["body", "mapping", header]
        if header not in headers:
            raise InvalidInput(f"mapping: {header!r} is not a column of this file", loc=loc)
        if field_id is None:
            continue
        if field_id not in known:
            raise InvalidInput(f"mapping: {field_id!r} is not a field of a {kind.value} import", loc=loc)
        if field_id in taken:
            raise InvalidInput(f"mapping: {field_id} is already mapped from column {taken[field_id]!r}", loc=loc)
        taken[field_id] = header
        mapping[header] = field_id
    missing = _required_missing(kind, mapping)
    if missing:
        message = "mapping: required field(s) not mapped: " + ", ".join(missing)
        error = InvalidInput(message, loc=["body", "mapping"])
        error.details = [
            {"loc": ["body", "mapping"], "message": f"{f}: required field not mapped", "type": "missing"}
            for f in missing
        ]
        raise error
    return mapping


async def cancel_import(session: AsyncSession, *, import_id: int) -> DataImport:
    """Cancel an import not yet running at once; a running one stops after its current chunk."""
    imp = await get_import(session, import_id, lock=True)
    status = ImportStatus(imp.status)
    if status in FINISHED:
        if status == ImportStatus.cancelled:
            return imp
        raise Conflict(f"This import is {status.value}: there is nothing to cancel")
    if status == ImportStatus.running:
        imp.cancel_requested = True  # the job sees it when its current chunk commits
    else:
        imp.status = ImportStatus.cancelled.value
        imp.finished_at = utcnow()
    await session.flush()
    return imp


async def user_names(session: AsyncSession, imports: list[DataImport]) -> dict[int, str]:
    ids = {i.created_by for i in imports if i.created_by is not None}
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.full_name, User.email).where(User.id.in_(ids)))
    return {uid: name or email for uid, name, email in rows}


def to_out(imp: DataImport, names: dict[int, str], *, now: dt.datetime | None = None) -> ImportOut:
    rate, left = _pace(imp, now or utcnow())
    return ImportOut(
        id=imp.id,
        status=ImportStatus(imp.status),
        kind=ImportKind(imp.kind),
        filename=imp.filename,
        preset=imp.preset,
        headers=list(imp.headers),
        mapping=dict(imp.mapping or {}),
        rows_total=imp.rows_total,
        rows_done=imp.rows_done,
        rows_imported=imp.rows_imported,
        rows_unchanged=imp.rows_unchanged,
        rows_failed=imp.rows_failed,
        rows_per_second=rate,
        seconds_left=left,
        error=imp.error,
        created_at=imp.created_at,
        started_at=imp.started_at,
        finished_at=imp.finished_at,
        created_by=names.get(imp.created_by) if imp.created_by is not None else None,
    )


def _pace(imp: DataImport, now: dt.datetime) -> tuple[float | None, int | None]:
    """Rows per second since the start, and the seconds left at that pace (bytes left when the row count is
    not known)."""
    if imp.started_at is None or imp.rows_done == 0:
        return None, None
    until = imp.finished_at or imp.progress_at or now
    seconds = (until - imp.started_at).total_seconds()
    if seconds <= 0:
        return None, None
    rate = imp.rows_done / seconds
    if imp.status != ImportStatus.running:
        return round(rate, 1), 0 if imp.status == ImportStatus.done else None
    if imp.rows_total is not None:
        left = (imp.rows_total - imp.rows_done) / rate
    else:
        done_bytes = imp.byte_offset - imp.data_offset
        left = (imp.file_bytes - imp.byte_offset) * seconds / done_bytes if done_bytes else 0
    return round(rate, 1), max(0, round(left))


async def detail(session: AsyncSession, imp: DataImport, settings: Settings) -> ImportDetail:
    """The import with the first rows of its file (while the file is kept: until the import ends)."""
    rows: list[list[str]] = []
    if ImportStatus(imp.status) not in FINISHED:
        rows = await asyncio.to_thread(_preview_if_kept, file_path(settings, imp.file_key), imp)
    out = to_out(imp, await user_names(session, [imp]))
    return ImportDetail(**out.model_dump(), preview=rows)


def _preview_if_kept(path: Path, imp: DataImport) -> list[list[str]]:
    if not path.is_file():
        return []
    return reader.preview(path, delimiter=imp.delimiter, data_offset=imp.data_offset, width=len(imp.headers))


async def errors_csv(conn: AsyncConnection, import_id: int) -> AsyncIterator[str]:
    """The import's problems as CSV (`row,column,value,reason`), in row order, through a server-side cursor.
    `conn` must be in a transaction (see `Capabilities.streaming_isolation`)."""
    yield csv_lines([ERROR_COLUMNS])
    query = (
        select(ImportProblem.row, ImportProblem.column, ImportProblem.value, ImportProblem.reason)
        .where(ImportProblem.import_id == import_id)
        .order_by(ImportProblem.row, ImportProblem.id)
        .execution_options(yield_per=ERRORS_BATCH)
    )
    result = await conn.stream(query)
    async for batch in result.partitions():
        yield csv_lines(batch)
