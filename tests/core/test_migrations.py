"""Alembic builds exactly the models' schema on both engines, and takes it all down again."""

from __future__ import annotations

import asyncio
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, make_url, text

from shopcrm.db import Base
from shopcrm.migrate import downgrade, upgrade
from tests.conftest import need_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    base = make_url(need_postgres())
    name = f"shopcrm_mig_{uuid.uuid4().hex[:8]}"
    admin = base.set(database="postgres")
    asyncio.run(_pg_admin(admin.render_as_string(hide_password=False), f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_pg_admin(admin.render_as_string(hide_password=False), f'DROP DATABASE "{name}" WITH (FORCE)'))


async def _pg_admin(url: str, sql: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


async def _run(url: str, fn) -> object:  # type: ignore[no-untyped-def]
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(fn)
    finally:
        await engine.dispose()


def _diff(conn: Connection) -> list[object]:
    def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
        info = getattr(obj, "info", {}) or {}
        if type_ == "index" and info.get("sqlite_only"):
            return conn.dialect.name == "sqlite"
        return not (type_ == "index" and info.get("postgresql_only") and conn.dialect.name != "postgresql")

    context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
    with warnings.catch_warnings():
        # Expression indexes (lower(email)) cannot be reflected for comparison; they are checked below.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        warnings.filterwarnings("ignore", message=".*detected to include an operator clause.*")
        return list(compare_metadata(context, Base.metadata))


def _index_names(conn: Connection) -> dict[str, set[str]]:
    # Read from the catalogs: SQLAlchemy's reflection skips expression indexes on SQLite.
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'"))
    else:
        rows = conn.execute(text("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'"))
    found: dict[str, set[str]] = {}
    for table, name in rows:
        found.setdefault(table, set()).add(name)
    return found


def test_upgrade_matches_models_and_downgrade_empties(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade(url)
    assert asyncio.run(_run(url, _diff)) == []

    indexes = asyncio.run(_run(url, _index_names))
    assert isinstance(indexes, dict)
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    for table in Base.metadata.sorted_tables:
        expected = {
            i.name for i in table.indexes if not i.info.get("postgresql_only" if dialect == "sqlite" else "sqlite_only")
        }
        found = indexes.get(table.name, set())  # a table may have no index besides its key
        assert expected <= found, f"{table.name} lacks {expected - found}"
    assert "uq_customers_email_lower" in indexes["customers"]

    downgrade(url, "base")
    remaining = asyncio.run(_run(url, lambda c: set(inspect(c).get_table_names())))
    assert remaining <= {"alembic_version"}
    # And back up again: a downgrade that leaves debris would make this fail.
    upgrade(url)
    assert asyncio.run(_run(url, _diff)) == []


def test_case_insensitive_unique_customer_email(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade(url)

    def insert_twice(conn: Connection) -> str:
        conn.execute(text("INSERT INTO customers (first_name, last_name, email) VALUES ('A', 'B', 'Ann@Example.com')"))
        try:
            conn.execute(
                text("INSERT INTO customers (first_name, last_name, email) VALUES ('C', 'D', 'ann@example.COM')")
            )
        except Exception as exc:  # the driver's own IntegrityError type differs per engine
            return type(exc).__name__
        return "inserted"

    assert asyncio.run(_run(url, insert_twice)) == "IntegrityError"


def test_upgrade_normalises_stored_emails_and_keeps_colliding_ones(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade(url, "0002")

    def seed(conn: Connection) -> None:
        rows = [("Ann.Lee@Example.com",), (" Bob@example.com",), ("ÄÖmass@example.com",), ("plain@example.com",)]
        for (email,) in rows:
            conn.execute(
                text("INSERT INTO customers (first_name, last_name, email) VALUES ('A', 'B', :email)"), {"email": email}
            )
        if conn.dialect.name == "sqlite":  # only SQLite lets these two in side by side
            conn.execute(text("INSERT INTO customers (first_name, last_name, email) VALUES ('C', 'D', 'ÜBER@x.com')"))
            conn.execute(text("INSERT INTO customers (first_name, last_name, email) VALUES ('E', 'F', 'über@x.com')"))
        conn.execute(
            text("INSERT INTO users (email, full_name, role, password_hash) VALUES (:email, 'Z', 'admin', 'x')"),
            {"email": "Zoë.Admin@Example.com"},
        )
        conn.commit()

    asyncio.run(_run(url, seed))
    upgrade(url)

    def emails(conn: Connection) -> tuple[list[str], list[str]]:
        customers = [r[0] for r in conn.execute(text("SELECT email FROM customers ORDER BY id"))]
        users = [r[0] for r in conn.execute(text("SELECT email FROM users"))]
        return customers, users

    customers, users = asyncio.run(_run(url, emails))  # type: ignore[misc]
    assert customers[:4] == ["ann.lee@example.com", "bob@example.com", "äömass@example.com", "plain@example.com"]
    if len(customers) > 4:
        assert customers[4:] == ["ÜBER@x.com", "über@x.com"]
    assert users == ["zoë.admin@example.com"]
