"""The large size's PostgreSQL machinery (drop indexes and FKs, COPY, recreate), at a reduced scale."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from shopcrm.db import Base, Database
from shopcrm.demo import DemoSize, has_data, load_demo_data
from shopcrm.demo.checks import consistency_problems, database_digest, dataset_digest
from shopcrm.demo.generate import generate
from tests.conftest import need_postgres

TABLES = ("products", "customers", "orders", "order_items", "order_status_events")
# Several COPY chunks per table, the same code path as the large size.
MINI = DemoSize("mini", customers=5_000, orders=25_000, products=400, bulk=True, chunk_rows=3_000)


@pytest.fixture
def engine_name() -> str:
    """The COPY bulk path exists on PostgreSQL only, so this module runs there alone."""
    need_postgres()
    return "postgresql"


async def _schema(conn: AsyncConnection) -> dict[str, str]:
    """Every index and constraint of the demo tables, name -> definition, from the catalog."""
    rows = await conn.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(:t) "
            "UNION ALL SELECT conname, pg_get_constraintdef(k.oid) || ' valid=' || convalidated "
            "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(:t)"
        ),
        {"t": list(TABLES)},
    )
    return {name: definition for name, definition in rows}


def _metadata_names() -> set[str]:
    names: set[str] = set()
    for t in TABLES:
        table = Base.metadata.tables[t]
        names |= {str(i.name) for i in table.indexes if not i.info.get("sqlite_only")}  # a PostgreSQL test
        names |= {str(c.name) for c in table.constraints if isinstance(c, ForeignKeyConstraint | UniqueConstraint)}
        assert table.primary_key.name
        names.add(str(table.primary_key.name))
    return names


async def test_bulk_load_recreates_every_index_and_constraint(database: Database) -> None:
    async with database.engine.connect() as conn:
        before = await _schema(conn)
    assert _metadata_names() <= before.keys()

    lines: list[str] = []
    report = await load_demo_data(database, MINI, seed=11, progress=lines.append)
    assert report.rows == generate(MINI, 11).counts
    assert any(line.startswith("dropped ") and "COPY FREEZE" in line for line in lines)
    # chunked COPY: the items arrive in several chunks, interleaved with their orders
    item_lines = [line for line in lines if line.startswith("order_items: ")]
    assert len(item_lines) >= 3
    assert item_lines[-1].startswith(f"order_items: {report.order_items:,} / ")
    # one pass over the orders: the customers (and their order figures) are written last
    tables = [line.split(":")[0] for line in lines if re.fullmatch(r"[a-z_]+: [\d,]+ / [\d,?]+", line)]
    assert tables[-1] == "customers"
    assert tables.index("customers") > tables.index("order_status_events")
    assert {"copy order_items", "indexes orders", "foreign keys", "analyze"} <= report.phase_seconds.keys()

    async with database.engine.connect() as conn:
        after = await _schema(conn)
        assert after == before  # same names, same definitions, all foreign keys validated
        assert await consistency_problems(conn) == {}
        assert await database_digest(conn) == dataset_digest(generate(MINI, 11))

    # identity sequences were moved past the explicit ids
    async with database.engine.begin() as conn:
        new_id = (
            await conn.execute(
                insert(Base.metadata.tables["customers"])
                .values(first_name="New", last_name="Customer", email="new.customer@example.com")
                .returning(Base.metadata.tables["customers"].c.id)
            )
        ).scalar_one()
    assert new_id == MINI.customers + 1


class _Boom(Exception):
    pass


async def test_bulk_load_failing_halfway_leaves_schema_and_tables_intact(database: Database) -> None:
    async with database.engine.connect() as conn:
        before = await _schema(conn)

    def progress(line: str) -> None:
        if line.startswith("orders: "):  # after the indexes were dropped and customers copied
            raise _Boom

    with pytest.raises(_Boom):
        await load_demo_data(database, MINI, progress=progress)

    async with database.engine.connect() as conn:
        assert await _schema(conn) == before
        for t in TABLES:
            count = (await conn.execute(select(func.count()).select_from(Base.metadata.tables[t]))).scalar_one()
            assert count == 0, t
    assert not await has_data(database)
    # and the database is still usable for a load
    report = await load_demo_data(database, MINI, seed=1)
    assert report.customers == MINI.customers
