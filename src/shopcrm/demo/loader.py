"""Loading the demo data set: executemany on SQLite, binary COPY on PostgreSQL.

PostgreSQL loads run in ONE transaction on one connection: lock the five tables, check they are
empty, (bulk sizes) drop the secondary indexes, unique constraints and foreign keys named in the
models, COPY, recreate exactly those from the SQLAlchemy metadata, reset the identity sequences,
ANALYZE, commit. Any failure rolls the whole thing back, DDL included, so the schema always ends
with all its indexes and constraints and the tables stay empty.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ForeignKeyConstraint, Index, Table, UniqueConstraint, exists, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import AddConstraint, CreateIndex

import shopcrm.models  # noqa: F401 - registers every table on Base.metadata
from shopcrm.core.engines import UnsupportedEngine, capabilities_of
from shopcrm.db import Base, Database
from shopcrm.demo.encoding import COPY_HEADER, COPY_TRAILER, Kind, encode_copy_rows, python_values
from shopcrm.demo.generate import (
    DEFAULT_ANCHOR,
    LOAD_ORDER,
    SIZES,
    TABLE_COLUMNS,
    DemoDataset,
    DemoSize,
    generate,
)

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
SizeName = Literal["small", "large"]

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
    generate_seconds: float
    # Writing each table (COPY or inserts) and, on bulk loads, rebuilding its indexes.
    table_seconds: dict[str, float] = field(default_factory=dict)
    # Every step in order: generate, copy <table>, indexes <table>, foreign keys, analyze, commit, ...
    phase_seconds: dict[str, float] = field(default_factory=dict)

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

    Raises DemoDataError when customers or products already has rows (nothing is changed), or when
    the size needs PostgreSQL and the database is not.
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
            "set DATABASE_URL to a PostgreSQL database or use --size small"
        )
    if await has_data(database):
        raise DemoDataError("the database already has customers or products; demo data loads only into an empty one")

    say: Progress = progress or (lambda _line: None)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    say(f"generating the {spec.name} data set (seed {seed}, up to {anchor:%Y-%m-%d %H:%M} UTC)")
    dataset = await asyncio.to_thread(generate, spec, seed, anchor)
    phases["generate"] = time.perf_counter() - started
    counts = dataset.counts
    # Drawing the numbers is quick; the rows themselves are built while they stream into the database, so
    # the time that matters is the summary's, at the end.
    say(f"drawn: {', '.join(f'{n:,} {t}' for t, n in counts.items())}; loading")

    if engine.bulk_copy:
        await _load_postgres(database, dataset, say, phases)
    else:
        await _load_sqlite(database, dataset, say, phases)

    elapsed = time.perf_counter() - started
    table_seconds = {
        t: round(phases.get(f"copy {t}", 0.0) + phases.get(f"insert {t}", 0.0) + phases.get(f"indexes {t}", 0.0), 3)
        for t in LOAD_ORDER
    }
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
        generate_seconds=phases["generate"],
        table_seconds=table_seconds,
        phase_seconds={k: round(v, 3) for k, v in phases.items()},
    )
    logger.info("demo data loaded: %s", report.summary())
    say(report.summary())
    return report


# ---------------------------------------------------------------- SQLite


async def _load_sqlite(database: Database, ds: DemoDataset, say: Progress, phases: dict[str, float]) -> None:
    counts = ds.counts
    async with database.engine.begin() as conn:
        if await _has_rows(conn):
            raise DemoDataError("the database already has customers or products")
        for table_name in LOAD_ORDER:
            t0 = time.perf_counter()
            table = Base.metadata.tables[table_name]
            n = counts[table_name]
            for a in range(0, n, _SQLITE_BATCH):
                b = min(n, a + _SQLITE_BATCH)
                columns = TABLE_COLUMNS[table_name](ds, a, b)
                names = [c.name for c in columns]
                values = [python_values(c, b - a) for c in columns]
                rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
                await conn.execute(insert(table), rows)
                say(f"{table_name}: {b:,} / {n:,}")
            phases[f"insert {table_name}"] = time.perf_counter() - t0
        t0 = time.perf_counter()
    phases["commit"] = time.perf_counter() - t0


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
            await _check_column_types(raw, ds)

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

            for table_name in LOAD_ORDER:
                t0 = time.perf_counter()
                await _copy_table(raw, ds, table_name, freeze=freeze, say=say)
                phases[f"copy {table_name}"] = time.perf_counter() - t0

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

            for table_name in LOAD_ORDER:
                # Explicit ids were written: move the identity past them so later inserts work.
                sequence = f"pg_get_serial_sequence('{table_name}', 'id')"
                table_sql = dialect.identifier_preparer.quote(table_name)
                await raw.execute(f"SELECT setval({sequence}, coalesce(max(id), 0) + 1, false) FROM {table_sql}")  # noqa: S608
            say("analyze")
            t0 = time.perf_counter()
            await raw.execute(f"ANALYZE {names_sql}")
            phases["analyze"] = time.perf_counter() - t0
        except BaseException:
            await transaction.rollback()
            raise
        t0 = time.perf_counter()
        await transaction.commit()
        phases["commit"] = time.perf_counter() - t0


async def _check_column_types(raw: Any, ds: DemoDataset) -> None:
    """Binary COPY needs the exact column types: fail clearly if the schema is not what we encode."""
    for table_name in LOAD_ORDER:
        rows = await raw.fetch(
            "SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute "
            "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
            table_name,
        )
        actual = {r["attname"]: r["type"] for r in rows}
        for col in TABLE_COLUMNS[table_name](ds, 0, 0):
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


async def _copy_table(raw: Any, ds: DemoDataset, table_name: str, *, freeze: bool, say: Progress) -> None:
    n = ds.counts[table_name]
    if n == 0:
        return
    builder = TABLE_COLUMNS[table_name]
    columns = [c.name for c in builder(ds, 0, 0)]
    chunk = ds.size.chunk_rows * (4 if table_name in ("order_items", "order_status_events") else 1)
    ranges = [(a, min(n, a + chunk)) for a in range(0, n, chunk)]

    def build(a: int, b: int) -> bytes:
        return encode_copy_rows(builder(ds, a, b), b - a)

    async def source() -> AsyncIterator[bytes]:
        # Encode the next chunk in a worker thread while the server ingests this one.
        yield COPY_HEADER
        pending: asyncio.Future[bytes] = asyncio.ensure_future(asyncio.to_thread(build, *ranges[0]))
        try:
            for i, (_a, b) in enumerate(ranges):
                data = await pending
                if i + 1 < len(ranges):
                    pending = asyncio.ensure_future(asyncio.to_thread(build, *ranges[i + 1]))
                yield data
                say(f"{table_name}: {b:,} / {n:,}")
        finally:
            if not pending.done():
                pending.cancel()
        yield COPY_TRAILER

    await raw.copy_to_table(table_name, source=source(), columns=columns, format="binary", freeze=freeze or None)
