"""The forecasting batch and the loop that runs it.

`refresh_forecasts(database, settings=...)` brings the daily rollup up to date (analytics/rollup.py), then, if
the stored forecasts are older than `SHOPCRM_FORECAST_REFRESH_SECONDS` (or `force`):
1. reads every product and the rollup's daily units of the last `HISTORY_DAYS` closed store-local days, in
   two statements on one snapshot (the read engine), into a (days x products) array (on PostgreSQL the units
   come as three arrays in one row, decoded by the driver in C: millions of rows cost seconds otherwise);
2. computes, vectorised over all products (forecasting/methods.py): the chosen method's daily rate, the
   spread of daily units, the backtest of every method on the held-out last `HOLDOUT_DAYS` days; then the
   advice per product (inventory/advice.py);
3. replaces every `product_forecasts` row and the `forecast_runs` row in one short transaction.

Single-flight: on PostgreSQL the write transaction first takes a transaction-scoped advisory lock without
waiting, and a process that does not get it skips (any number of `shopcrm worker` processes may run); on
SQLite one process (`shopcrm serve`) runs the loop. Logs carry counts and times only.

A product's series starts on its first day in the window: the day it was created, or its first sale in the
window if that came earlier (imported history). Fewer than `MIN_HISTORY_DAYS` days: "not enough history",
no number. Its backtest needs `MIN_HISTORY_DAYS` days before the held-out ones.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.analytics.queries import local_day
from shopcrm.analytics.rollup import refresh_rollup
from shopcrm.config import Settings
from shopcrm.core.background import START_DELAY_S, InProcessLoop
from shopcrm.core.driver import postgres_driver
from shopcrm.core.engines import capabilities_of
from shopcrm.db import Database, utcnow
from shopcrm.forecasting import backtest, queries
from shopcrm.forecasting.methods import BASELINE, CHOSEN, F64, I64, LABELS, METHODS, recent_sd
from shopcrm.inventory.advice import REVIEW_DAYS, advise, z_score
from shopcrm.inventory.models import FORECAST_RUN_ROW_ID, ForecastRun, ForecastStatus, ProductForecast

log = logging.getLogger("shopcrm.forecasting.jobs")

ADVISORY_LOCK_KEY = 0x53686F70466F7265  # "ShopFore"
HISTORY_DAYS = 365
HORIZON_DAYS = 30
HOLDOUT_DAYS = 30
MIN_HISTORY_DAYS = 56  # 8 weeks
READ_BATCH = 100_000
POLL_SECONDS = 60.0


@dataclass(frozen=True)
class Series:
    first_day: dt.date
    ids: I64
    categories: list[str]
    stock: I64
    lead_days: I64
    start: I64  # each product's first day in the window (index into y's rows; len(y) when none)
    y: F64  # units per (day, product), oldest day first


@dataclass(frozen=True)
class Batch:
    rows: list[dict[str, Any]]
    summary: dict[str, Any]


@dataclass(frozen=True)
class Refreshed:
    products: int
    forecasted: int
    computed_at: dt.datetime
    took_ms: int
    summary: dict[str, Any]


async def load_series(conn: AsyncConnection, *, today: dt.date, tz: ZoneInfo, days: int = HISTORY_DAYS) -> Series:
    """Every product and its daily units over the `days` closed days before `today`, in one array. `conn` must
    be in a transaction (the sales are streamed through a server-side cursor)."""
    first_day = today - dt.timedelta(days=days)
    products = (await conn.execute(queries.products())).all()
    n = len(products)
    ids = np.fromiter((p[0] for p in products), np.int64, n)
    created = np.fromiter((local_day(p[4], tz).toordinal() for p in products), np.int64, n)
    y = np.zeros((days, n))
    origin = first_day.toordinal()
    last_day = today - dt.timedelta(days=1)

    def place(pid: I64, day: I64, units: F64) -> None:
        col = np.minimum(np.searchsorted(ids, pid), max(n - 1, 0))
        known = (ids[col] == pid) if n else np.zeros(len(pid), dtype=bool)  # rollup rows outlive products
        y[day[known], col[known]] = units[known]

    raw = await postgres_driver(conn) if capabilities_of(conn).array_aggregates else None
    if raw is not None:  # part of `conn`'s transaction: the same snapshot as the products
        pids, offsets, units = await raw.fetchrow(queries.DAILY_UNIT_ARRAYS_SQL, first_day, last_day)
        place(np.array(pids or [], np.int64), np.array(offsets or [], np.int64), np.array(units or [], np.float64))
    else:
        result = await conn.stream(queries.daily_units(first_day, last_day).execution_options(yield_per=READ_BATCH))
        async for part in result.partitions():
            place(
                np.fromiter((r[0] for r in part), np.int64, len(part)),
                np.fromiter((r[1].toordinal() for r in part), np.int64, len(part)) - origin,
                np.fromiter((r[2] for r in part), np.float64, len(part)),
            )
    sold = y > 0
    first_sale = np.where(sold.any(axis=0), sold.argmax(axis=0), days)
    start = np.minimum(np.clip(created - origin, 0, days), first_sale)
    return Series(
        first_day=first_day,
        ids=ids,
        categories=[p[1] for p in products],
        stock=np.fromiter((p[2] for p in products), np.int64, n),
        lead_days=np.fromiter((p[3] for p in products), np.int64, n),
        start=start.astype(np.int64),
        y=y,
    )


def _figures(e: backtest.Errors) -> dict[str, Any]:
    return {
        "wape": e.wape,
        "bias": e.bias,
        "products": e.products,
        "sold": round(e.sold, 1),
        "forecast": round(e.forecast, 1),
    }


def compute(series: Series, *, today: dt.date, service_level: float, now: dt.datetime) -> Batch:
    """The stored rows and the run's summary, from the series alone (no database)."""
    y, start = series.y, series.start
    n = len(series.ids)
    history = y.shape[0] - start
    enough = history >= MIN_HISTORY_DAYS
    rate = METHODS[CHOSEN](y, start)
    spread = recent_sd(y, start)
    test = backtest.run(y, start, holdout_days=HOLDOUT_DAYS, min_history_days=MIN_HISTORY_DAYS, methods=list(METHODS))
    tested = test.eligible & enough
    z = z_score(service_level)
    rows: list[dict[str, Any]] = []
    for i in range(n):
        row: dict[str, Any] = {
            "product_id": int(series.ids[i]),
            "history_days": int(history[i]),
            "stock": int(series.stock[i]),
            "computed_at": now,
        }
        if not enough[i]:
            row |= _empty(
                f"not enough history: {int(history[i])} days of sales history, a forecast needs {MIN_HISTORY_DAYS}"
            )
            rows.append(row)
            continue
        a = advise(
            stock=int(series.stock[i]),
            daily_rate=float(rate[i]),
            demand_sd=float(spread[i]),
            lead_days=int(series.lead_days[i]),
            z=z,
            today=today,
        )
        row |= {
            "status": ForecastStatus.ok.value,
            "daily_rate": round(float(rate[i]), 4),
            "forecast_30d": round(float(rate[i]) * HORIZON_DAYS, 4),
            "demand_sd": round(float(spread[i]), 4),
            "safety_stock": round(a.safety_stock, 4),
            "reorder_point": round(a.reorder_point, 4),
            "reorder_qty": a.reorder_qty,
            "days_of_cover": a.days_of_cover,
            "stockout_on": a.stockout_on,
            "need_rank": int(a.need),
            "reason": a.reason,
            "backtest_forecast": round(float(test.forecasts[CHOSEN][i]), 4) if tested[i] else None,
            "backtest_naive": round(float(test.forecasts[BASELINE][i]), 4) if tested[i] else None,
            "backtest_actual": int(test.actual[i]) if tested[i] else None,
        }
        rows.append(row)
    names, codes = np.unique(np.asarray(series.categories, dtype=object), return_inverse=True)
    codes = codes.astype(np.int64)
    per_method = {
        m: backtest.errors_by_group(f, test.actual, tested, codes, len(names)) for m, f in test.forecasts.items()
    }
    holdout_first = today - dt.timedelta(days=HOLDOUT_DAYS)
    summary = {
        "method": CHOSEN,
        "method_label": LABELS[CHOSEN],
        "baseline": BASELINE,
        "horizon_days": HORIZON_DAYS,
        "history_days": y.shape[0],
        "min_history_days": MIN_HISTORY_DAYS,
        "service_level": service_level,
        "review_days": REVIEW_DAYS,
        "holdout": {
            "first_day": holdout_first.isoformat(),
            "last_day": (today - dt.timedelta(days=1)).isoformat(),
            "days": HOLDOUT_DAYS,
        },
        "products": n,
        "forecasted": int(enough.sum()),
        "not_enough_history": int(n - enough.sum()),
        "backtested": int(tested.sum()),
        "methods": [
            {"method": m, "label": LABELS[m], **_figures(backtest.errors(f, test.actual, tested))}
            for m, f in test.forecasts.items()
        ],
        "categories": [
            {
                "category": str(name),
                **_figures(per_method[CHOSEN][g]),
                "naive_wape": per_method[BASELINE][g].wape,
                "naive_bias": per_method[BASELINE][g].bias,
            }
            for g, name in enumerate(names)
        ],
    }
    return Batch(rows, summary)


