"""Loading the demo data set: executemany on SQLite, binary COPY on PostgreSQL.

PostgreSQL loads run in ONE transaction on one connection: lock the five tables, check they are
empty, (bulk sizes) drop the secondary indexes, unique constraints and foreign keys named in the
models, COPY, recreate exactly those from the SQLAlchemy metadata, reset the identity sequences,
ANALYZE, commit. Any failure rolls the whole thing back, DDL included, so the schema always ends
with all its indexes and constraints and the tables stay empty. Bulk loads copy the customers last
(no foreign keys then), so the orders are drawn once; the others draw them twice (generate.py).

SQLite loads run executemany in batches in one transaction, then ANALYZE (and PRAGMA optimize).

Rows stream chunk by chunk, the next chunk built in a worker thread while this one is written: memory
stays bounded (the per-customer arrays plus two chunks) whatever the size.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import resource
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from sqlalchemy import ForeignKeyConstraint, Index, Table, UniqueConstraint, exists, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import AddConstraint, CreateIndex

import shopcrm.models  # noqa: F401 - registers every table on Base.metadata
from shopcrm.analytics.rollup import refresh_rollup
from shopcrm.core.engines import UnsupportedEngine, capabilities_of
from shopcrm.db import Base, Database
from shopcrm.demo.encoding import COPY_HEADER, COPY_TRAILER, Kind, encode_copy_rows, python_values
from shopcrm.demo.generate import (
    DEFAULT_ANCHOR,
    LOAD_ORDER,
    SIZES,
    DemoDataset,
    DemoSize,
    TableChunk,
    generate,
    table_columns,
)
from shopcrm.inventory.queries import OPENING_BALANCES_SQL

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
SizeName = Literal["small", "medium", "large"]

_SQLITE_BATCH = 5_000
_PG_TYPES: dict[Kind, tuple[str, ...]] = {
    "int8": ("bigint",),
    "int4": ("integer",),
    "bool": ("boolean",),
    "numeric": ("numeric",),
    "timestamptz": ("timestamp with time zone",),
    "text": ("character varying", "text"),
}


class DemoDataError(RuntimeError):
    """The demo data cannot be loaded here (tables not empty, engine not supported for the size)."""


@dataclass(frozen=True)
class LoadReport:
    size: str
    seed: int
    backend: str  # "sqlite" | "postgresql"
    products: int
    customers: int
    orders: int
    order_items: int
    order_status_events: int
    elapsed_seconds: float  # the whole call: generation + writing + indexes
    generate_seconds: float  # drawing the plan, pass 1, and waiting for pass 2's chunks
    # Writing each table (COPY or inserts) and, on bulk loads, rebuilding its indexes.
    table_seconds: dict[str, float] = field(default_factory=dict)
    # Every step in order: generate, copy <table>, indexes <table>, foreign keys, analyze, commit, ...
    phase_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mib: float = 0.0  # the process's peak resident set size when the load ended

    @property
    def rows(self) -> dict[str, int]:
        return {
            "products": self.products,
            "customers": self.customers,
            "orders": self.orders,
            "order_items": self.order_items,
            "order_status_events": self.order_status_events,
        }

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0

    def summary(self) -> str:
        counts = ", ".join(f"{n:,} {t}" for t, n in self.rows.items())
        return (
            f"demo data ({self.size}, seed {self.seed}) on {self.backend}: {counts} "
            f"in {self.elapsed_seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)"
        )


async def has_data(database: Database) -> bool:
    """True when the customers or products table already has rows."""
    async with database.engine.connect() as conn:
        return await _has_rows(conn)


async def _has_rows(conn: AsyncConnection) -> bool:
    customers, products = Base.metadata.tables["customers"], Base.metadata.tables["products"]
    stmt = select(exists().select_from(customers) | exists().select_from(products))
    return bool((await conn.execute(stmt)).scalar_one())


def resolve_size(size: SizeName | DemoSize) -> DemoSize:
    if isinstance(size, DemoSize):
        return size
    try:
        return SIZES[size]
    except KeyError:
        raise DemoDataError(f"unknown demo data size {size!r}; choose one of {', '.join(SIZES)}") from None


async def load_demo_data(
    database: Database,
    size: SizeName | DemoSize,
    *,
    seed: int = 42,
    progress: Progress | None = None,
    anchor: dt.datetime = DEFAULT_ANCHOR,
) -> LoadReport:
    """Generate the demo data set for `size` and `seed` and load it into a migrated, empty database.

    The rows are drawn and written chunk by chunk (see generate.py), so memory stays bounded whatever
    the size. Raises DemoDataError when customers or products already has rows (nothing is changed),
    or when the size needs PostgreSQL and the database is not.
    """
    spec = resolve_size(size)
    try:
        engine = capabilities_of(database.engine)
    except UnsupportedEngine as exc:
        raise DemoDataError(str(exc)) from None
    backend = engine.name
    if spec.postgres_only and not engine.bulk_copy:
        raise DemoDataError(
            f"the {spec.name!r} demo data set needs PostgreSQL (bulk COPY); "
            "set DATABASE_URL to a PostgreSQL database or use --size small or medium"
        )
    if await has_data(database):
        raise DemoDataError("the database already has customers or products; demo data loads only into an empty one")

    say: Progress = progress or (lambda _line: None)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    say(f"generating the {spec.name} data set (seed {seed}, up to {anchor:%Y-%m-%d %H:%M} UTC)")
    dataset = await asyncio.to_thread(generate, spec, seed, anchor)
    phases["generate plan"] = time.perf_counter() - started
    # A PostgreSQL bulk load has no foreign keys while it copies: it writes the customers last and draws
    # the orders once, collecting each customer's order figures on the way. Otherwise pass 1 collects
    # them (and the row counts) first and pass 2 draws the orders again. The rows are built while they
    # stream into the database; the time that matters is the summary's, at the end.
    if engine.bulk_copy and spec.bulk:
        say(f"planned: {spec.products:,} products, {spec.customers:,} customers, {spec.orders:,} orders; loading")
    else:
        t0 = time.perf_counter()
        counts = await asyncio.to_thread(lambda: dataset.counts)
        phases["generate pass 1"] = time.perf_counter() - t0
        say(f"planned: {', '.join(f'{n:,} {t}' for t, n in counts.items())}; loading")

    if engine.bulk_copy:
        await _load_postgres(database, dataset, say, phases)
    else:
        await _load_sqlite(database, dataset, say, phases)

    # The dashboard's daily rollup over the history just loaded (the server's refresher keeps it up after).
    t0 = time.perf_counter()
    days = await refresh_rollup(database, timezone=database.settings.store_timezone)
    phases["dashboard rollup"] = time.perf_counter() - t0
    say(f"dashboard rollup: {days or 0:,} days built in {phases['dashboard rollup']:.1f} s")

    counts = dataset.counts  # known by now
    elapsed = time.perf_counter() - started
    table_seconds = {
        t: round(phases.get(f"copy {t}", 0.0) + phases.get(f"insert {t}", 0.0) + phases.get(f"indexes {t}", 0.0), 3)
        for t in LOAD_ORDER
    }
    generate_seconds = sum(v for k, v in phases.items() if k.startswith("generate"))
    report = LoadReport(
        size=spec.name,
        seed=seed,
        backend=backend,
        products=counts["products"],
        customers=counts["customers"],
        orders=counts["orders"],
        order_items=counts["order_items"],
        order_status_events=counts["order_status_events"],
        elapsed_seconds=elapsed,
        generate_seconds=generate_seconds,
        table_seconds=table_seconds,
        phase_seconds={k: round(v, 3) for k, v in phases.items()},
        peak_rss_mib=peak_rss_mib(),
    )
    logger.info("demo data loaded: %s", report.summary())
    say(report.summary())
    return report


def peak_rss_mib() -> float:
    """The process's peak resident set size so far, MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


