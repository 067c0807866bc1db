"""While PostgreSQL is unreachable the API answers 503 fast, and recovers by itself when it is back.

A small TCP proxy stands between the app and the real PostgreSQL server so the test can cut the
connection and restore it, as a network fault or a database restart would, or silence it, as a dead link
does: then only the client-side timeouts (db_command_timeout_s, db_ping_timeout_s, db_connect_timeout_s)
stand between a request and a wait as long as the outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import bindparam, func, literal, make_url, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from shopcrm.auth import service as auth_service
from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.core.driver import DriverQuery
from shopcrm.db import PING_BYPASS_S, Database
from shopcrm.main import create_app
from tests.conftest import empty_all_tables, make_settings, need_postgres
from tests.factories import make_customer, make_product

# The silent-network tests' client-side bounds: small, so the file stays fast.
COMMAND_TIMEOUT_S = 1.5
PING_TIMEOUT_S = 1.0
CONNECT_TIMEOUT_S = 1.0
# Every request must have its answer within this while the network is silent.
BOUND_S = COMMAND_TIMEOUT_S + 3
# Past this a request is declared hung and the test fails instead of waiting for the network to return.
HUNG_S = 20.0


class TcpProxy:
    """Forwards TCP to the database. `stop()` cuts the network loudly (connections reset, new ones refused);
    `stall()` silently, as a dead link or a black-holing firewall does: every socket stays open, but no byte
    goes through in either direction and a new connection is accepted and then never answered. `resume()`
    lets the held bytes through again, as TCP's retransmissions do when a link comes back."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.server: asyncio.Server | None = None
        self.port = 0
        self.writers: set[asyncio.StreamWriter] = set()
        self.handlers: set[asyncio.Task[None]] = set()
        self.flowing = asyncio.Event()
        self.flowing.set()

    async def start(self) -> None:
        self.flowing.set()
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    def stall(self) -> None:
        self.flowing.clear()

    def resume(self) -> None:
        self.flowing.set()

    async def stop(self) -> None:
        """Refuse new connections and cut the open ones, like a database that went away."""
        server, self.server = self.server, None
        if server is not None:
            server.close()
        for writer in list(self.writers):
            writer.close()
        self.writers.clear()
        for task in list(self.handlers):
            task.cancel()
        await asyncio.gather(*self.handlers, return_exceptions=True)
        self.handlers.clear()
        if server is not None:
            await server.wait_closed()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.handlers.add(task)
        self.writers.add(client_writer)
        try:
            await self.flowing.wait()  # while stalled, accepted and never answered
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
            except OSError:
                client_writer.close()
                return
            self.writers.add(upstream_writer)

            async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                with contextlib.suppress(Exception):
                    while data := await reader.read(65536):
                        await self.flowing.wait()  # while stalled, bytes are held, not lost
                        writer.write(data)
                        await writer.drain()
                writer.close()

            await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))
        finally:
            self.handlers.discard(task)


@pytest.fixture
def pg_url(migrated_urls: dict[str, str]) -> str:
    """The migrated PostgreSQL test database (the requests below need its tables)."""
    need_postgres()
    return migrated_urls["postgresql"]


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


def test_command_timeout_defaults_to_a_little_above_the_statement_timeout():
    assert Settings(statement_timeout_ms=15_000).command_timeout_s == 20.0
    assert Settings(statement_timeout_ms=15_000, db_command_timeout_s=3).command_timeout_s == 3.0
    assert Settings(db_command_timeout_s=0).command_timeout_s is None  # explicitly unbounded
    assert Settings(statement_timeout_ms=0).command_timeout_s is None  # no server bound: none assumed here


