"""The import benchmark: a Shopify-format orders export imported end to end, as a store would, through HTTP.

    python -m bench.imports --engine postgresql [--lines 1000000]
    python -m bench.imports --engine sqlite     [--lines 100000]

A fresh database of its own each run (PostgreSQL: BENCH_IMPORT_DATABASE_URL, default
postgresql+asyncpg://postgres@127.0.0.1:5432/shopcrm_import_bench, dropped and created; SQLite: a new file in
.bench/), never the main benchmark database. The file is generated first (deterministic, not timed): orders of
1 to 4 line items with the order's fields on the first line only, about one customer per 2.5 orders, 2,000
products, a mix of paid, fulfilled, pending, refunded and voided orders over three years.

Timed: from the first byte of the upload to the import's `done`, through `shopcrm serve` (the upload, start
and progress polls over HTTP) and, on PostgreSQL, one `shopcrm worker` process running the job (on SQLite the
server runs it). Reported: seconds (upload, queue-to-done, total), rows per second end to end, peak RSS of the
server and the worker, and a check in SQL that the orders, lines and every customer's figures are what the
file says. Results go to bench/results/imports-<engine>.md.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import secrets
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.http import BenchServer, cli, make_token, server_env

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench"
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/shopcrm_import_bench"
TARGET_SECONDS = {"postgresql": 300.0, "sqlite": 60.0}
DEFAULT_LINES = {"postgresql": 1_000_000, "sqlite": 100_000}
HEADERS = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Accepts Marketing", "Currency",
    "Subtotal", "Shipping", "Taxes", "Total", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
    "Lineitem sku", "Billing Name", "Shipping Name", "Shipping Address1", "Shipping City", "Shipping Zip",
    "Shipping Country", "Cancelled at", "Refunded Amount", "Id",
]  # fmt: skip
STATUSES = [("paid", "fulfilled", 70), ("paid", "", 10), ("pending", "", 6), ("refunded", "fulfilled", 8),
            ("partially_refunded", "fulfilled", 3), ("voided", "", 3)]  # fmt: skip
COUNTED = {"paid", "pending", "partially_refunded"}


def generate(path: Path, lines: int, seed: int = 17) -> dict[str, object]:
    """Write the export; what it holds (orders, lines, counted spend) for the check afterwards."""
    rng = random.Random(seed)
    customers = max(1, lines // 6)
    weights = [w for _, _, w in STATUSES]
    written = orders = 0
    spend = Decimal("0")
    start = 1_640_995_200  # 2022-01-01
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(HEADERS)
        while written < lines:
            orders += 1
            n = min(rng.choice((1, 1, 2, 2, 3, 4)), lines - written)
            financial, fulfilment, _ = rng.choices(STATUSES, weights)[0]
            who = rng.randrange(customers)
            when = time.strftime("%Y-%m-%d %H:%M:%S +0100", time.gmtime(start + rng.randrange(3 * 365 * 86400)))
            items = [(rng.randrange(1, 4), rng.randrange(2000)) for _ in range(n)]
            prices = [Decimal(5 + sku % 95) + Decimal("0.90") for _, sku in items]
            total = sum((p * q for p, (q, _) in zip(prices, items, strict=True)), Decimal("0"))
            refunded = (total / 2).quantize(Decimal("0.01")) if financial == "partially_refunded" else Decimal("0")
            if financial in COUNTED:
                spend += total - refunded
            for index, ((quantity, sku), price) in enumerate(zip(items, prices, strict=True)):
                first = index == 0
                out.writerow(
                    [
                        f"#{100000 + orders}",
                        f"customer{who}@example.com" if first else "",
                        financial if first else "",
                        when if first and financial != "pending" else "",
                        fulfilment if first else "",
                        rng.choice(("yes", "no")) if first else "",
                        "EUR" if first else "",
                        str(total) if first else "",
                        "0.00" if first else "",
                        "0.00" if first else "",
                        str(total) if first else "",
                        when if first else "",
                        quantity,
                        f"Product {sku}, size M",
                        str(price),
                        f"SKU-{sku:05d}",
                        f"Customer {who}" if first else "",
                        f"Customer {who}" if first else "",
                        f"{who} Long Road, Flat {index}" if first else "",
                        "Berlin" if first else "",
                        "'10115" if first else "",
                        "DE" if first else "",
                        when if first and financial == "voided" else "",
                        str(refunded) if first else "",
                        str(4_500_000_000 + orders),
                    ]
                )
            written += n
    return {"orders": orders, "lines": written, "spend": spend}


async def fresh_postgres(url: str) -> None:
    parsed = make_url(url)
    if parsed.database in (None, "shopcrm_bench", "postgres"):
        raise SystemExit("the import benchmark needs a database of its own (not shopcrm_bench)")
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    await admin.dispose()


def fresh_sqlite() -> Path:
    db_file = WORK / "import_bench.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    return db_file


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process so far (the machine is shared: CPU spent is steadier than wall time)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


async def check(url: str, expected: dict[str, object]) -> list[str]:
    """What was written, against what the file says; and every customer's figures against their orders."""
    engine = create_async_engine(url, poolclass=NullPool)
    problems = []
    async with engine.connect() as conn:
        orders = await conn.scalar(text("SELECT count(*) FROM orders"))
        lines = await conn.scalar(text("SELECT count(*) FROM order_items"))
        spend = await conn.scalar(text("SELECT coalesce(sum(total_spend), 0) FROM customers"))
        wrong = await conn.scalar(
            text(
                "SELECT count(*) FROM customers c WHERE c.total_orders != (SELECT count(*) FROM orders o "
                "WHERE o.customer_id = c.id AND o.status NOT IN ('cancelled', 'refunded'))"
            )
        )
        moves = await conn.scalar(text("SELECT count(*) FROM stock_movements WHERE kind != 'opening'"))
    await engine.dispose()
    if orders != expected["orders"]:
        problems.append(f"orders {orders} != {expected['orders']}")
    if lines != expected["lines"]:
        problems.append(f"lines {lines} != {expected['lines']}")
    # SQLite sums NUMERIC as binary floating point (docs/architecture.md): compared in cents.
    if Decimal(str(spend)).quantize(Decimal("0.01")) != expected["spend"]:
        problems.append(f"spend {spend} != {expected['spend']}")
    if wrong:
        problems.append(f"{wrong} customers' order counts differ from their orders")
    if moves:
        problems.append(f"{moves} stock movements other than opening rows")
    return problems