_Built = TypeVar("_Built")


async def _prefetched(
    ds: DemoDataset, build: Callable[[TableChunk], _Built], phases: dict[str, float], *, customers_last: bool = False
) -> AsyncGenerator[tuple[TableChunk, _Built]]:
    """Pass 2's chunks, each drawn and built in a worker thread while the previous one is written.

    At most two chunks are alive at once (the one being written, the next being built): that and the
    per-customer arrays are the load's memory. Time spent waiting for a chunk counts as generation.
    """
    chunks = ds.chunks(customers_last=customers_last)

    def step() -> tuple[TableChunk, _Built] | None:
        chunk = next(chunks, None)
        return None if chunk is None else (chunk, build(chunk))

    pending: asyncio.Future[tuple[TableChunk, _Built] | None] = asyncio.ensure_future(asyncio.to_thread(step))
    try:
        while True:
            t0 = time.perf_counter()
            item = await pending
            phases["generate pass 2 (waiting)"] = phases.get("generate pass 2 (waiting)", 0.0) + (
                time.perf_counter() - t0
            )
            if item is None:
                return
            pending = asyncio.ensure_future(asyncio.to_thread(step))
            yield item
    finally:
        if not pending.done():
            pending.cancel()


class _Progress:
    """ "<table>: <rows written> / <rows>" after each chunk."""

    def __init__(self, counts: dict[str, int | None], say: Progress) -> None:
        self.counts, self.say = counts, say
        self.done = dict.fromkeys(counts, 0)

    def wrote(self, table: str, rows: int) -> None:
        self.done[table] += rows
        total = self.counts[table]
        self.say(f"{table}: {self.done[table]:,} / {'?' if total is None else f'{total:,}'}")