@pytest.fixture
async def proxy(pg_url: str) -> AsyncIterator[TcpProxy]:
    real = make_url(pg_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.stop()


def through(proxy: TcpProxy, pg_url: str) -> str:
    return make_url(pg_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def silent_network_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "db_command_timeout_s": COMMAND_TIMEOUT_S,
        "db_ping_timeout_s": PING_TIMEOUT_S,
        "db_connect_timeout_s": CONNECT_TIMEOUT_S,
        "db_pool_timeout_s": 1.0,
    }
    values.update(overrides)
    return make_settings(url, **values)


async def timed(awaitable: Awaitable[object]) -> tuple[object, float]:
    """The awaitable's result and how long it took; fails the test if it is still waiting after HUNG_S."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(HUNG_S):
            result = await awaitable
    except TimeoutError:
        pytest.fail(f"still waiting after {HUNG_S} s: it hangs while the network is silent")
    return result, time.perf_counter() - started


async def test_an_unanswered_statement_closes_its_connection(pg_url: str, proxy: TcpProxy):
    """A statement with no answer within the command timeout, through SQLAlchemy or straight on the driver,
    raises an error marked connection_invalidated (a 503 for the API) and its connection is closed and
    discarded, so it cannot hand a half-finished exchange to the next request once the network is back."""
    database = Database(silent_network_settings(through(proxy, pg_url)))  # a real pool
    try:
        async with database.engine.connect() as orm_conn, database.engine.connect() as driver_conn:
            await orm_conn.execute(text("SELECT 1"))
            await DriverQuery(select(literal(1).label("n"))).first(driver_conn, {})
            drivers = [(await c.get_raw_connection()).driver_connection for c in (orm_conn, driver_conn)]

            proxy.stall()
            try:
                started = time.perf_counter()
                with pytest.raises(OperationalError) as orm_error:
                    await timed(orm_conn.execute(text("SELECT 1")))
                orm_s = time.perf_counter() - started
                started = time.perf_counter()
                with pytest.raises(DBAPIError) as driver_error:
                    await timed(DriverQuery(select(literal(2).label("n"))).first(driver_conn, {}))
                driver_s = time.perf_counter() - started

                for caught, elapsed in ((orm_error, orm_s), (driver_error, driver_s)):
                    assert caught.value.connection_invalidated
                    assert isinstance(caught.value.orig, TimeoutError)
                    assert COMMAND_TIMEOUT_S - 0.1 < elapsed < COMMAND_TIMEOUT_S + 1.0
                assert orm_conn.invalidated
                assert driver_conn.invalidated
                assert all(driver.is_closed() for driver in drivers)
            finally:
                proxy.resume()  # also lets a hung test's connections close

        async with database.engine.connect() as conn:  # the pool connects afresh
            assert (await conn.execute(text("SELECT 7"))).scalar() == 7
            assert (await conn.get_raw_connection()).driver_connection not in drivers
    finally:
        await database.dispose()


async def test_bulk_connection_has_no_client_side_timeout(pg_url: str):
    """The demo-data load lifts statement_timeout and runs for minutes: its connection has no command
    timeout, while every other one does."""
    database = Database(make_settings(pg_url, db_command_timeout_s=0.3), null_pool=True)
    try:
        async with database.bulk_connection() as conn:
            await conn.execute(text("SELECT pg_sleep(0.6)"))
        async with database.engine.connect() as conn:
            with pytest.raises(OperationalError) as caught:
                await conn.execute(text("SELECT pg_sleep(0.6)"))
            assert isinstance(caught.value.orig, TimeoutError)
    finally:
        await database.dispose()


async def test_connections_have_tcp_keepalives(pg_url: str):
    """asyncpg has no keepalive option: db.py sets them on each new connection's socket."""
    database = Database(
        make_settings(pg_url, db_keepalive_idle_s=17, db_keepalive_interval_s=4, db_keepalive_count=2), null_pool=True
    )
    try:
        async with database.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            sock = driver._transport.get_extra_info("socket")
            assert sock.family in (socket.AF_INET, socket.AF_INET6), "TEST_DATABASE_URL must reach PostgreSQL over TCP"
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 17
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL) == 4
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 2
    finally:
        await database.dispose()


@dataclass
class Shop:
    token: str
    customer_id: int
    sku: str


