"""Statistics across all customers (the RFM fifths so far): computed off the request path, stored, read by key.

- `refresh_statistics(database)` computes them in one statement over the customers (customers/queries.py)
  on the read engine and upserts the one `customer_statistics` row on the primary, in a unit of work. On
  PostgreSQL it first takes a transaction-scoped advisory lock without waiting: when another process holds
  it, that one is computing and this one skips.
- `StatisticsRefresher` runs it inside a server process: once at start-up, then every
  `SHOPCRM_STATS_REFRESH_SECONDS`, one computation at a time (a caller arriving during one shares it).
- `stored_quintiles(session)` is what a request reads: one primary-key select, never a computation.

`shopcrm refresh-stats` runs it from the command line (and `shopcrm demo-data` after loading).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.core.engines import capabilities_of
from shopcrm.customers.insights import NotRankedYet, Quintiles
from shopcrm.customers.models import STATISTICS_ROW_ID, CustomerStatistics
from shopcrm.customers.queries import rfm_fifths
from shopcrm.db import Database, utcnow

log = logging.getLogger("shopcrm.customers.statistics")

# pg_try_advisory_xact_lock key shared by every process computing the statistics ("ShopCRM stats" in ASCII).
ADVISORY_LOCK_KEY = 0x53686F7043524D53


async def refresh_statistics(database: Database, *, max_age: dt.timedelta | None = None) -> CustomerStatistics | None:
    """Compute and store the statistics; the stored row, or None when this call skipped because another
    process is computing them (PostgreSQL) or the stored ones are younger than `max_age`."""
    async with database.transaction() as session:
        if capabilities_of(session).advisory_locks:
            locked = await session.scalar(select(func.pg_try_advisory_xact_lock(ADVISORY_LOCK_KEY)))
            if not locked:
                log.info("customer statistics: another process is computing them; skipped")
                return None
        if max_age is not None:
            stored = await session.get(CustomerStatistics, STATISTICS_ROW_ID)
            if stored is not None and utcnow() - stored.computed_at < max_age:
                return None
        started = time.perf_counter()
        # A heavy read: on the read engine (a replica when there is one), in its own read-only transaction.
        async with database.read_sessionmaker() as read:
            fifths = await rfm_fifths(read)
            await read.rollback()
        took_ms = round((time.perf_counter() - started) * 1000)
        values = {
            "id": STATISTICS_ROW_ID,
            "computed_at": utcnow(),
            "compute_ms": took_ms,
            "customers_with_orders": fifths.customers_with_orders,
        }
        for name, bounds in (
            ("last_order_at", fifths.last_order_at),
            ("total_orders", fifths.total_orders),
            ("total_spend", fifths.total_spend),
        ):
            for percent, value in zip((20, 40, 60, 80), bounds or (None,) * 4, strict=True):
                values[f"{name}_p{percent}"] = value
        insert = capabilities_of(session).insert(CustomerStatistics).values(values)
        await session.execute(
            insert.on_conflict_do_update(
                index_elements=[CustomerStatistics.id], set_={k: v for k, v in values.items() if k != "id"}
            )
        )
        row = CustomerStatistics(**values)
    log.info(
        "customer statistics computed over %d customers with orders in %d ms", fifths.customers_with_orders, took_ms
    )
    return row


async def stored_quintiles(session: AsyncSession, *, refresh_seconds: int) -> Quintiles | NotRankedYet:
    """The stored RFM fifths, as of now (recency in days from the stored last-order times); one key lookup."""
    row = (
        await session.execute(select(CustomerStatistics).where(CustomerStatistics.id == STATISTICS_ROW_ID))
    ).scalar_one_or_none()
    if row is None:
        return NotRankedYet(refresh_seconds=refresh_seconds)
    return quintiles_of(row, now=utcnow())


def quintiles_of(row: CustomerStatistics, *, now: dt.datetime) -> Quintiles:
    # Recency in days, ascending (most recent first), from the oldest-first last-order boundaries.
    recency = tuple(sorted((now - t).total_seconds() / 86400 for t in row.last_order_at_fifths))
    return Quintiles(
        recency_days=recency,
        frequency=tuple(float(v) for v in row.total_orders_fifths),
        monetary=tuple(float(v) for v in row.total_spend_fifths),
        customers=row.customers_with_orders,
        computed_at=row.computed_at,
    )


class StatisticsRefresher:
    """Keeps the stored statistics fresh from inside a server process (started and stopped by the app's
    lifespan): a computation at start-up, then one every `interval_s` seconds (0: none after start-up).

    One computation at a time in the process: `refresh()` during a running one waits for that one. With
    several processes the advisory lock lets one compute, and each skips statistics younger than half the
    interval, so N processes still compute about once per interval."""

    def __init__(self, database: Database, *, interval_s: float) -> None:
        self.database = database
        self.interval_s = interval_s
        self._running: asyncio.Task[CustomerStatistics | None] | None = None
        self._timer: asyncio.Task[None] | None = None
        self._first_done: asyncio.Event | None = None

    async def refresh(self, *, max_age: dt.timedelta | None = None) -> CustomerStatistics | None:
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(
                refresh_statistics(self.database, max_age=max_age), name="shopcrm-customer-statistics-refresh"
            )
        # Shielded: a caller that gives up (a cancelled request, say) does not cancel the shared computation.
        return await asyncio.shield(self._running)

    def start(self, *, delay_s: float = 0.0) -> None:
        """Start the background loop (its first computation runs after `delay_s`, without delaying start-up)."""
        if self._timer is None:
            self._first_done = asyncio.Event()
            self._timer = asyncio.create_task(self._loop(delay_s), name="shopcrm-customer-statistics-timer")

    async def stop(self) -> None:
        """Cancel the loop and any computation in flight, and wait for both to end."""
        for task in (self._timer, self._running):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._timer = None

    async def wait_idle(self) -> None:
        """Wait for the start-up computation (when started) and any computation in flight to end, however
        they end (tests, and a caller that needs the statistics now)."""
        if self._first_done is not None and self.running:
            await self._first_done.wait()
        running = self._running
        if running is not None and not running.done():
            await asyncio.wait([running])

    @property
    def running(self) -> bool:
        return self._timer is not None and not self._timer.done()

    async def _loop(self, delay_s: float) -> None:
        if delay_s:
            await asyncio.sleep(delay_s)
        # At start-up, statistics younger than one interval are kept: a restart or another process starting
        # would otherwise put a pass over every customer beside its first requests. After that, half an
        # interval, so that with N processes one of them computes about once per interval.
        max_age = dt.timedelta(seconds=self.interval_s) if self.interval_s else None
        while True:
            try:
                await self.refresh(max_age=max_age)
            except Exception:
                # Logged and tried again at the next tick; requests keep the statistics stored before.
                log.exception("customer statistics: computation failed")
            finally:
                if self._first_done is not None:
                    self._first_done.set()
            if not self.interval_s:
                return
            max_age = dt.timedelta(seconds=self.interval_s / 2)
            await asyncio.sleep(self.interval_s)
