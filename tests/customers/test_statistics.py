"""Statistics across all customers (RFM fifths), on both engines: computed in one statement with the same
boundaries as the OFFSET definition, stored, read by key in customer details, refreshed in the background one
computation at a time."""

from __future__ import annotations

import asyncio
import datetime as dt
import warnings
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.customers import statistics
from shopcrm.customers.models import Customer, CustomerStatistics
from shopcrm.customers.queries import rfm_fifths
from shopcrm.customers.statistics import ADVISORY_LOCK_KEY, StatisticsRefresher, refresh_statistics
from shopcrm.db import Database, utcnow
from shopcrm.main import create_app
from tests.factories import make_customer


async def offset_fifths(session: AsyncSession) -> tuple[int, tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    """The definition the scores have always used: `ORDER BY col OFFSET n*i//5 LIMIT 1`, i = 1..4."""
    has_orders = Customer.last_order_at.is_not(None)
    n = int(await session.scalar(select(func.count()).select_from(Customer).where(has_orders)) or 0)
    if n == 0:
        return 0, (), (), ()

    async def bounds(column: Any) -> tuple[Any, ...]:
        return tuple(
            [
                await session.scalar(select(column).where(has_orders).order_by(column).offset(n * i // 5).limit(1))
                for i in range(1, 5)
            ]
        )

    last_orders = await bounds(Customer.last_order_at)
    return n, last_orders, await bounds(Customer.total_orders), await bounds(Customer.total_spend)


async def buyer(database: Database, n: int, **fields: object) -> Customer:
    """A customer with figures as if they had ordered; `n` spreads the values with ties."""
    now = utcnow()
    values: dict[str, object] = {
        "total_orders": 1 + (n * 7) % 5,
        "total_spend": Decimal(10 + (n * 37) % 23 * 5).quantize(Decimal("0.01")),
        "first_order_at": now - dt.timedelta(days=400),
        "last_order_at": now - dt.timedelta(days=(n * 13) % 17, hours=n),
    }
    values.update(fields)
    return await make_customer(database, **values)


async def test_fifths_equal_the_offset_definition_for_every_count(database: Database):
    """Every count from 0 to 17 covers each remainder of n*i/5, where percentiles and offsets could differ by one."""
    await make_customer(database)  # customers without orders are not ranked
    for n in range(18):
        async with database.read_sessionmaker() as session:
            fifths = await rfm_fifths(session)
            expected = await offset_fifths(session)
        got = (fifths.customers_with_orders, fifths.last_order_at, fifths.total_orders, fifths.total_spend)
        assert got == expected, f"with {n} customers with orders"
        await buyer(database, n)


async def headers(make_user: Any) -> dict[str, str]:
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


class Statements:
    """The SQL both engines run while the block is open."""

    def __init__(self, database: Database) -> None:
        self.engines = {database.engine.sync_engine, database.read_engine.sync_engine}
        self.seen: list[str] = []

    def _capture(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.seen.append(" ".join(statement.split()))

    def __enter__(self) -> list[str]:
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._capture)
        return self.seen

    def __exit__(self, *exc: object) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._capture)


async def test_details_read_the_stored_fifths_and_compute_nothing(
    app_client: httpx.AsyncClient, database: Database, make_user: Any
):
    auth = await headers(make_user)
    customers = [await buyer(database, n) for n in range(12)]
    target = customers[0].id

    # A fresh database: no statistics yet. The page answers at once, without ranking anyone.
    with Statements(database) as seen:
        first = await app_client.get(f"/api/customers/{target}/details", headers=auth)
    assert first.status_code == 200
    rfm = first.json()["insights"]["rfm"]
    assert rfm["group"] == "Not ranked yet"
    assert (rfm["recency"], rfm["frequency"], rfm["monetary"]) == (None, None, None)
    assert "every 10 minutes" in rfm["basis"]
    assert_computes_nothing(seen)

    stored = await refresh_statistics(database)
    assert stored is not None
    assert stored.customers_with_orders == 12

    with Statements(database) as seen:
        second = await app_client.get(f"/api/customers/{target}/details", headers=auth)
    rfm = second.json()["insights"]["rfm"]
    assert all(1 <= rfm[k] <= 5 for k in ("recency", "frequency", "monetary")), rfm
    assert "against 12 customers with orders" in rfm["basis"]
    assert f"as of {stored.computed_at:%Y-%m-%d %H:%M} UTC" in rfm["basis"]
    assert_computes_nothing(seen)
    assert any("FROM customer_statistics" in s and "customer_statistics.id =" in s for s in seen), seen


def assert_computes_nothing(statements: list[str]) -> None:
    for sql in statements:
        lowered = sql.lower()
        for computing in ("percentile", "row_number", "within group"):
            assert computing not in lowered, sql
        if " from customers" in lowered:  # the customer is read by its key, never counted or ranked
            assert "where customers.id =" in lowered, sql
            assert "count(" not in lowered, sql
            assert " offset " not in lowered, sql


async def test_stored_fifths_score_as_the_offset_definition(database: Database):
    for n in range(23):
        await buyer(database, n)
    row = await refresh_statistics(database)
    assert row is not None
    async with database.read_sessionmaker() as session:
        n, last_orders, orders, spend = await offset_fifths(session)
        q = await statistics.stored_quintiles(session, refresh_seconds=600)
    assert not isinstance(q, statistics.NotRankedYet)
    assert (q.customers, q.frequency, q.monetary) == (n, tuple(map(float, orders)), tuple(map(float, spend)))
    # Recency is counted in days from the stored last-order times when read, as before.
    assert q.recency_days == pytest.approx(
        sorted((utcnow() - t).total_seconds() / 86400 for t in last_orders), abs=1e-3
    )


async def test_concurrent_refreshes_in_a_process_compute_once(database: Database, monkeypatch: pytest.MonkeyPatch):
    for n in range(6):
        await buyer(database, n)
    computed = 0

    async def counted(session: AsyncSession) -> Any:
        nonlocal computed
        computed += 1
        await asyncio.sleep(0.05)  # long enough for the second caller to arrive during it
        return await rfm_fifths(session)

    monkeypatch.setattr(statistics, "rfm_fifths", counted)
    refresher = StatisticsRefresher(database, interval_s=0)
    first, second = await asyncio.gather(refresher.refresh(), refresher.refresh())
    assert computed == 1
    assert first is second
    assert first is not None
    # Statistics younger than max_age are left as they are.
    assert await refresher.refresh(max_age=dt.timedelta(hours=1)) is None
    assert computed == 1
    assert await refresher.refresh() is not None
    assert computed == 2


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)  # advisory locks; SQLite is one process
async def test_another_process_computing_makes_this_one_skip(database: Database, settings: Settings):
    other = create_async_engine(settings.database_url)
    try:
        async with other.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            assert await refresh_statistics(database) is None
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
        assert await refresh_statistics(database) is not None
    finally:
        await other.dispose()
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(CustomerStatistics)) == 1


