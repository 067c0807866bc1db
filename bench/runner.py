"""The benchmark run: database, migrations, the large data set, every scenario, a results table.

    python -m bench [--size large|small] [--only NAME ...] [--n N]

BENCH_DATABASE_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/shopcrm_bench) is created
when missing, migrated to head with `shopcrm migrate`, and loaded with the demo data set unless it is
already there. Results go to stdout and bench/results/latest.md; a load writes
bench/results/demo_load.md, which latest.md repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import resource
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.floor import Raw
from bench.http import BenchServer, make_token, server_env
from bench.scenarios import NOTES, BenchContext, Load, LoadRun, Pair, Scenario, Timed, discover
from shopcrm.analytics.rollup import refresh_rollup
from shopcrm.config import Settings
from shopcrm.customers.statistics import refresh_statistics
from shopcrm.db import Base, Database
from shopcrm.demo import SIZES, LoadReport, load_demo_data
from shopcrm.demo.generate import LOAD_ORDER
from shopcrm.forecasting.jobs import refresh_forecasts
from shopcrm.inventory.models import ForecastRun

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopcrm_bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_SQLITE_URL = f"sqlite+aiosqlite:///{RESULTS_DIR.parent.parent / '.bench' / 'shopcrm_bench_medium.sqlite'}"
TABLES = LOAD_ORDER


@dataclass
class Result:
    name: str
    n: int
    p50_ms: float
    p95_ms: float
    baseline_p50_ms: float
    baseline_p95_ms: float
    error: str | None = None
    target_p95_ms: float | None = None
    # throughput scenarios: operations per second of each side, and the target
    per_s: float | None = None
    baseline_per_s: float | None = None
    target_per_s: float | None = None
    rounds_per_s: tuple[list[float], list[float]] | None = None  # throughput: each window's rate, per side

    @property
    def ratio(self) -> float:
        """System cost over baseline cost: p95 over p95, or for throughput baseline rate over system rate."""
        if self.per_s is not None and self.baseline_per_s is not None:
            return self.baseline_per_s / self.per_s if self.per_s > 0 else float("nan")
        return self.p95_ms / self.baseline_p95_ms if self.baseline_p95_ms > 0 else float("nan")

    @property
    def target(self) -> str:
        if self.target_per_s is not None:
            return f">= {self.target_per_s:g}/s"
        if self.target_p95_ms is not None:
            return f"p95 <= {self.target_p95_ms:g} ms"
        return ""

    @property
    def met(self) -> bool | None:
        if self.error:
            return False
        if self.target_per_s is not None:
            return (self.per_s or 0.0) >= self.target_per_s
        if self.target_p95_ms is not None:
            return self.p95_ms <= self.target_p95_ms
        return None


def database_url(engine: str) -> URL:
    if engine == "sqlite":
        url = make_url(os.environ.get("BENCH_SQLITE_URL") or DEFAULT_SQLITE_URL)
        if url.get_backend_name() != "sqlite":
            raise SystemExit("BENCH_SQLITE_URL must point at a SQLite file")
        return url.set(drivername="sqlite+aiosqlite")
    url = make_url(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    if url.get_backend_name() != "postgresql":
        raise SystemExit("BENCH_DATABASE_URL must point at PostgreSQL (the large data set needs it)")
    return url.set(drivername="postgresql+asyncpg")


async def ensure_database(url: URL) -> bool:
    """Create the benchmark database when missing; True when it was created."""
    admin = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with admin.connect() as conn:
            found = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database})
            if found:
                return False
            name = (url.database or "").replace('"', '""')
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
            return True
    finally:
        await admin.dispose()


def migrate(url: URL) -> None:
    env = dict(os.environ, DATABASE_URL=url.render_as_string(hide_password=False))
    done = subprocess.run(
        [sys.executable, "-m", "shopcrm.cli", "migrate"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("migrating the benchmark database failed")


async def table_counts(database: Database) -> dict[str, int]:
    async with database.engine.connect() as conn:
        return {
            t: int((await conn.execute(select(func.count()).select_from(Base.metadata.tables[t]))).scalar_one())
            for t in TABLES
        }


async def ensure_data(settings: Settings, size: str, seed: int) -> tuple[dict[str, int], LoadReport | None]:
    """Reuse the data set when its row counts match the size; load it into an empty database."""
    spec = SIZES[size]
    database = Database(settings, null_pool=True)
    try:
        counts = await table_counts(database)
        expected = {"products": spec.products, "customers": spec.customers, "orders": spec.orders}
        if all(counts[t] == n for t, n in expected.items()) and counts["order_items"] and counts["order_status_events"]:
            print(f"reusing the {size} data set already loaded ({counts['customers']:,} customers)")
            return counts, None
        if counts["customers"] or counts["products"]:
            raise SystemExit(
                f"the benchmark database holds other data ({counts}); drop it or point BENCH_DATABASE_URL elsewhere"
            )
        print(f"loading the {size} demo data set (seed {seed})")
        report = await load_demo_data(database, spec, seed=seed, progress=lambda line: print(f"  {line}"))
        return await table_counts(database), report
    finally:
        await database.dispose()


def _percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def run_scenario(sc: Scenario, ctx: BenchContext, n: int | None) -> Result:
    if sc.kind == "throughput":
        return await run_load(sc, ctx)
    runs = n or sc.n
    try:
        pair = await sc.factory(ctx)
        try:
            system_s, baseline_s = await _time_pair(pair, sc.warmup, runs)
        finally:
            if pair.close is not None:
                await pair.close()
        return Result(
            sc.name,
            runs,
            statistics.median(system_s),
            _percentile(system_s, 95),
            statistics.median(baseline_s),
            _percentile(baseline_s, 95),
            target_p95_ms=sc.target_p95_ms,
        )
    except Exception as exc:  # report it in the table; the run exits non-zero at the end
        return Result(sc.name, runs, 0, 0, 0, 0, error=f"{type(exc).__name__}: {exc}", target_p95_ms=sc.target_p95_ms)


async def _answers(pair: Pair) -> tuple[object, object]:
    got, expected = _value(await pair.system()), _value(await pair.baseline())
    if pair.project_system is not None and got is not None:
        got = pair.project_system(got)
    if pair.project_baseline is not None and expected is not None:
        expected = pair.project_baseline(expected)
    return got, expected


# A relative window ("joined in the last 365 days") moves while the two sides answer: on the large set about
# one customer a minute leaves it, so the sides may once count one apart. A disagreement is asked again this
# many times; a real one disagrees every time.
AGREE_TRIES = 3


async def _time_pair(pair: Pair, warmup: int, runs: int) -> tuple[list[float], list[float]]:
    agree = pair.same or (lambda a, b: a == b)
    for _ in range(warmup):
        for attempt in range(AGREE_TRIES):
            got, expected = await _answers(pair)
            if got is None or expected is None or agree(got, expected):
                break
            if attempt == AGREE_TRIES - 1:
                raise AssertionError(f"system and baseline disagree: {got!r} != {expected!r}")
    system_s: list[float] = []
    baseline_s: list[float] = []
    for i in range(runs):
        # Alternate which side goes first so neither always runs on a warmer cache.
        sides = [(pair.system, system_s), (pair.baseline, baseline_s)]
        for call, sink in sides if i % 2 == 0 else reversed(sides):
            t0 = time.perf_counter()
            got = await call()
            sink.append(got.ms if isinstance(got, Timed) else (time.perf_counter() - t0) * 1000)
    return system_s, baseline_s


def _value(got: object) -> object:
    return got.value if isinstance(got, Timed) else got


# A throughput figure from one window swings with this machine's neighbours (+-15% seen between back-to-back
# runs, 2x once), so each side runs LOAD_ROUNDS windows, alternating with the other side, and the rate reported is
# the median window's.
LOAD_ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "7"))


async def run_load(sc: Scenario, ctx: BenchContext) -> Result:
    """A throughput scenario: system and baseline windows alternately, then the check of what they wrote."""
    load: Load | None = None
    try:
        load = await sc.factory(ctx)
        runs: dict[str, list[LoadRun]] = {"system": [], "baseline": []}
        for round_ in range(LOAD_ROUNDS):
            sides = [("system", load.system), ("baseline", load.baseline)]
            for name, side in sides if round_ % 2 == 0 else reversed(sides):
                runs[name].append(await side())
        problems = await load.check()
        if problems:
            raise AssertionError("; ".join(problems))
        system = [ms for run in runs["system"] for ms in run.latencies_ms]
        baseline = [ms for run in runs["baseline"] for ms in run.latencies_ms]
        if not system or not baseline:
            raise AssertionError("a side completed no operation")
        return Result(
            sc.name,
            sum(run.operations for run in runs["system"]),
            statistics.median(system),
            _percentile(system, 95),
            statistics.median(baseline),
            _percentile(baseline, 95),
            per_s=statistics.median(run.per_second for run in runs["system"]),
            baseline_per_s=statistics.median(run.per_second for run in runs["baseline"]),
            target_per_s=sc.target_per_s,
            rounds_per_s=([run.per_second for run in runs["system"]], [run.per_second for run in runs["baseline"]]),
        )
    except Exception as exc:
        return Result(sc.name, 0, 0, 0, 0, 0, error=f"{type(exc).__name__}: {exc}", target_per_s=sc.target_per_s)
    finally:
        if load is not None:
            await load.close()


def _met(r: Result) -> str:
    return {True: "yes", False: "**NO**", None: ""}[r.met]


def results_table(results: list[Result]) -> list[str]:
    lines = [
        "| scenario | n | p50 ms | p95 ms | baseline p50 ms | baseline p95 ms | ratio | rate /s (baseline) "
        "| target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        if r.error:
            lines.append(f"| {r.name} | {r.n} | error | | | | | | {r.target} | {_met(r)} |")
            continue
        rate = f"{r.per_s:,.0f} ({r.baseline_per_s:,.0f})" if r.per_s is not None and r.baseline_per_s else ""
        lines.append(
            f"| {r.name} | {r.n} | {r.p50_ms:.2f} | {r.p95_ms:.2f} | {r.baseline_p50_ms:.2f} | "
            f"{r.baseline_p95_ms:.2f} | {r.ratio:.2f} | {rate} | {r.target} | {_met(r)} |"
        )
    return lines


def rounds_list(results: list[Result]) -> list[str]:
    """Each throughput window, and how far they spread: a figure whose windows swing 20% is only good to 20%."""
    lines = []
    for r in results:
        if r.rounds_per_s is None or r.error:
            continue
        system, baseline = r.rounds_per_s
        ratios = [b / s for s, b in zip(system, baseline, strict=True) if s > 0]

        def spread(values: list[float]) -> str:
            middle = statistics.median(values)
            return f"{min(values):,.0f}-{max(values):,.0f}/s ({(max(values) - min(values)) / middle:.0%} of the median)"

        each_system = ", ".join(f"{x:,.0f}" for x in system)
        each_baseline = ", ".join(f"{x:,.0f}" for x in baseline)
        lines += [
            f"- {r.name}: {len(system)} windows per side, alternating. System {each_system}/s, spread "
            f"{spread(system)}; baseline {each_baseline}/s, spread {spread(baseline)}.",
            f"  Ratio per round (baseline / system) {min(ratios):.2f}-{max(ratios):.2f}, median "
            f"{statistics.median(ratios):.2f}; the table gives the median window of each side.",
        ]
    return lines


def errors_list(results: list[Result]) -> list[str]:
    return [f"- {r.name}: {r.error}" for r in results if r.error]


def load_markdown(report: LoadReport, peak_rss_mib: float) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Loaded {when}: `{report.size}` data set, seed {report.seed}, {report.backend}, {os.cpu_count()} CPUs.",
        "",
        f"- total: **{report.elapsed_seconds:.1f} s**, {report.total_rows:,} rows, "
        f"**{report.rows_per_second:,.0f} rows/s**; peak RSS of the process {peak_rss_mib:,.0f} MiB",
        "",
        "| table | rows | seconds (COPY + its indexes) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {t} | {n:,} | {report.table_seconds.get(t, 0):.1f} |" for t, n in report.rows.items()]
    lines += ["", "| phase | seconds |", "|---|---:|"]
    lines += [f"| {phase} | {seconds:.1f} |" for phase, seconds in report.phase_seconds.items()]
    return "\n".join(lines) + "\n"


async def run(url: URL, args: argparse.Namespace) -> int:
    # Cursors the bench signs (deep pages) must verify on the server: both use this run's key.
    os.environ["SHOPCRM_SECRET_KEY"] = secrets.token_urlsafe(32)
    url_text = url.render_as_string(hide_password=False)
    settings = Settings(DATABASE_URL=url_text)
    counts, report = await ensure_data(settings, args.size, args.seed)
    engine = url.get_backend_name()
    label = "" if (engine, args.size) == ("postgresql", "large") else f"-{engine}-{args.size}"
    load_file = RESULTS_DIR / f"demo_load{label}.md"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    if report is not None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load_file.write_text(load_markdown(report, peak))

    scenarios = discover()
    if args.only:
        # A name, or the start of names: `--only segment_preview` runs the ten segment previews.
        def chosen(name: str) -> bool:
            return any(name == o or name.startswith(o + " ") for o in args.only)

        unknown = {o for o in args.only if not any(k == o or k.startswith(o + " ") for k in scenarios)}
        if unknown:
            raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}; known: {', '.join(scenarios)}")
        scenarios = {k: v for k, v in scenarios.items() if chosen(k)}
    if engine != "postgresql":
        # Ingestion's floor is PostgreSQL's one-statement order; on SQLite the list and details paths run.
        scenarios = {k: v for k, v in scenarios.items() if v.kind == "latency"}

    database = Database(settings)
    raw_engine = raw_conn = raw = None
    if engine == "postgresql":
        # The ingestion baseline's connection: plain asyncpg (the driver connection under a NullPool engine).
        raw_engine = create_async_engine(url, poolclass=NullPool)
        raw_conn = await raw_engine.connect()
        raw = (await raw_conn.get_raw_connection()).driver_connection
    # What the server's background job keeps fresh (customers/statistics.py), fresh now: the scenarios then
    # run as on a server that has been up for a while, and no process they start recomputes it.
    await refresh_statistics(database)
    # The dashboard's rollup likewise (a first build only after a migration that clears it).
    started = time.perf_counter()
    days = await refresh_rollup(database, timezone=settings.store_timezone)
    print(f"dashboard rollup: {days or 0:,} days rebuilt in {time.perf_counter() - started:.1f} s")
    # And the stored forecasts the inventory's need and cover sorts read (a batch only if none is stored).
    async with database.read_sessionmaker() as session:
        forecast_run = await session.scalar(select(ForecastRun.id))
    if forecast_run is None:
        batch = await refresh_forecasts(database, settings=settings, force=True)
        print(f"forecasts: {batch.products if batch else 0:,} products in {batch.took_ms if batch else 0:,} ms")
    env = server_env(url_text, os.environ["SHOPCRM_SECRET_KEY"])
    token_name = f"bench-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}"
    server = BenchServer(env, await make_token(env, token_name))
    await server.start()
    rows = Raw(url_text)
    results: list[Result] = []
    try:
        version = (await rows.fetch("SELECT sqlite_version() AS v" if engine == "sqlite" else "SHOW server_version"))[0]
        server_version = f"{'SQLite' if engine == 'sqlite' else 'PostgreSQL'} {next(iter(version.values()))}"
        for name, sc in scenarios.items():
            ctx = BenchContext(
                settings,
                database,
                raw,
                counts,
                random.Random(f"{args.seed}:{name}"),
                database_url=url_text,
                server=server,
                rows=rows,
            )
            print(f"running {name} ...", flush=True)
            t0 = time.perf_counter()
            result = await run_scenario(sc, ctx, args.n)
            results.append(result)
            status = f"error: {result.error}" if result.error else f"p95 {result.p95_ms:.2f} ms"
            if result.per_s is not None:
                status += f", {result.per_s:,.0f}/s"
            print(f"  {status} ({time.perf_counter() - t0:.1f} s)", flush=True)
    finally:
        await server.stop()
        async with database.transaction() as session:
            await session.execute(text("DELETE FROM api_tokens WHERE name = :name"), {"name": token_name})
        await rows.close()
        if raw_conn is not None and raw_engine is not None:
            await raw_conn.close()
            await raw_engine.dispose()
        await database.dispose()

    table = results_table(results)
    rounds = rounds_list(results) + [f"- {note}" for note in NOTES]
    errors = errors_list(results)
    print("\n".join(table + (["", *rounds] if rounds else []) + (["", *errors] if errors else [])))
    now = dt.datetime.now(dt.UTC)
    when = now.strftime("%Y-%m-%d %H:%M UTC")
    md = [
        "# Benchmark results",
        "",
        f"Run {when} on {server_version}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"database `{url.database}` ({args.size} set) with " + ", ".join(f"{n:,} {t}" for t, n in counts.items()) + ".",
        "",
        "Every scenario is a request to one `uvicorn` process serving the product's app (as `shopcrm serve` runs "
        "it) plus the bench-only floor routes (bench/floor.py): the same request answered with hand-written SQL "
        "on the raw driver, rows straight to JSON. Times are from sending the request to the answer's last byte, "
        "one keep-alive connection per side, warm-up requests excluded; the two sides alternate. "
        "ratio = p95 / floor p95 (above 1: slower than the floor); for throughput rows (rate /s given) n is the "
        "orders the system side completed, the times are per request, and ratio = baseline rate / system rate. "
        "See bench/README.md for what each scenario does.",
        "",
        *table,
        "",
        *([*rounds, ""] if rounds else []),
        *([*errors, ""] if errors else []),
        f"{sum(1 for r in results if r.met)} of {sum(1 for r in results if r.met is not None)} targets met.",
        "",
        "## The data set",
        "",
    ]
    if report is not None:
        md += ["Loaded by this run:", "", load_file.read_text()]
    elif load_file.exists():
        md += [
            "This run reused the data set already in the database (row counts checked); no load was timed. "
            f"The last load recorded here ({load_file.name}) was:",
            "",
            load_file.read_text(),
        ]
    else:
        md.append("This run reused the data set already in the database; no load of it is recorded here.\n")
    latest = RESULTS_DIR / f"latest{label}.md"
    latest.write_text("\n".join(md))
    # A dated copy of a full run (not of --only / --n runs) to keep alongside the notes.
    written = [latest]
    if not args.only and not args.n:
        dated = RESULTS_DIR / f"bench{label}-{now.strftime('%Y-%m-%d')}.md"
        dated.write_text("\n".join(md))
        written.append(dated)
    print("written " + ", ".join(str(p) for p in written))
    return 1 if any(r.error for r in results) else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default=None, help="data set (default: large on PostgreSQL)")
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", action="append", metavar="SCENARIO", help="run only these scenarios")
    parser.add_argument("--n", type=int, help="timed runs per scenario (default: the scenario's own)")
    parser.add_argument(
        "--no-migrate",
        action="store_true",
        help="leave the schema as it is (a shared database migrated by someone else, while a branch's own "
        "migration is not merged yet)",
    )
    args = parser.parse_args(argv)
    args.size = args.size or ("large" if args.engine == "postgresql" else "medium")
    url = database_url(args.engine)
    if args.engine == "sqlite":
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
    elif asyncio.run(ensure_database(url)):
        print(f"created database {url.database}")
    if not args.no_migrate:
        migrate(url)
    sys.exit(asyncio.run(run(url, args)))
