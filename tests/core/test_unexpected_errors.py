"""An error nobody expected: a 500 in the usual shape, with the security headers, on a connection that stays
usable; and its log line names the error's class, the route and the statement, never a value.

The keep-alive test needs a real server (uvicorn on a free port), since dropping the connection after a
500 was the server's doing, which an in-process transport cannot show.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal

import httpx
import pytest
import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Numeric, bindparam, select

from shopcrm.config import Settings
from shopcrm.core.deps import DbSession
from shopcrm.core.driver import DriverQuery
from shopcrm.core.http_errors import ResponseAborted
from shopcrm.core.logging import JsonFormatter
from shopcrm.db import Database
from shopcrm.main import create_app
from tests.conftest import make_settings, need_postgres

SECRET = "4111-1111-1111-1111"  # what must never reach a log line
INTERNAL_ERROR = {"error": {"code": "internal_error", "message": "Internal server error", "details": None}}


class Explosion(RuntimeError):
    pass


def _explode() -> None:
    try:
        int(f"customer card {SECRET}")
    except ValueError as exc:
        raise Explosion(f"could not charge {SECRET}") from exc


def app_with_test_routes(settings: Settings, database: Database) -> FastAPI:
    app = create_app(settings, database)
    router = APIRouter()

    @router.get("/api/_test/boom")
    async def boom() -> None:
        _explode()

    @router.get("/api/_test/stream")
    async def stream() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"first chunk"
            _explode()

        return StreamingResponse(chunks())

    @router.get("/api/_test/port")
    async def port(request: Request) -> dict[str, int]:
        assert request.client is not None
        return {"port": request.client.port}

    app.include_router(router)
    return app


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """The app on a real uvicorn server, on a free port of the loopback interface."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="off", log_config=None, access_log=False, timeout_keep_alive=30)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def test_an_unexpected_error_is_a_500_with_the_headers_on_a_connection_that_stays_open(
    settings: Settings, database: Database
):
    app = app_with_test_routes(settings, database)
    one_connection = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with serving(app) as url, httpx.AsyncClient(base_url=url, limits=one_connection) as client:
        before = await client.get("/api/_test/port")
        assert before.status_code == 200

        failed = await client.get("/api/_test/boom")
        assert failed.status_code == 500
        assert failed.json() == INTERNAL_ERROR
        assert failed.headers["x-content-type-options"] == "nosniff"
        assert failed.headers["x-frame-options"] == "DENY"
        assert len(failed.headers["x-request-id"]) == 16
        # Every header an ordinary answer gets from the middleware, the 500 gets too.
        per_response = {"content-length", "content-type", "date", "server", "x-request-id"}
        assert set(before.headers) - per_response <= set(failed.headers)
        assert failed.headers.get("connection", "").lower() != "close"

        after = await client.get("/api/_test/port")
        assert after.status_code == 200
        assert after.json()["port"] == before.json()["port"]  # the same TCP connection served all three


def _log_text(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as the plain formatter (with its traceback) and the JSON formatter print it."""
    plain = logging.Formatter("%(levelname)s %(name)s: %(message)s")
    lines = []
    for record in caplog.records:
        record.exc_text = None  # no cached rendering: format the traceback afresh
        lines += [plain.format(record), JsonFormatter().format(record)]
    return "\n".join(lines)


async def test_the_log_of_an_unexpected_error_names_its_class_route_and_frames_but_no_message(
    settings: Settings, database: Database, caplog: pytest.LogCaptureFixture
):
    app = app_with_test_routes(settings, database)
    caplog.set_level(logging.INFO)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/_test/boom")
    assert response.status_code == 500

    [record] = [r for r in caplog.records if r.name == "shopcrm.errors"]
    assert record.error_type == "tests.core.test_unexpected_errors.Explosion"  # type: ignore[attr-defined]
    assert record.route == "/api/_test/boom"  # type: ignore[attr-defined]
    text = _log_text(caplog)
    assert SECRET not in text  # (the source line `raise Explosion(f"...{SECRET}")` may show; its value never)
    assert "in _explode" in text  # the frames are kept
    assert "builtins.ValueError (message withheld)" in text  # and the error it was raised from, by class


async def test_an_error_after_the_response_started_is_logged_and_reraised_without_its_message(
    settings: Settings, database: Database, caplog: pytest.LogCaptureFixture
):
    """Nothing can be answered any more: the server must drop the connection, and neither the log nor the
    exception it is handed may carry the message."""
    app = app_with_test_routes(settings, database)
    caplog.set_level(logging.INFO)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        with pytest.raises(ResponseAborted) as raised:
            await client.get("/api/_test/stream")
    assert SECRET not in str(raised.value)
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__
    [record] = [r for r in caplog.records if r.name == "shopcrm.errors"]
    assert record.route == "/api/_test/stream"  # type: ignore[attr-defined]
    text = _log_text(caplog)
    assert SECRET not in text
    assert "in _explode" in text


@pytest.fixture
def pg_settings() -> Settings:
    return make_settings(need_postgres())


@pytest.mark.parametrize("path", ["driver", "sqlalchemy"])
async def test_a_driver_error_quoting_a_bound_value_is_logged_without_it(
    pg_settings: Settings, caplog: pytest.LogCaptureFixture, path: str
):
    """asyncpg's message quotes the value it could not encode (`invalid input for query argument $1:
    Decimal('1E+999999')`), whatever `hide_parameters` says; the log keeps only classes and names."""
    database = Database(pg_settings, null_pool=True)
    app = create_app(pg_settings, database)
    router = APIRouter()
    too_big = Decimal("1E+999999")
    statement = select(bindparam("amount", type_=Numeric(12, 2)).label("amount"))
    named = DriverQuery(statement, name="test.amount_echo")

    @router.get("/api/_test/amount")
    async def amount(db: DbSession) -> dict[str, str]:
        if path == "driver":
            await named.first(await db.connection(), {"amount": too_big})
        else:
            await db.execute(select(bindparam("amount", type_=Numeric(12, 2)).label("other")), {"amount": too_big})
        return {}

    app.include_router(router)
    caplog.set_level(logging.INFO)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            response = await client.get("/api/_test/amount")
    finally:
        await database.dispose()
    assert response.status_code == 500
    assert response.json() == INTERNAL_ERROR

    [record] = [r for r in caplog.records if r.name == "shopcrm.errors"]
    assert record.error_type == "sqlalchemy.exc.DBAPIError"  # type: ignore[attr-defined]
    assert record.route == "/api/_test/amount"  # type: ignore[attr-defined]
    expected = "test.amount_echo" if path == "driver" else "sql#"
    assert record.statement.startswith(expected)  # type: ignore[attr-defined]
    text = _log_text(caplog)
    for leaked in ("1E+999999", "999999", "Decimal(", "invalid input for query argument"):
        assert leaked not in text
    assert "DataError" in text  # the driver's error class is named
