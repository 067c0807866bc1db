"""While PostgreSQL is unreachable the API answers 503 fast, and recovers by itself when it is back.

A small TCP proxy stands between the app and the real PostgreSQL server so the test can cut the
connection and restore it, as a network fault or a database restart would.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx
import pytest
from sqlalchemy import bindparam, func, literal, make_url, select, text
from sqlalchemy.exc import DBAPIError

from shopcrm.core.driver import DriverQuery
from shopcrm.db import PING_BYPASS_S, Database
from shopcrm.main import create_app
from tests.conftest import make_settings, need_postgres


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.server: asyncio.Server | None = None
        self.port = 0
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Refuse new connections and cut the open ones, like a database that went away."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None
        for writer in list(self.writers):
            writer.close()
        self.writers.clear()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        self.writers |= {client_writer, upstream_writer}

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            writer.close()

        await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))


@pytest.fixture
def pg_url() -> str:
    return need_postgres()


# A connection used less than db.PING_BYPASS_S ago is handed out without a ping: the cut is then found by
# the request's first statement instead of the checkout ping. Both must answer 503 and recover.
@pytest.mark.parametrize("idle_before_cut_s", [0.0, PING_BYPASS_S + 0.2], ids=["no-ping", "ping"])
async def test_outage_gives_fast_503_and_recovery_is_automatic(pg_url: str, idle_before_cut_s: float):
    real = make_url(pg_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = make_settings(url, db_connect_timeout_s=1.0, db_pool_timeout_s=1.0)
    database = Database(settings)  # a real pool, as in production
    app = create_app(settings, database)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.get("/api/health")).status_code == 200
            me = await client.get("/api/auth/me", headers={"Authorization": "Bearer scrm_nothing"})
            assert me.status_code == 401

            await asyncio.sleep(idle_before_cut_s)
            await proxy.stop()
            started = time.perf_counter()
            down = await client.get("/api/auth/me", headers={"Authorization": "Bearer scrm_nothing"})
            elapsed = time.perf_counter() - started
            assert down.status_code == 503, down.text
            assert down.json()["error"]["code"] == "database_unavailable"
            assert down.headers["Retry-After"] == "5"
            assert elapsed < 3.0
            assert (await client.get("/api/health")).status_code == 503

            await proxy.start()  # same port: the database is back
            back = await client.get("/api/auth/me", headers={"Authorization": "Bearer scrm_nothing"})
            assert back.status_code == 401  # a normal answer again, without restarting anything
            assert (await client.get("/api/health")).json() == {"status": "ok", "database": "ok"}
    finally:
        await proxy.stop()
        await database.dispose()


async def test_statement_timeout_stops_long_queries(pg_url: str):
    settings = make_settings(pg_url, statement_timeout_ms=200)
    database = Database(settings, null_pool=True)
    try:
        async with database.sessionmaker() as session:
            started = time.perf_counter()
            with pytest.raises(Exception, match="statement timeout"):
                await session.execute(text("SELECT pg_sleep(5)"))
            assert time.perf_counter() - started < 2.0
    finally:
        await database.dispose()


async def test_driver_statements_fail_like_sqlalchemy_ones(pg_url: str):
    """The statements run straight on asyncpg (core/driver.py) raise SQLAlchemy's errors, so a timeout is
    answered like any other, and a connection that survived keeps serving."""
    settings = make_settings(pg_url, statement_timeout_ms=200)
    database = Database(settings, null_pool=True)
    slow = DriverQuery(select(func.pg_sleep(bindparam("seconds"))))
    try:
        async with database.engine.connect() as conn:
            with pytest.raises(DBAPIError) as caught:
                await slow.first(conn, {"seconds": 5})
            assert type(caught.value.orig).__name__ == "QueryCanceledError"
            assert not caught.value.connection_invalidated
            assert await DriverQuery(select(literal(7).label("n"))).first(conn, {}) == {"n": 7}
    finally:
        await database.dispose()