@pytest.fixture
async def shop(pg_url: str) -> AsyncIterator[Shop]:
    """A writer's API token, a customer and a product, written straight to the database (no proxy)."""
    database = Database(make_settings(pg_url), null_pool=True)
    try:
        await empty_all_tables(database)
        async with database.sessionmaker.begin() as session:
            user = await auth_service.create_user(
                session,
                email="writer@example.com",
                full_name="Writer",
                role=Role.marketer,
                password="correct-horse-battery",
                settings=database.settings,
            )
            _, token = await auth_service.create_api_token(session, user=user, name="storefront", expires_in_days=None)
        customer = await make_customer(database)
        product = await make_product(database, sku="SILENT-1", price=Decimal("5.00"), stock=1000)
        yield Shop(token=token, customer_id=customer.id, sku=product.sku)
    finally:
        await database.dispose()


# Stalled right after use, each request's pooled connection is handed out unpinged and its statement gets
# no answer (the command timeout); stalled after the bypass window, the checkout ping gets none (the ping
# timeout), and so does the fresh connection that replaces it (the connect timeout).
@pytest.mark.parametrize("idle_before_stall_s", [0.0, PING_BYPASS_S + 0.2], ids=["statement", "ping"])
async def test_silent_network_gives_bounded_503_and_recovery(
    pg_url: str, proxy: TcpProxy, shop: Shop, idle_before_stall_s: float
):
    """Issue 12 item 4: with the network silent (sockets open, no byte through), a customer list, an order
    ingestion and an API-token check each answer 503 within BOUND_S instead of waiting for the network, and
    once it is back the same process serves them again."""
    # The token is remembered after its first check, so the list and the ingestion reach their own
    # statements; a token never seen (the third request) is checked in the database every time.
    settings = silent_network_settings(through(proxy, pg_url), token_cache_seconds=60)
    database = Database(settings)  # a real pool, as in production
    app = create_app(settings, database)
    writer = {"Authorization": f"Bearer {shop.token}"}
    numbers = iter(range(1, 100))

    def order() -> dict[str, object]:
        return {
            "order_number": f"S-{next(numbers)}",
            "customer_id": shop.customer_id,
            "items": [{"sku": shop.sku, "quantity": 1}],
        }

    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:

            async def three() -> list[httpx.Response]:
                # At once, so each has a pooled connection of its own that was just used.
                return list(
                    await asyncio.gather(
                        client.get("/api/customers", headers=writer),
                        client.post("/api/orders", json=order(), headers=writer),
                        client.get("/api/auth/me", headers={"Authorization": "Bearer scrm_never_issued"}),
                    )
                )

            assert [r.status_code for r in await three()] == [200, 201, 401]

            await asyncio.sleep(idle_before_stall_s)
            proxy.stall()
            results = await asyncio.gather(
                *(
                    timed(c)
                    for c in (
                        client.get("/api/customers", headers=writer),
                        client.post("/api/orders", json=order(), headers=writer),
                        client.get("/api/auth/me", headers={"Authorization": "Bearer scrm_never_issued"}),
                    )
                )
            )
            for (response, elapsed), what in zip(results, ["customer list", "ingestion", "token check"], strict=True):
                assert isinstance(response, httpx.Response)
                assert response.status_code == 503, f"{what}: {response.text}"
                assert response.json()["error"]["code"] == "database_unavailable", what
                assert response.headers["Retry-After"] == "5"
                assert elapsed < BOUND_S, f"{what} took {elapsed:.1f} s"

            proxy.resume()  # the network is back
            for _ in range(3):  # no connection left over from the silence spoils a later request
                assert [r.status_code for r in await three()] == [200, 201, 401]
                await asyncio.sleep(PING_BYPASS_S + 0.1)  # the next round is pinged at checkout
            assert (await client.get("/api/health")).json() == {"status": "ok", "database": "ok"}
    finally:
        await proxy.stop()
        await database.dispose()