def our_tasks() -> list[asyncio.Task[Any]]:
    return [t for t in asyncio.all_tasks() if t.get_name().startswith("shopcrm-customer-statistics")]


async def test_the_app_computes_at_start_up_and_stops_cleanly(settings: Settings, database: Database):
    for n in range(5):
        await buyer(database, n)
    app = create_app(settings.model_copy(update={"stats_refresh_seconds": 0}), database)
    refresher: StatisticsRefresher = app.state.customer_statistics
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        async with app.router.lifespan_context(app):
            assert our_tasks(), "the start-up computation runs in the background"
            await refresher.wait_idle()
            assert not refresher.running  # timer disabled: start-up only
        assert not our_tasks()
    async with database.transaction() as session:
        row = await session.get(CustomerStatistics, 1)
        assert row is not None
        assert row.customers_with_orders == 5


async def test_the_timer_recomputes_and_stops_cleanly(database: Database, monkeypatch: pytest.MonkeyPatch):
    computations: list[dt.datetime] = []
    refresher = StatisticsRefresher(database, interval_s=0.05)  # a tiny interval, deliberately
    real = statistics.refresh_statistics

    async def counted(db: Database, *, max_age: dt.timedelta | None = None) -> CustomerStatistics | None:
        row = await real(db, max_age=max_age)
        if row is not None:
            computations.append(row.computed_at)
        return row

    monkeypatch.setattr(statistics, "refresh_statistics", counted)
    refresher.start()
    for _ in range(200):
        if len(computations) >= 3:
            break
        await asyncio.sleep(0.02)
    assert refresher.running
    await refresher.stop()
    assert len(computations) >= 3
    assert computations == sorted(computations)
    assert not refresher.running
    assert not our_tasks()


async def test_a_process_starting_keeps_statistics_younger_than_one_interval(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await refresh_statistics(database)  # as another process did a moment ago
    computed: list[object] = []
    real = statistics.refresh_statistics

    async def counted(db: Database, *, max_age: dt.timedelta | None = None) -> CustomerStatistics | None:
        row = await real(db, max_age=max_age)
        if row is not None:
            computed.append(row)
        return row

    monkeypatch.setattr(statistics, "refresh_statistics", counted)
    refresher = StatisticsRefresher(database, interval_s=600)
    refresher.start()
    await refresher.wait_idle()
    await refresher.stop()
    assert computed == []  # the start-up pass found them fresh and left them
