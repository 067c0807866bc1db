"""Test fixtures: real databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), migrated by
Alembic once per run and emptied before each test, and the app served in-process over ASGI."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from shopcrm.auth import service as auth_service
from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.db import Base, Database
from shopcrm.main import create_app
from shopcrm.migrate import upgrade

TEST_PASSWORD = "correct-horse-battery"
ENGINES = ["sqlite", "postgresql"]


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    return url


def need_postgres() -> str:
    url = postgres_url()
    if url is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL")
    return url


async def _reset_postgres_schema(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(scope="session")
def migrated_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One database per engine for the whole run, built by `alembic upgrade head` (never create_all)."""
    urls = {"sqlite": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"}
    pg = postgres_url()
    if pg:
        asyncio.run(_reset_postgres_schema(pg))
        urls["postgresql"] = pg
    for url in urls.values():
        upgrade(url)
    return urls


def make_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": url,
        "argon2_time_cost": 1,
        "argon2_memory_cost": 1024,
        "log_json": False,
        "spa_dir": Path("/nonexistent-spa"),
        # Uploads of tests that do not choose a folder (the API fuzzer's) land outside the working tree.
        "import_dir": Path(tempfile.gettempdir()) / "shopcrm-test-imports",
    }
    values.update(overrides)
    return Settings.model_validate(values)


async def empty_all_tables(database: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                await conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql":
        need_postgres()
    return name


@pytest.fixture
def settings(engine_name: str, migrated_urls: dict[str, str]) -> Settings:
    return make_settings(migrated_urls[engine_name])


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    """A migrated database with every table empty."""
    db = Database(settings, null_pool=True)
    await empty_all_tables(db)
    yield db
    await db.dispose()


@pytest.fixture
async def app_client(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, database)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


@dataclass
class Creds:
    email: str
    password: str
    role: Role
    token: str  # an API token acting as this user


@pytest.fixture
def make_user(database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    async def create(role: Role = Role.admin, email: str | None = None) -> Creds:
        email = email or f"{role.value}-{uuid.uuid4().hex[:8]}@example.com"
        async with database.transaction() as session:
            user = await auth_service.create_user(
                session,
                email=email,
                full_name=f"Test {role.value}",
                role=role,
                password=TEST_PASSWORD,
                settings=settings,
            )
            _, token = await auth_service.create_api_token(session, user=user, name="tests", expires_in_days=None)
        return Creds(email=email, password=TEST_PASSWORD, role=role, token=token)

    return create


async def login(client: httpx.AsyncClient, user: Creds) -> str:
    """Log in with the cookie flow; returns the CSRF token writes must echo."""
    response = await client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert response.status_code == 200, response.text
    csrf: str = response.json()["csrf_token"]
    return csrf


@pytest.fixture
def pg_admin_url() -> str:
    """A URL to the PostgreSQL server's maintenance database, for tests that create databases."""
    url = make_url(need_postgres())
    return url.set(database="postgres").render_as_string(hide_password=False)