async def run(engine: str, lines: int) -> str:
    WORK.mkdir(exist_ok=True)
    data = WORK / f"shopify-orders-{lines}.csv"
    t = time.perf_counter()
    expected = generate(data, lines)
    generated_s = time.perf_counter() - t
    if engine == "postgresql":
        url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_PG)
        await fresh_postgres(url)
    else:
        url = f"sqlite+aiosqlite:///{fresh_sqlite()}"
    env = server_env(url, secrets.token_urlsafe(32))
    env["SHOPCRM_IMPORT_DIR"] = str(WORK / "imports")
    migrated = cli(env, "migrate")
    if migrated.returncode != 0:
        raise SystemExit(f"migrate failed: {migrated.stderr}")
    token = await make_token(env, "import-bench")
    server = BenchServer(env, token, factory="shopcrm.main:app_from_env")
    await server.start()
    worker = None
    if engine == "postgresql":
        with (WORK / "import-bench-worker.log").open("wb") as log:
            worker = subprocess.Popen(  # noqa: ASYNC220 - our own CLI, started once
                [sys.executable, "-m", "shopcrm.cli", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
            )
    try:
        async with httpx.AsyncClient(base_url=server.base_url, headers=server.headers, timeout=600) as client:
            t0 = time.perf_counter()
            with data.open("rb") as f:
                response = await client.post(
                    "/api/imports", files={"file": (data.name, f, "text/csv")}, data={"kind": "orders"}
                )
            response.raise_for_status()
            uploaded = response.json()
            t1 = time.perf_counter()
            started = await client.post(
                f"/api/imports/{uploaded['id']}/start",
                json={"mapping": uploaded["mapping"], "preset": uploaded["preset"]},
            )
            started.raise_for_status()
            status = started.json()
            polls_refused = 0
            while status["status"] not in ("done", "failed", "cancelled"):
                await asyncio.sleep(1)
                polled = await client.get(f"/api/imports/{uploaded['id']}")
                if polled.status_code != 200:  # counted and reported: the page would show a stale bar
                    polls_refused += 1
                    print(f"progress poll answered {polled.status_code}: {polled.text[:200]}", file=sys.stderr)
                    continue
                status = polled.json()
            t2 = time.perf_counter()
        server_rss = peak_rss_mb(server.process.pid) if server.process else float("nan")
        worker_rss = peak_rss_mb(worker.pid) if worker else float("nan")
        server_cpu = cpu_seconds(server.process.pid) if server.process else float("nan")
        worker_cpu = cpu_seconds(worker.pid) if worker else 0.0
        load = os.getloadavg()[0]
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(15)
        await server.stop()
    problems = (
        await check(url, expected) if status["status"] == "done" else [f"import {status['status']}: {status['error']}"]
    )
    total_s = t2 - t0
    verdict = "met" if total_s <= TARGET_SECONDS[engine] else "missed"
    size_mb = data.stat().st_size / 1e6
    report = "\n".join(
        [
            f"# Import benchmark ({engine})",
            "",
            f"- file: {lines:,} Shopify order lines, {expected['orders']:,} orders, {size_mb:.0f} MB "
            f"(generated in {generated_s:.1f} s, not timed)",
            f"- upload (stream, check, count, preview): {t1 - t0:.1f} s",
            f"- start to done: {t2 - t1:.1f} s",
            f"- **total: {total_s:.1f} s, {lines / total_s:,.0f} lines/s** "
            + (
                f"(target <= {TARGET_SECONDS[engine]:.0f} s: {verdict})"
                if lines == DEFAULT_LINES[engine]
                else f"(the target, {TARGET_SECONDS[engine]:.0f} s, is for {DEFAULT_LINES[engine]:,} lines)"
            ),
            f"- rows imported / unchanged / failed: {status['rows_imported']:,} / {status['rows_unchanged']:,} / "
            f"{status['rows_failed']:,}",
            f"- progress polls not answered 200: {polls_refused}",
            f"- CPU seconds: server {server_cpu:.0f}"
            + (f", worker {worker_cpu:.0f}" if worker else "")
            + f" ({lines / (server_cpu + worker_cpu):,.0f} lines per CPU second of ShopCRM's processes; "
            + ("PostgreSQL's own not counted" if worker else "SQLite runs inside the server, so counted")
            + f"); load average at the end {load:.1f} on 2 cores",
            f"- peak RSS: server {server_rss:.0f} MB" + (f", worker {worker_rss:.0f} MB" if worker else ""),
            "- check: " + ("; ".join(problems) or "orders, lines, spend and order counts as the file says"),
            "",
        ]
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"imports-{engine}.md").write_text(report)
    data.unlink(missing_ok=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--lines", type=int, default=None)
    args = parser.parse_args()
    print(asyncio.run(run(args.engine, args.lines or DEFAULT_LINES[args.engine])))


if __name__ == "__main__":
    main()
