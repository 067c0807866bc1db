"""The daily rollup: how a day's rows are (re)built and when.

- `rebuild_days(session, days, tz)` replaces the rows of those store-local days with what the orders say
  now, through the very queries the dashboard runs live (analytics/queries.py), so a rolled-up day and a
  live day cannot disagree.
- `refresh_rollup(database, tz)` brings the rollup up to date in one unit of work: a first build (or a
  time-zone change) rebuilds every day from the first order on; after that only the days whose orders were
  created or changed since the watermark (status events after it). The watermark stays `SETTLE` behind the
  newest event, because a concurrent transaction can commit an event with a smaller id after a larger one:
  events younger than that are rebuilt again next time (cheap), never missed. On PostgreSQL a transaction-
  scoped advisory lock lets one process refresh at a time; the others skip.
- `RollupRefresher` runs it in a server process on an in-process timer, like the customer statistics.

Requests never wait for it: the dashboard reads today, and every day touched after the watermark, live.
Ingestion writes nothing more (the status event it already writes is the change record).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.analytics import queries
from shopcrm.analytics.customer_sets import pack
from shopcrm.analytics.models import (
    ROLLUP_STATE_ROW_ID,
    DailyCategorySales,
    DailyCustomers,
    DailyProductSales,
    DailySales,
    PeriodProductSales,
    PeriodWindow,
    RollupState,
)
from shopcrm.core.background import InProcessLoop
from shopcrm.core.engines import capabilities_of
from shopcrm.db import Database, utcnow

log = logging.getLogger("shopcrm.analytics.rollup")

ADVISORY_LOCK_KEY = 0x53686F7044617368  # "ShopDash"
SETTLE = dt.timedelta(seconds=30)
# Days rebuilt per statement pair in a full build. Their product and customer rows are held at once: 62 days
# took the process to 542 MiB on the large set (a demo load to 1.1 GB in all), 16 days to 196 MiB, 15% slower.
CHUNK_DAYS = 16
ROLLUP_TABLES = (DailySales, DailyProductSales, DailyCategorySales, DailyCustomers, PeriodProductSales, PeriodWindow)


async def rebuild_days(session: AsyncSession, days: Iterable[dt.date], tz: ZoneInfo) -> None:
    """Replace the rollup rows of these days with what their orders say now."""
    ordered = sorted(set(days))
    for start in range(0, len(ordered), CHUNK_DAYS):
        chunk = ordered[start : start + CHUNK_DAYS]
        await session.execute(delete(DailySales).where(DailySales.day.in_(chunk)))
        await session.execute(delete(DailyProductSales).where(DailyProductSales.day.in_(chunk)))
        await session.execute(delete(DailyCategorySales).where(DailyCategorySales.day.in_(chunk)))
        await session.execute(delete(DailyCustomers).where(DailyCustomers.day.in_(chunk)))
        listed, condition, bucket = queries.placed_on(chunk, tz)
        sales = [
            {"day": listed[b], "status": status, "orders": n, "sales": total, "items": items or 0}
            for b, status, n, total, items in (await session.execute(queries.live_sales(condition, bucket))).all()
        ]
        products: list[dict[str, Any]] = []
        categories: dict[tuple[dt.date, str], list[Any]] = defaultdict(lambda: [0, Decimal("0")])
        for b, product_id, category, units, amount in (
            await session.execute(queries.live_products(condition, bucket))
        ).all():
            products.append({"day": listed[b], "product_id": product_id, "units": units, "sales": amount})
            row = categories[(listed[b], category)]
            row[0] += units
            row[1] += Decimal(amount)
        if sales:
            await session.execute(insert(DailySales), sales)
        if products:
            await session.execute(insert(DailyProductSales), products)
        if categories:
            await session.execute(
                insert(DailyCategorySales),
                [{"day": d, "category": c, "units": u, "sales": s} for (d, c), (u, s) in categories.items()],
            )
        customers: dict[int, list[int]] = defaultdict(list)
        for b, customer_id in (await session.execute(queries.live_customers(condition, bucket))).all():
            customers[b].append(customer_id)
        if customers:
            packed = [(listed[b], *pack(ids)) for b, ids in customers.items()]
            await session.execute(
                insert(DailyCustomers), [{"day": d, "customers": n, "ids": blob} for d, n, blob in packed]
            )


async def refresh_rollup(database: Database, *, timezone: str) -> int | None:
    """Bring the rollup up to date; the number of days rebuilt, or None when another process is at it."""
    tz = ZoneInfo(timezone)
    async with database.transaction() as session:
        if capabilities_of(session).advisory_locks and not await session.scalar(
            select(func.pg_try_advisory_xact_lock(ADVISORY_LOCK_KEY))
        ):
            return None
        state = await session.get(RollupState, ROLLUP_STATE_ROW_ID)
        built = state is not None and state.timezone == timezone
        if built or not capabilities_of(session).embedded:
            return await refresh_in(session, tz=tz, timezone=timezone)
    return await _build_in_steps(database, tz=tz, timezone=timezone)


async def _build_in_steps(database: Database, *, tz: ZoneInfo, timezone: str) -> int:
    """A first build on the embedded engine, a unit of work per CHUNK_DAYS days: SQLite lets one writer in at a
    time, and one transaction over every day (25 s on the medium set) kept every other write waiting, logins
    included. Until the last step writes the state row the dashboard reads every day live, as before a build;
    orders changed meanwhile are after the watermark taken at the start, so the next refresh rebuilds their
    days."""
    async with database.transaction() as session:
        now = utcnow()
        settled = await session.scalar(queries.settled_watermark(now - SETTLE)) or 0
        first = await session.scalar(queries.first_placed())
        await _clear(session)
    days: list[dt.date] = []
    if first is not None:
        start, end = queries.local_day(first, tz), queries.local_day(now, tz)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    for i in range(0, len(days), CHUNK_DAYS):
        async with database.transaction() as session:
            await rebuild_days(session, days[i : i + CHUNK_DAYS], tz)
    async with database.transaction() as session:
        await refresh_periods(session, today=queries.local_day(now, tz), rebuilt=days)
        session.add(RollupState(id=ROLLUP_STATE_ROW_ID, timezone=timezone, event_watermark=settled, built_at=now))
    return len(days)


async def _clear(session: AsyncSession) -> None:
    """Every rollup row and the state row: the dashboard reads every day live until a build writes it again."""
    await session.execute(delete(RollupState))
    for table in ROLLUP_TABLES:
        await session.execute(delete(table))


async def refresh_in(session: AsyncSession, *, tz: ZoneInfo, timezone: str, settle: dt.timedelta = SETTLE) -> int:
    """`refresh_rollup`'s work inside the caller's unit of work (the demo loader, tests)."""
    now = utcnow()
    settled = await session.scalar(queries.settled_watermark(now - settle)) or 0
    state = await session.get(RollupState, ROLLUP_STATE_ROW_ID)
    if state is None or state.timezone != timezone:
        first = await session.scalar(queries.first_placed())
        for table in ROLLUP_TABLES:
            await session.execute(delete(table))
        if first is None:
            days: list[dt.date] = []
        else:
            start, end = queries.local_day(first, tz), queries.local_day(now, tz)
            days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    else:
        touched = (await session.execute(queries.touched_since(state.event_watermark))).scalars().all()
        days = sorted({queries.local_day(t, tz) for t in touched})
    await rebuild_days(session, days, tz)
    await refresh_periods(session, today=queries.local_day(now, tz), rebuilt=days)
    if state is None:
        session.add(RollupState(id=ROLLUP_STATE_ROW_ID, timezone=timezone, event_watermark=settled, built_at=now))
    else:
        # Never backwards: a refresh with fewer settled events (clock skew) keeps the older, larger mark.
        rezoned = state.timezone != timezone
        state.event_watermark = settled if rezoned else max(settled, state.event_watermark)
        state.timezone = timezone
        state.built_at = now
    await session.flush()
    return len(days)


async def refresh_periods(session: AsyncSession, *, today: dt.date, rebuilt: list[dt.date]) -> None:
    """Re-sum a standard period's product totals when its closed days moved on (a new day) or one of them was
    rebuilt; a period left as it was costs one read of its window row."""
    windows = {w.days: w for w in (await session.execute(select(PeriodWindow))).scalars()}
    for days in queries.STANDARD_PERIOD_DAYS:
        first, last = today - dt.timedelta(days=days - 1), today - dt.timedelta(days=1)
        window = windows.get(days)
        if (
            window is not None
            and (window.first_day, window.last_day) == (first, last)
            and not any(first <= d <= last for d in rebuilt)
        ):
            continue
        await session.execute(delete(PeriodProductSales).where(PeriodProductSales.days == days))
        await session.execute(queries.sum_period(days, first, last))
        if window is None:
            session.add(PeriodWindow(days=days, first_day=first, last_day=last))
        else:
            window.first_day, window.last_day = first, last


class RollupRefresher:
    """Keeps the rollup fresh from inside a server process (started and stopped by the app's lifespan):
    a refresh a few seconds after start-up, then one every `interval_s` seconds (0: that first one only).
    The first refresh waits (core/background.START_DELAY_S): run at once, it shared the event loop and the
    database with a new process's first requests (a cold process's first customer details: 360-435 ms
    beside it, 15-28 ms without, on the large set). The dashboard reads the days not rolled up live
    meanwhile."""

    def __init__(self, database: Database, *, interval_s: float, timezone: str) -> None:
        self.database = database
        self.interval_s = interval_s
        self.timezone = timezone
        self._loop = InProcessLoop(self.run_forever, name="shopcrm-analytics-rollup")

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def run_forever(self) -> None:
        while True:
            try:
                days = await refresh_rollup(self.database, timezone=self.timezone)
                if days:
                    log.info("analytics rollup: %d day(s) rebuilt", days)
            except Exception:
                log.exception("analytics rollup: refresh failed")  # the dashboard serves those days live
            if not self.interval_s:
                return
            await asyncio.sleep(self.interval_s)