def _empty(reason: str) -> dict[str, Any]:
    return {
        "status": ForecastStatus.not_enough_history.value,
        "daily_rate": None,
        "forecast_30d": None,
        "demand_sd": None,
        "safety_stock": None,
        "reorder_point": None,
        "reorder_qty": None,
        "days_of_cover": None,
        "stockout_on": None,
        "need_rank": None,
        "reason": reason,
        "backtest_forecast": None,
        "backtest_naive": None,
        "backtest_actual": None,
    }


async def _lock(session: AsyncSession) -> bool:
    if not capabilities_of(session).advisory_locks:
        return True  # SQLite: one process runs the loop
    return bool(await session.scalar(select(func.pg_try_advisory_xact_lock(ADVISORY_LOCK_KEY))))


async def _due(session: AsyncSession, *, now: dt.datetime, interval_s: int) -> bool:
    last = await session.scalar(queries.latest_run())
    if last is None:
        return True
    return bool(interval_s) and last <= now - dt.timedelta(seconds=interval_s)


async def _read(database: Database, *, today: dt.date, tz: ZoneInfo) -> Series:
    """Products and sales from one snapshot (a transaction on the read engine, as the CSV export reads)."""
    isolation = capabilities_of(database.read_engine).streaming_isolation
    async with database.read_engine.connect() as conn:
        conn = await conn.execution_options(isolation_level=isolation)
        async with conn.begin():
            return await load_series(conn, today=today, tz=tz)


