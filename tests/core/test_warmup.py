"""A server process readies itself before it listens (core/warmup.py), and still starts without a database."""

from __future__ import annotations

import logging
import socket

import httpx
import pytest
from sqlalchemy import event, text

from shopcrm.config import Settings
from shopcrm.core import driver, warmup
from shopcrm.core.engines import capabilities_of
from shopcrm.db import Database
from shopcrm.main import create_app
from tests.conftest import make_settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens here once the socket is closed


async def test_startup_opens_the_pools_so_the_first_request_does_not(settings: Settings) -> None:
    database = Database(settings)
    connects: list[object] = []
    for engine in {id(e): e for e in (database.engine, database.read_engine)}.values():
        event.listen(engine.sync_engine, "connect", lambda *args: connects.append(args))
    app = create_app(settings, database)
    async with app.router.lifespan_context(app):
        await app.state.customer_statistics.wait_idle()  # its start-up computation uses the pools too
        opened_at_startup = len(connects)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/api/health")).status_code == 200
        assert len(connects) == opened_at_startup  # the request found a connection waiting
    assert opened_at_startup >= 1


async def test_a_server_starts_when_the_database_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    settings = make_settings(
        f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/nowhere", db_connect_timeout_s=1.0
    )
    database = Database(settings)
    app = create_app(settings, database)
    with caplog.at_level(logging.WARNING, logger="shopcrm.core.warmup"):
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                answer = await client.get("/api/health")
    assert answer.status_code == 503
    assert answer.json()["database"] == "unavailable"
    assert any("not reachable at startup" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)  # the driver statements are PostgreSQL's
async def test_the_hot_statements_are_prepared_at_startup_and_a_broken_one_is_named(
    settings: Settings, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    registered = driver.named_statements()
    assert "orders.recent_of_customer" in registered  # a customer page's statements are among them
    asked: list[str] = []

    def statements() -> dict[str, str]:
        asked.append("yes")
        return {**registered, "test.broken": "SELECT no_such_column FROM customers"}

    monkeypatch.setattr(warmup, "named_statements", statements)
    database = Database(settings)
    assert capabilities_of(database.engine).driver_fast_path
    app = create_app(settings, database)
    with caplog.at_level(logging.WARNING, logger="shopcrm.core.warmup"):
        async with app.router.lifespan_context(app):
            await app.state.customer_statistics.wait_idle()
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
                assert (await client.get("/api/health")).status_code == 200  # the process serves all the same
    warnings = [r.getMessage() for r in caplog.records]
    assert asked  # every pool's first connection went through them
    # The broken one is named (and only it: every real statement prepared against the migrated schema).
    assert [w for w in warnings if "did not prepare" in w] == [
        "statement test.broken did not prepare at startup (UndefinedColumnError)"
    ] * len(asked), warnings


async def test_rehearsals_run_at_startup_and_a_failing_one_is_logged_not_raised(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(settings)
    app = create_app(settings, database)
    ran: list[str] = []

    async def reads(session) -> None:  # type: ignore[no-untyped-def]
        ran.append(str(await session.scalar(text("SELECT 1"))))

    async def breaks(session) -> None:  # type: ignore[no-untyped-def]
        await session.execute(text("SELECT * FROM no_such_table"))

    with caplog.at_level(logging.WARNING, logger="shopcrm.core.warmup"):
        await warmup.ready(app, database, rehearsals=[breaks, reads])
    assert ran == ["1"]
    assert any("rehearsal breaks failed" in r.getMessage() for r in caplog.records)
    await database.dispose()


async def test_the_app_rehearses_customer_details_at_startup(settings: Settings, database: Database) -> None:
    """The first customer's details are built before the server listens (their answer discarded)."""
    from tests.factories import make_customer

    await make_customer(database)
    statements: list[str] = []
    event.listen(database.read_engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    app = create_app(settings, database)
    async with app.router.lifespan_context(app):
        await app.state.customer_statistics.wait_idle()
    assert any("min(customers.id)" in s for s in statements)
    # the customer read by id (the order reads run on the raw driver on PostgreSQL: not seen here)
    assert any("FROM customers" in s and "customers.id = " in s for s in statements)


async def test_start_up_sets_the_lasting_heap_aside_and_shutdown_gives_it_back(settings: Settings) -> None:
    """The objects alive after start-up are frozen (the first requests' collections do not walk them), and
    given back to the collector when the app stops."""
    import gc

    app = create_app(settings, Database(settings))
    async with app.router.lifespan_context(app):
        await app.state.customer_statistics.wait_idle()
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
