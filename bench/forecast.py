"""The forecasting batch on a loaded database: how long reading, computing and writing every product's
forecast takes, the process's peak memory, and every method's backtest error against the naive baseline.

    .venv/bin/python -m bench.forecast [--url postgresql+asyncpg://postgres@127.0.0.1:5432/shopcrm_bench]
        [--write] [--dump series.npz] [--repeat 3]

Without --write it reads and computes only (the tables it would write need not exist); with --write it also
replaces product_forecasts and forecast_runs in one transaction, as the worker does, and times that.
--dump saves the series (days x products), each product's start and category codes to an .npz, so another
library can be measured on exactly the same data (bench/forecast_statsforecast.py). Writes a table to
bench/results/forecast.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import resource
import statistics
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func, select

from shopcrm.analytics.models import DailyProductSales
from shopcrm.config import Settings
from shopcrm.db import Database, utcnow
from shopcrm.forecasting import backtest, jobs
from shopcrm.forecasting.methods import LABELS, METHODS

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopcrm_bench"
RESULTS = Path(__file__).parent / "results" / "forecast.md"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def data_end(database: Database) -> dt.date:
    """The day after the rollup's last day: a loaded demo set ends on its anchor, not today."""
    async with database.engine.connect() as conn:
        last = await conn.scalar(select(func.max(DailyProductSales.day)))
    return (last or utcnow().date()) + dt.timedelta(days=1)


async def one_batch(database: Database, settings: Settings, *, today: dt.date, write: bool) -> dict[str, float]:
    now = utcnow()
    tz = ZoneInfo(settings.store_timezone)
    t0 = time.perf_counter()
    series = await jobs._read(database, today=today, tz=tz)
    t1 = time.perf_counter()
    batch = jobs.compute(series, today=today, service_level=settings.forecast_service_level, now=now)
    t2 = time.perf_counter()
    if write:
        async with database.transaction() as session:
            await jobs.write(session, batch, now=now, took_ms=round((t2 - t0) * 1000))
    t3 = time.perf_counter()
    return {"read": t1 - t0, "compute": t2 - t1, "write": t3 - t2, "total": t3 - t0, "products": len(batch.rows)}


async def main_async(args: argparse.Namespace) -> None:
    settings = Settings.model_validate({"database_url": args.url, "log_json": False, "statement_timeout_ms": 600_000})
    database = Database(settings, null_pool=True)
    lines: list[str] = []
    try:
        tz = ZoneInfo(settings.store_timezone)
        today = dt.date.fromisoformat(args.today) if args.today else await data_end(database)
        runs = [await one_batch(database, settings, today=today, write=args.write) for _ in range(args.repeat)]
        series = await jobs._read(database, today=today, tz=tz)
    finally:
        await database.dispose()
    y, start = series.y, series.start
    n = len(series.ids)
    enough = (y.shape[0] - start) >= jobs.MIN_HISTORY_DAYS
    lines.append(
        f"# Forecasting batch: {n:,} products, {y.shape[0]} days of history ({dt.datetime.now(dt.UTC).date()})"
    )
    lines.append("")
    lines.append(
        f"Database: `{args.url.rsplit('@', 1)[-1]}`; as of {today} (held out: the 30 days before); "
        f"write: {'yes' if args.write else 'no'}; runs: {args.repeat}"
    )
    lines.append("")
    lines.append("| phase | median s | min s | max s |")
    lines.append("|---|---|---|---|")
    for phase in ("read", "compute", "write", "total"):
        values = [r[phase] for r in runs]
        lines.append(f"| {phase} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |")
    lines.append("")
    lines.append(f"Peak RSS of the process: {peak_rss_mb():,.0f} MB")
    lines.append("")
    # Each method's backtest on the same products (those with enough history before the held-out days).
    held = jobs.HOLDOUT_DAYS
    train = y[:-held]
    eligible = ((train.shape[0] - start) >= jobs.MIN_HISTORY_DAYS) & enough
    actual = y[-held:].sum(axis=0)
    lines.append(
        f"Backtest: the last {held} days held out, {int(eligible.sum()):,} products with >= "
        f"{jobs.MIN_HISTORY_DAYS} days before them; {int(actual[eligible].sum()):,} units sold in those days."
    )
    lines.append("")
    lines.append("| method | WAPE | bias | compute s (all products, one fit) |")
    lines.append("|---|---|---|---|")
    for name, method in METHODS.items():
        t = time.perf_counter()
        forecast = method(train, start) * held
        took = time.perf_counter() - t
        e = backtest.errors(forecast, actual, eligible)
        lines.append(f"| {LABELS[name]} | {e.wape:.1%} | {e.bias:+.1%} | {took:.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_results:
        RESULTS.write_text(text)
    if args.dump:
        _, codes = np.unique(np.asarray(series.categories, dtype=object), return_inverse=True)
        np.savez_compressed(args.dump, y=y.astype(np.float32), start=start, codes=codes, holdout=held)
        print(f"series saved to {args.dump}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.forecast", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--write", action="store_true", help="also replace the stored forecasts (tables must exist)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dump", help="save the series to this .npz file")
    parser.add_argument("--today", help="forecast as of this day (YYYY-MM-DD); default: the day after the data's last")
    parser.add_argument("--no-results", action="store_true", help="do not write bench/results/forecast.md")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