# ---------------------------------------------------------------- SQLite

_SQLITE_CACHE_KIB = 131_072  # page cache for the load (the indexes are updated row by row)


async def _load_sqlite(database: Database, ds: DemoDataset, say: Progress, phases: dict[str, float]) -> None:
    """executemany in batches, in one transaction; then ANALYZE, so the planner has statistics."""
    written = _Progress(dict(ds.counts), say)
    async with database.engine.connect() as conn:
        previous_cache = int((await conn.exec_driver_sql("PRAGMA cache_size")).scalar_one())
        await conn.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
        await conn.commit()
        try:
            async with conn.begin():
                if await _has_rows(conn):
                    raise DemoDataError("the database already has customers or products")
                async with aclosing(_prefetched(ds, lambda _chunk: None, phases)) as stream:
                    async for chunk, _ in stream:
                        t0 = time.perf_counter()
                        table = Base.metadata.tables[chunk.table]
                        for a in range(0, chunk.rows, _SQLITE_BATCH):
                            b = min(chunk.rows, a + _SQLITE_BATCH)
                            columns = chunk.columns(a, b)
                            names = [c.name for c in columns]
                            values = [python_values(c, b - a) for c in columns]
                            rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
                            await conn.execute(insert(table), rows)
                        key = f"insert {chunk.table}"
                        phases[key] = phases.get(key, 0.0) + time.perf_counter() - t0
                        written.wrote(chunk.table, chunk.rows)
                await conn.exec_driver_sql(OPENING_BALANCES_SQL)  # the stock ledger starts here
                say("analyze")
                t0 = time.perf_counter()
                await conn.exec_driver_sql("ANALYZE")
                phases["analyze"] = time.perf_counter() - t0
                t0 = time.perf_counter()
            phases["commit"] = time.perf_counter() - t0
            await conn.exec_driver_sql("PRAGMA optimize")
            await conn.commit()
        finally:
            await conn.rollback()
            await conn.exec_driver_sql(f"PRAGMA cache_size = {previous_cache}")
            await conn.commit()


# ---------------------------------------------------------------- PostgreSQL


@dataclass
class _Recreate:
    """DDL to run again after the COPY, from the SQLAlchemy metadata."""

    indexes: dict[str, list[str]] = field(default_factory=dict)  # per table: indexes, unique constraints
    foreign_keys: list[str] = field(default_factory=list)


