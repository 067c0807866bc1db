"""The import job and the loop that runs it.

A started import is `queued`. A runner claims one (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so any number of
`shopcrm worker` processes share the queue, one worker per import), marks it `running` with a lease, and
reads the file from `byte_offset` in chunks. Each chunk is one transaction: its rows written, its problems
recorded, and the progress (offset, counts, a renewed lease) updated only while this runner still holds the
claim, so a crash or a lost claim leaves whole chunks and the next runner goes on from the last one. An
import whose lease ran out (its worker died) is claimed again like a queued one and resumes. A cancel asked
for while running is seen at the end of the chunk in progress, which is kept.

On SQLite `shopcrm serve` runs the loop in-process (main.py's lifespan), like the segment refresh.
The runner also deletes the files of finished imports (they hold customer data) and cancels uploads never
started within a day."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.audit import service as audit
from shopcrm.config import Settings
from shopcrm.core.engines import capabilities_of
from shopcrm.customers.statistics import refresh_statistics
from shopcrm.db import Database, utcnow
from shopcrm.imports import load_customers, load_orders, load_products, queries
from shopcrm.imports.chunk import Context, Options, Outcome, Row, insert_rows
from shopcrm.imports.models import FINISHED, DataImport, ImportKind, ImportStatus
from shopcrm.imports.reader import BadFile, records

log = logging.getLogger("shopcrm.imports.jobs")

LEASE = dt.timedelta(seconds=120)
POLL_SECONDS = 5.0
STOP_GRACE_SECONDS = 5.0
SWEEP_EVERY = dt.timedelta(minutes=10)
UNSTARTED_FOR = dt.timedelta(days=1)
# Rows per chunk: SQLite has one writer at a time, so its chunks are shorter (the API's writes wait less).
CHUNK_ROWS_EMBEDDED = 5_000
CHUNK_ROWS = 10_000


@dataclass(frozen=True)
class Loader:
    """A kind's chunk loader: `prepare` reads and checks the rows (CPU only, run in a thread outside the
    chunk's transaction, so SQLite's write lock is held only for the writes), `write` writes them."""

    prepare: Callable[[Context, list[Row]], tuple[Any, Outcome]]
    write: Callable[[AsyncSession, Context, Any, Outcome], Awaitable[Outcome]]


LOADERS: dict[ImportKind, Loader] = {
    ImportKind.customers: Loader(load_customers.prepare, load_customers.write),
    ImportKind.orders: Loader(load_orders.prepare, load_orders.write),
    ImportKind.products: Loader(load_products.prepare, load_products.write),
}


def file_path(settings: Settings, file_key: str) -> Path:
    return settings.import_dir / f"{file_key}.csv"


class LostClaim(Exception):
    """Another runner holds the import now, or it was finished meanwhile: this one stops, its chunk undone."""


def chunk_rows(settings: Settings) -> int:
    if settings.import_chunk_rows:
        return settings.import_chunk_rows
    return CHUNK_ROWS_EMBEDDED if capabilities_of(settings.database_url).embedded else CHUNK_ROWS


async def claim(database: Database, token: str, *, now: dt.datetime | None = None) -> int | None:
    """Take the oldest queued import, or a running one whose worker's lease ran out; its id, or None."""
    now = now or utcnow()
    claimable = or_(
        DataImport.status == ImportStatus.queued,
        and_(DataImport.status == ImportStatus.running, DataImport.lease_until < now),
    )
    async with database.transaction() as session:
        query = select(DataImport.id).where(claimable).order_by(DataImport.id).limit(1)
        if capabilities_of(session).skip_locked:
            query = query.with_for_update(skip_locked=True)
        import_id = await session.scalar(query)
        if import_id is None:
            return None
        taken = await session.execute(
            update(DataImport)
            .where(DataImport.id == import_id, claimable)
            .values(
                status=ImportStatus.running,
                claimed_by=token,
                lease_until=now + LEASE,
                started_at=func.coalesce(DataImport.started_at, now),
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        return import_id if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def _chunks(
    rows: Iterator[tuple[int, list[str], int]], size: int, key: int | None
) -> Generator[tuple[list[Row], int, int], None, None]:
    """(rows, offset after the last, the next row's number), `size` rows or a little more: with a `key`
    column (the order number) a chunk ends only between two keys, so an order's lines stay together (up to
    twice `size`, past which an order with that many lines is cut)."""
    batch: list[Row] = []
    end = next_row = 0
    for row, record, offset in rows:
        if batch and len(batch) >= size:
            same = key is not None and _at(record, key) == _at(batch[-1][1], key)
            if not same or len(batch) >= 2 * size:
                yield batch, end, next_row
                batch = []
        batch.append((row, record))
        end, next_row = offset, row + 1
    if batch:
        yield batch, end, next_row


def _at(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def context(imp: DataImport, settings: Settings, now: dt.datetime) -> Context:
    mapping = imp.mapping or {}
    options = imp.options or {}
    return Context(
        import_id=imp.id,
        kind=ImportKind(imp.kind),
        headers=list(imp.headers),
        columns={field: imp.headers.index(header) for header, field in mapping.items() if field},
        options=Options(
            product_sku=options.get("product_sku"),
            product_name=options.get("product_name"),
            default_status=options.get("default_status"),
        ),
        tz=ZoneInfo(settings.store_timezone),
        caps=capabilities_of(settings.database_url),
        now=now,
    )


async def run_import(database: Database, settings: Settings, import_id: int, token: str) -> str:
    """Run a claimed import to its end (or until cancelled or its claim is lost); its status then."""
    async with database.sessionmaker() as session:
        imp = await session.get(DataImport, import_id)  # detached, loaded, when the session closes
    if imp is None or imp.claimed_by != token or imp.status != ImportStatus.running:
        return "lost"
    ctx = context(imp, settings, utcnow())
    key = ctx.columns.get("order_number") if ctx.kind == ImportKind.orders else None
    chunks = _chunks(
        records(
            file_path(settings, imp.file_key), delimiter=imp.delimiter, start=imp.byte_offset, first_row=imp.next_row
        ),
        chunk_rows(settings),
        key,
    )
    loader = LOADERS[ctx.kind]
    done = None

    def read_and_prepare() -> Any:
        """The next chunk read and checked (CPU only, in a thread), or `done`."""
        chunk = next(chunks, done)
        if chunk is done:
            return done
        rows, end, next_row = chunk
        return (rows, end, next_row, *loader.prepare(ctx, rows))

    pending: asyncio.Future[Any] | None = None
    try:
        pending = asyncio.ensure_future(asyncio.to_thread(read_and_prepare))
        while True:
            chunk = await pending
            if chunk is done:
                pending = None
                await _finish(database, settings, imp, token, ImportStatus.done)
                await _refresh_statistics(database)
                return ImportStatus.done
            # The next chunk is read and checked while this one is written: the database and this process's
            # CPU work at once (measured on 200,000 Shopify lines into PostgreSQL: 60 s before, 56 s after).
            pending = asyncio.ensure_future(asyncio.to_thread(read_and_prepare))
            rows, end, next_row, prepared, checked = chunk
            if await _commit_chunk(database, ctx, token, rows, end, next_row, prepared, checked):
                await _finish(database, settings, imp, token, ImportStatus.cancelled)
                return ImportStatus.cancelled
    except LostClaim:
        log.info("import %d: claim lost (taken over or finished elsewhere); stopped", import_id)
        return "lost"
    except BadFile as exc:
        await _finish(database, settings, imp, token, ImportStatus.failed, error=exc.message)
        return ImportStatus.failed
    except Exception as exc:
        # Class and import id only: a message could quote a cell of the file.
        log.error("import %d failed: %s", import_id, type(exc).__name__)
        await _finish(
            database, settings, imp, token, ImportStatus.failed, error=f"internal error ({type(exc).__name__})"
        )
        return ImportStatus.failed
    finally:
        if pending is not None and not pending.done():
            # A chunk being read in its thread: the file is closed once it is through (its work is dropped).
            pending.add_done_callback(lambda _: chunks.close())
        else:
            chunks.close()


async def _commit_chunk(
    database: Database,
    ctx: Context,
    token: str,
    rows: list[Row],
    end: int,
    next_row: int,
    prepared: Any,
    checked: Outcome,
) -> bool:
    """One prepared chunk in one transaction; whether a cancel was asked for."""
    now = utcnow()
    chunk_ctx = dataclasses.replace(ctx, now=now)
    loader = LOADERS[ctx.kind]
    async with database.transaction() as session:
        if ctx.caps.plan_for_values is not None:
            # The write engine keeps generic plans, made once per connection: one made while the tables were
            # near empty scans them whole ever after (`order_number = ANY(...)` took most of a chunk's time
            # at 100,000 orders). A chunk's lookups are planned for its own values and the tables' size now.
            await session.execute(text(ctx.caps.plan_for_values))
        outcome = await loader.write(session, chunk_ctx, prepared, checked)
        if outcome.problems:
            await insert_rows(session, ctx.caps, queries.import_problems, outcome.problems)
        cancel = await session.scalar(
            update(DataImport)
            .where(
                DataImport.id == ctx.import_id,
                DataImport.claimed_by == token,
                DataImport.status == ImportStatus.running,
            )
            .values(
                rows_done=DataImport.rows_done + len(rows),
                rows_imported=DataImport.rows_imported + outcome.imported,
                rows_unchanged=DataImport.rows_unchanged + outcome.unchanged,
                rows_failed=DataImport.rows_failed + outcome.failed,
                byte_offset=end,
                next_row=next_row,
                progress_at=now,
                lease_until=now + LEASE,
                updated_at=now,
            )
            .returning(DataImport.cancel_requested)
            .execution_options(synchronize_session=False)
        )
        if cancel is None:
            raise LostClaim
    return bool(cancel)


async def _finish(
    database: Database,
    settings: Settings,
    imp: DataImport,
    token: str,
    status: ImportStatus,
    *,
    error: str | None = None,
) -> None:
    """The import's end, and its file deleted (it holds customer data, and nothing needs it any more)."""
    now = utcnow()
    import_id = imp.id
    async with database.transaction() as session:
        ended = await session.execute(
            update(DataImport)
            .where(DataImport.id == import_id, DataImport.claimed_by == token)
            .values(
                status=status,
                error=error[:500] if error else None,
                finished_at=now,
                claimed_by=None,
                lease_until=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if ended.rowcount == 1:  # type: ignore[attr-defined]
            done = (
                await session.execute(
                    select(DataImport.kind, DataImport.rows_imported, DataImport.rows_failed).where(
                        DataImport.id == import_id
                    )
                )
            ).one()
            await audit.record(
                session,
                actor=None,
                action=f"import.{status.value}",
                target_type="import",
                target_id=import_id,
                row_count=done.rows_imported,
                details={"kind": done.kind, "rows_failed": done.rows_failed},
            )
    if ended.rowcount != 1:  # type: ignore[attr-defined]
        return  # another runner holds it now: its file stays
    file_path(settings, imp.file_key).unlink(missing_ok=True)
    log.info("import %d %s", import_id, status.value)


async def _refresh_statistics(database: Database) -> None:
    """The RFM fifths over the imported history at once, so customer pages rank against it."""
    try:
        await refresh_statistics(database)
    except Exception as exc:
        log.error("customer statistics after an import: not refreshed (%s)", type(exc).__name__)


async def sweep(database: Database, settings: Settings, *, now: dt.datetime | None = None) -> int:
    """Cancel uploads never started within a day, and delete the files no unfinished import needs; how many
    files were deleted."""
    now = now or utcnow()
    async with database.transaction() as session:
        await session.execute(
            update(DataImport)
            .where(DataImport.status == ImportStatus.uploaded, DataImport.created_at < now - UNSTARTED_FOR)
            .values(status=ImportStatus.cancelled, finished_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    folder = settings.import_dir
    if not folder.is_dir():
        return 0
    on_disk = {p.stem: p for p in folder.glob("*.csv")}
    if not on_disk:
        return 0
    async with database.sessionmaker() as session:
        rows = (
            await session.execute(
                select(DataImport.file_key, DataImport.status).where(DataImport.file_key.in_(list(on_disk)))
            )
        ).all()
    status = dict(rows)
    deleted = 0
    for key, path in on_disk.items():
        known = status.get(key)
        # A file with no row yet may be an upload in progress: left alone for an hour.
        orphan = known is None and dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < now - dt.timedelta(hours=1)
        if orphan or (known is not None and ImportStatus(known) in FINISHED):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


class ImportRunner:
    """The loop: claim an import, run it, look again; `shopcrm worker` runs it, and on SQLite `shopcrm serve`
    runs it in-process. It looks every `poll_s` seconds (for imports started elsewhere and for claims whose
    lease ran out), and at once when `wake()` is called (the start route does, in the serving process)."""

    def __init__(self, database: Database, settings: Settings, *, poll_s: float = POLL_SECONDS) -> None:
        self.database = database
        self.settings = settings
        self.poll_s = poll_s
        self.token = uuid.uuid4().hex
        self._task: asyncio.Task[None] | None = None
        self._swept_at: dt.datetime | None = None
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def run_once(self) -> list[tuple[int, str]]:
        """Run every import claimable now, one after the other; (id, final status) of each."""
        ran = []
        while not self._stopping and (import_id := await claim(self.database, self.token)) is not None:
            ran.append((import_id, await run_import(self.database, self.settings, import_id, self.token)))
        now = utcnow()
        if self._swept_at is None or now - self._swept_at > SWEEP_EVERY:
            self._swept_at = now
            await sweep(self.database, self.settings, now=now)
        return ran

    async def run_forever(self) -> None:
        # The first look comes after one interval (or a wake-up), not at start-up: a restarted process has
        # other work first, and an import its predecessor left running waits for its lease to run out anyway.
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_s)
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self.run_once()
            except Exception as exc:
                # The class only (a message could quote a cell); tried again at the next look.
                log.error("import runner: a pass failed (%s)", type(exc).__name__)

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self.run_forever(), name="shopcrm-import-runner")

    async def stop(self, *, grace_s: float = STOP_GRACE_SECONDS) -> None:
        """Let a pass in progress end (it is short unless an import is running), then cancel: a chunk cut off
        rolls back and the import resumes from the last one when its lease runs out."""
        task = self._task
        self._task = None
        if task is None or task.done():
            return
        self._stopping = True
        self._wake.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait({task}, timeout=grace_s)
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