async def write(session: AsyncSession, batch: Batch, *, now: dt.datetime, took_ms: int) -> None:
    """Replace every stored forecast and the run's row, in the caller's transaction."""
    await session.execute(queries.clear_forecasts())
    conn = await session.connection()
    raw = await postgres_driver(conn) if capabilities_of(conn).bulk_copy else None
    if batch.rows and raw is not None:
        # COPY in this transaction: 50,000 rows in a second, where an executemany INSERT took most of a minute.
        columns = list(batch.rows[0])
        await raw.copy_records_to_table(
            ProductForecast.__tablename__, records=[tuple(r[c] for c in columns) for r in batch.rows], columns=columns
        )
    elif batch.rows:
        await session.execute(insert(ProductForecast), batch.rows)
    await session.execute(queries.clear_run())
    session.add(
        ForecastRun(id=FORECAST_RUN_ROW_ID, method=CHOSEN, computed_at=now, took_ms=took_ms, summary=batch.summary)
    )
    await session.flush()


async def refresh_forecasts(database: Database, *, settings: Settings, force: bool = False) -> Refreshed | None:
    """The batch, if due (or `force`); None when not due or another process is at it."""
    now = utcnow()
    interval = settings.forecast_refresh_seconds
    if not force:
        async with database.read_sessionmaker() as read:
            due = await _due(read, now=now, interval_s=interval)
            await read.rollback()
        if not due:
            return None
    # The newest closed days first (None: another process is refreshing the rollup; it is then as fresh).
    await refresh_rollup(database, timezone=settings.store_timezone)
    tz = ZoneInfo(settings.store_timezone)
    today = local_day(now, tz)
    async with database.transaction() as session:
        if not await _lock(session):
            return None
        # Under the lock (PostgreSQL): another worker may have just finished a batch.
        if (
            not force
            and capabilities_of(session).advisory_locks
            and not await _due(session, now=now, interval_s=interval)
        ):
            return None
        started = time.perf_counter()
        series = await _read(database, today=today, tz=tz)
        batch = await asyncio.to_thread(
            compute, series, today=today, service_level=settings.forecast_service_level, now=now
        )
        took_ms = round((time.perf_counter() - started) * 1000)
        batch.summary["took_ms"] = took_ms
        await write(session, batch, now=now, took_ms=took_ms)
    result = Refreshed(len(batch.rows), int(batch.summary["forecasted"]), now, took_ms, batch.summary)
    log.info("forecasts: %d products (%d forecast) in %d ms", result.products, result.forecasted, took_ms)
    return result


class ForecastRefresher:
    """The batch's loop: `shopcrm worker` runs it; on SQLite `shopcrm serve` runs it in-process (started and
    stopped by the app's lifespan). It looks every `poll_s` seconds whether the stored forecasts are due."""

    def __init__(self, database: Database, settings: Settings, *, poll_s: float = POLL_SECONDS) -> None:
        self.database = database
        self.settings = settings
        self.poll_s = poll_s
        self._loop = InProcessLoop(self.run_forever, name="shopcrm-forecast-refresh")

    async def run_once(self, *, force: bool = False) -> Refreshed | None:
        return await refresh_forecasts(self.database, settings=self.settings, force=force)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("forecast refresh failed")  # tried again at the next tick
            await asyncio.sleep(self.poll_s)

    def start(self, *, delay_s: float = START_DELAY_S) -> None:
        """Run in this process (the embedded engine's server), the first time after `delay_s`."""
        self._loop.start(delay_s=delay_s)

    async def stop(self) -> None:
        await self._loop.stop()