async def _load_postgres(database: Database, ds: DemoDataset, say: Progress, phases: dict[str, float]) -> None:
    bulk = ds.size.bulk
    # statement_timeout is lifted below for the load; the client-side command timeout must go too.
    async with database.bulk_connection() as sa_conn:
        dialect = sa_conn.dialect
        raw: Any = (await sa_conn.get_raw_connection()).driver_connection  # asyncpg.Connection
        tables = [Base.metadata.tables[t] for t in LOAD_ORDER]
        names_sql = ", ".join(dialect.identifier_preparer.quote(t) for t in LOAD_ORDER)
        transaction = raw.transaction()
        await transaction.start()
        try:
            await raw.execute("SET LOCAL statement_timeout = 0")
            await raw.execute("SET LOCAL maintenance_work_mem = '1GB'")
            await raw.execute("SET LOCAL synchronous_commit = off")
            lock_mode = "ACCESS EXCLUSIVE" if bulk else "SHARE ROW EXCLUSIVE"
            await raw.execute(f"LOCK TABLE {names_sql} IN {lock_mode} MODE")
            if await raw.fetchval("SELECT EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM products)"):
                raise DemoDataError("the database already has customers or products")
            await _check_column_types(raw)

            freeze = False
            recreate = _Recreate()
            if bulk:
                t0 = time.perf_counter()
                recreate = await _drop_secondary(raw, tables, dialect)
                dropped = sum(len(v) for v in recreate.indexes.values()) + len(recreate.foreign_keys)
                freeze = await _truncate_for_freeze(raw)
                phases["drop indexes and foreign keys"] = time.perf_counter() - t0
                frozen = "; rows are written frozen (COPY FREEZE)" if freeze else ""
                say(f"dropped {dropped} secondary indexes and constraints for the bulk load{frozen}")

            await _copy_all(raw, ds, freeze=freeze, say=say, phases=phases)

            if bulk:
                for table_name in LOAD_ORDER:
                    statements = recreate.indexes.get(table_name, [])
                    if not statements:
                        continue
                    say(f"indexes: {table_name} ({len(statements)})")
                    t0 = time.perf_counter()
                    for ddl in statements:
                        await raw.execute(ddl)
                    phases[f"indexes {table_name}"] = time.perf_counter() - t0
                say(f"foreign keys ({len(recreate.foreign_keys)})")
                t0 = time.perf_counter()
                for ddl in recreate.foreign_keys:
                    await raw.execute(ddl)
                phases["foreign keys"] = time.perf_counter() - t0

            t0 = time.perf_counter()
            await raw.execute(OPENING_BALANCES_SQL)  # the stock ledger starts here
            phases["opening balances"] = time.perf_counter() - t0
            for table_name in LOAD_ORDER:
                # Explicit ids were written: move the identity past them so later inserts work.
                sequence = f"pg_get_serial_sequence('{table_name}', 'id')"
                table_sql = dialect.identifier_preparer.quote(table_name)
                await raw.execute(f"SELECT setval({sequence}, coalesce(max(id), 0) + 1, false) FROM {table_sql}")  # noqa: S608
            say("analyze")
            t0 = time.perf_counter()
            await raw.execute(f"ANALYZE {names_sql}, stock_movements")
            phases["analyze"] = time.perf_counter() - t0
        except BaseException:
            await transaction.rollback()
            raise
        t0 = time.perf_counter()
        await transaction.commit()
        phases["commit"] = time.perf_counter() - t0


async def _check_column_types(raw: Any) -> None:
    """Binary COPY needs the exact column types: fail clearly if the schema is not what we encode."""
    for table_name in LOAD_ORDER:
        rows = await raw.fetch(
            "SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute "
            "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
            table_name,
        )
        actual = {r["attname"]: r["type"] for r in rows}
        for col in table_columns()[table_name]:
            found = actual.get(col.name)
            if found is None or not found.startswith(_PG_TYPES[col.kind]):
                raise DemoDataError(
                    f"{table_name}.{col.name} is {found or 'missing'}, expected {_PG_TYPES[col.kind][0]}: "
                    "is the database migrated to head?"
                )


async def _drop_secondary(raw: Any, tables: list[Table], dialect: Dialect) -> _Recreate:
    """Drop the models' secondary indexes, unique constraints and foreign keys that exist; return their DDL."""
    names = [t.name for t in tables]
    existing_indexes = {
        r["indexname"]
        for r in await raw.fetch(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1::text[])",
            names,
        )
    }
    existing_constraints = {
        (r["table"], r["conname"])
        for r in await raw.fetch(
            "SELECT c.relname AS table, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[])",
            names,
        )
    }
    quote = dialect.identifier_preparer.quote
    recreate = _Recreate()
    drops_fk: list[str] = []
    drops_other: list[str] = []
    for table in tables:
        per_table: list[str] = []
        for cons in sorted(table.constraints, key=lambda c: str(c.name)):
            if cons.name is None or (table.name, str(cons.name)) not in existing_constraints:
                continue
            drop = f"ALTER TABLE {quote(table.name)} DROP CONSTRAINT {quote(str(cons.name))}"
            if isinstance(cons, ForeignKeyConstraint):
                drops_fk.append(drop)
                recreate.foreign_keys.append(str(AddConstraint(cons).compile(dialect=dialect)))
            elif isinstance(cons, UniqueConstraint):
                drops_other.append(drop)
                per_table.append(str(AddConstraint(cons).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if not isinstance(index, Index) or str(index.name) not in existing_indexes:
                continue
            drops_other.append(f"DROP INDEX {quote(str(index.name))}")
            per_table.append(str(CreateIndex(index).compile(dialect=dialect)))
        recreate.indexes[table.name] = per_table
    for ddl in drops_fk + drops_other:
        await raw.execute(ddl)
    return recreate


async def _truncate_for_freeze(raw: Any) -> bool:
    """TRUNCATE the (verified empty) tables in this transaction so COPY can write frozen rows.

    Frozen rows need no later VACUUM to set hint bits, so the first reads after a load are not
    slowed down by writes. PostgreSQL truncates a referenced table only together with the tables
    referencing it, so those (e.g. order_status_events) are included when they are empty too;
    if one is not, plain COPY it is.
    """
    closure: list[str] = list(LOAD_ORDER)
    frontier: list[str] = list(LOAD_ORDER)
    while frontier:
        rows = await raw.fetch(
            "SELECT DISTINCT conrelid::regclass::text AS referencing FROM pg_constraint "
            "WHERE contype = 'f' AND confrelid IN (SELECT unnest($1::text[])::regclass)",
            frontier,
        )
        frontier = [r["referencing"] for r in rows if r["referencing"] not in closure]
        closure.extend(frontier)
    others = closure[len(LOAD_ORDER) :]
    if others:
        await raw.execute(f"LOCK TABLE {', '.join(others)} IN ACCESS EXCLUSIVE MODE")
        for table in others:
            if await raw.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):  # noqa: S608 - catalog names
                return False
    await raw.execute(f"TRUNCATE {', '.join(closure)}")
    return True


async def _copy_all(raw: Any, ds: DemoDataset, *, freeze: bool, say: Progress, phases: dict[str, float]) -> None:
    """One COPY per chunk: products, customers, then orders, order_items, order_status_events in turn."""
    slice_rows = max(1, ds.size.chunk_rows)
    names = {t: [c.name for c in columns] for t, columns in table_columns().items()}
    customers_last = ds.size.bulk  # no foreign keys while copying: one pass over the orders
    size = ds.size
    known: dict[str, int | None] = {"products": size.products, "customers": size.customers, "orders": size.orders}
    written = _Progress(dict(ds.counts) if not customers_last else known | dict.fromkeys(LOAD_ORDER[3:]), say)

    def encode(chunk: TableChunk) -> list[bytes]:
        # Encoded in slices: the encoder's temporaries grow with the rows encoded at once.
        return [
            encode_copy_rows(chunk.columns(a, min(chunk.rows, a + slice_rows)), min(chunk.rows, a + slice_rows) - a)
            for a in range(0, chunk.rows, slice_rows)
        ]

    async with aclosing(_prefetched(ds, encode, phases, customers_last=customers_last)) as stream:
        async for chunk, blocks in stream:
            if chunk.rows == 0:
                continue

            async def source(blocks: list[bytes] = blocks) -> AsyncIterator[bytes]:
                yield COPY_HEADER
                for block in blocks:
                    yield block
                yield COPY_TRAILER

            t0 = time.perf_counter()
            await raw.copy_to_table(
                chunk.table, source=source(), columns=names[chunk.table], format="binary", freeze=freeze or None
            )
            key = f"copy {chunk.table}"
            phases[key] = phases.get(key, 0.0) + time.perf_counter() - t0
            del blocks
            written.wrote(chunk.table, chunk.rows)
