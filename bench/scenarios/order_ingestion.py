"""Order ingestion through the real HTTP API: orders per second with 2 concurrent clients.

System: `shopcrm serve` (uvicorn, one worker, SHOPCRM_LOG_LEVEL=WARNING) started on a free loopback
port against the benchmark database, an API token for a benchmark admin (`shopcrm create-user`, once;
`shopcrm create-token`), and 2 keep-alive HTTP/1.1 connections (a minimal client, see
KeepAliveClient) POSTing /api/orders for DURATION_S seconds.
Baseline: the same single statement the API runs for an order (`orders.queries.INGEST_POSTGRESQL`), sent
by hand on 2 raw asyncpg connections: the database's own cost, without HTTP, authentication, validation
and the response.

Orders go to existing customers (a random pool) and products that have plenty of stock, numbered
BENCH-<run>-<side>-<n>. Afterwards the check verifies in SQL that the pool's customers' spend, order
count and first/last order times equal the aggregates of their counted orders, that the products'
stock went down by exactly what was ordered and never below zero, and that each new order has its
items and one status event. Then every BENCH- order is deleted and the customers' and products'
figures are put back, so the data set is left as it was found.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from bench.http import KeepAliveClient, free_port, make_token
from bench.scenarios import BenchContext, Load, LoadRun, load
from shopcrm.analytics.rollup import rebuild_days, refresh_periods
from shopcrm.orders.models import UNCOUNTED_SQL
from shopcrm.orders.queries import INGEST_POSTGRESQL

DURATION_S = float(os.environ.get("BENCH_INGEST_SECONDS", "10"))  # per window; see runner.LOAD_ROUNDS
CLIENTS = 2
# Server processes; one per core is how `shopcrm serve` is meant to run in production.
WORKERS = int(os.environ.get("BENCH_SERVE_WORKERS", "1"))
# Untimed load first, per side (those orders are still checked and cleaned up): the scenarios before this
# one read a lot of other pages, and 30 warm-up orders were not enough to bring the write path's index
# pages back into the cache (full runs measured 20-30% below the same scenario run alone).
WARMUP_S = float(os.environ.get("BENCH_INGEST_WARMUP_SECONDS", "3"))
TARGET_PER_S = 300.0
MIN_STOCK = 500
CUSTOMER_POOL = 3_000
PRODUCT_POOL = 600
PREFIX = "BENCH-"
CENT = Decimal("0.01")


async def undo_bench_orders(conn: Any, pattern: str) -> int:
    """Delete the BENCH orders matching `pattern` and put back what they changed; returns how many.

    Stock taken goes back to the products; the customers' figures are recomputed from their remaining
    counted orders (the data set keeps them equal, which the check verifies before this runs).
    """
    async with conn.transaction():
        customers = [
            r["customer_id"]
            for r in await conn.fetch("SELECT DISTINCT customer_id FROM orders WHERE order_number LIKE $1", pattern)
        ]
        if not customers:
            return 0
        await conn.execute(
            "UPDATE products p SET stock = p.stock + t.q FROM ("
            " SELECT i.product_id, sum(i.quantity) AS q FROM order_items i JOIN orders o ON o.id = i.order_id"
            f" WHERE o.order_number LIKE $1 AND o.status NOT IN {UNCOUNTED_SQL} GROUP BY i.product_id"
            ") t WHERE p.id = t.product_id",
            pattern,
        )
        deleted = await conn.fetchval(
            "WITH d AS (DELETE FROM orders WHERE order_number LIKE $1 RETURNING 1) SELECT count(*) FROM d", pattern
        )
        await conn.execute(
            "UPDATE customers c SET total_orders = a.n, total_spend = a.s, first_order_at = a.f, last_order_at = a.l "
            "FROM (SELECT c2.id, count(o.id) AS n, coalesce(sum(o.total_amount), 0) AS s, min(o.placed_at) AS f, "
            "      max(o.placed_at) AS l FROM customers c2 LEFT JOIN orders o ON o.customer_id = c2.id "
            f"      AND o.status NOT IN {UNCOUNTED_SQL} WHERE c2.id = ANY($1::bigint[]) GROUP BY c2.id) a "
            "WHERE c.id = a.id",
            customers,
        )
        return int(deleted)


class Ingestion:
    product_pool = PRODUCT_POOL

    def __init__(self, ctx: BenchContext, *, serve: bool = True) -> None:
        self.ctx = ctx
        self.serve = serve
        self.run = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        self.rng = random.Random(ctx.rng.random())
        self.env = dict(os.environ, DATABASE_URL=ctx.database_url, SHOPCRM_LOG_LEVEL="WARNING")
        self.dsn = ctx.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.server: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.gettempdir()) / f"shopcrm-bench-serve-{self.run}.log"
        self.base_url = ""
        self.token = ""
        self.token_name = f"bench-{self.run}"
        self.customers: list[int] = []
        self.products: list[tuple[int, str, Decimal]] = []  # id, sku, price
        self.stock_before: dict[int, int] = {}
        self.updated_before: dict[str, list[tuple[int, dt.datetime]]] = {}
        self.done: dict[str, int] = {"S": 0, "B": 0}  # orders each side completed (warm-up included)
        self.seq = 0

    # --- setup -----------------------------------------------------------------------------------

    async def setup(self) -> None:
        raw = self.ctx.raw
        leftovers = await undo_bench_orders(raw, PREFIX + "%")
        if leftovers:
            print(f"  removed {leftovers} orders left by an interrupted run", flush=True)
        ids = sorted({self.ctx.rng.randint(1, self.ctx.counts["customers"]) for _ in range(CUSTOMER_POOL)})
        self.customers = ids
        rows = await raw.fetch(
            "SELECT id, sku, price, stock FROM products WHERE stock >= $1 ORDER BY id LIMIT $2",
            MIN_STOCK,
            self.product_pool,
        )
        if len(rows) < 50:
            raise RuntimeError(f"only {len(rows)} products have {MIN_STOCK}+ in stock")
        self.products = [(r["id"], r["sku"], r["price"]) for r in rows]
        self.stock_before = {r["id"]: r["stock"] for r in rows}
        self.updated_before = {
            "customers": [
                (r["id"], r["updated_at"])
                for r in await raw.fetch("SELECT id, updated_at FROM customers WHERE id = ANY($1::bigint[])", ids)
            ],
            "products": [
                (r["id"], r["updated_at"])
                for r in await raw.fetch(
                    "SELECT id, updated_at FROM products WHERE id = ANY($1::bigint[])", list(self.stock_before)
                )
            ],
        }
        if self.serve:
            await self._token()
            await self._serve()

    async def _token(self) -> None:
        self.token = await make_token(self.env, self.token_name)

    async def _serve(self) -> None:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        with self.log.open("wb") as out:
            self.server = subprocess.Popen(  # noqa: S603, ASYNC220 - our own CLI; returns at once
                [
                    sys.executable,
                    "-m",
                    "shopcrm.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    str(WORKERS),
                ],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient(base_url=self.base_url) as client:
            while True:
                if self.server.poll() is not None:
                    raise RuntimeError(f"shopcrm serve exited: {self._log_tail()}")
                try:
                    if (await client.get("/api/health", timeout=2)).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"shopcrm serve did not answer within 30 s: {self._log_tail()}")
                await asyncio.sleep(0.2)

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    # --- orders ----------------------------------------------------------------------------------

    def _next_order(self, side: str) -> dict[str, Any]:
        self.seq += 1
        lines = self.rng.choices((1, 2, 3, 4), weights=(0.35, 0.3, 0.2, 0.15))[0]
        picked = self.rng.sample(self.products, lines)
        return {
            "order_number": f"{PREFIX}{self.run}-{side}-{self.seq}",
            "customer_id": self.rng.choice(self.customers),
            "status": "paid" if self.rng.random() < 0.4 else "pending",
            "items": [{"sku": sku, "quantity": 1 if self.rng.random() < 0.8 else 2} for _, sku, _ in picked],
            "shipping": {
                "name": "Bench Customer",
                "address1": "1 Benchmark Road",
                "city": "Springfield",
                "postal_code": "12345",
                "country": "US",
            },
        }

    async def _loop(self, send: Any, deadline: float | None, count: int | None, latencies: list[float]) -> None:
        n = 0
        while (deadline is None or time.perf_counter() < deadline) and (count is None or n < count):
            t0 = time.perf_counter()
            await send()
            latencies.append((time.perf_counter() - t0) * 1000)
            n += 1

    async def _drive(self, make_sender: Any, side: str) -> LoadRun:
        senders = [await make_sender() for _ in range(CLIENTS)]
        try:
            warm: list[float] = []
            warm_until = time.perf_counter() + WARMUP_S
            await asyncio.gather(*(self._loop(s, warm_until, None, warm) for s, _ in senders))
            latencies: list[float] = []
            t0 = time.perf_counter()
            deadline = t0 + DURATION_S
            await asyncio.gather(*(self._loop(s, deadline, None, latencies) for s, _ in senders))
            elapsed = time.perf_counter() - t0
        finally:
            for _, close in senders:
                await close()
        return LoadRun(len(latencies), elapsed, latencies)

    async def system(self) -> LoadRun:
        async def make_sender() -> tuple[Any, Any]:
            client = await KeepAliveClient.connect(self.base_url, {"Authorization": f"Bearer {self.token}"})

            async def send() -> None:
                status, body = await client.post_json("/api/orders", self._next_order("S"))
                if status != 201:
                    raise RuntimeError(f"POST /api/orders: {status} {body[:300]!r}")
                self.done["S"] += 1

            return send, client.close

        return await self._drive(make_sender, "S")

    async def baseline(self) -> LoadRun:

        async def make_sender() -> tuple[Any, Any]:
            conn = await asyncpg.connect(self.dsn)

            async def send() -> None:
                await self._hand_order(conn, self._next_order("B"))
                self.done["B"] += 1

            return send, conn.close

        return await self._drive(make_sender, "B")

    async def _hand_order(self, conn: Any, order: dict[str, Any], sql: str = INGEST_POSTGRESQL.sql) -> None:
        """The order as the API's own single statement, sent by hand on a raw asyncpg connection: what the
        database alone costs, without HTTP, authentication, validation and the response."""
        shipping = order["shipping"]
        items = order["items"]
        now = dt.datetime.now(dt.UTC)
        args = INGEST_POSTGRESQL.args(
            {
                "customer_id": order["customer_id"],
                "order_number": order["order_number"],
                "placed_at": now,
                "status": order["status"],
                "currency": "USD",
                "shipping_name": shipping["name"],
                "shipping_address1": shipping["address1"],
                "shipping_address2": None,
                "shipping_city": shipping["city"],
                "shipping_postal_code": shipping["postal_code"],
                "shipping_country": shipping["country"],
                "skus": [item["sku"] for item in items],
                "quantities": [item["quantity"] for item in items],
                "unit_prices": [None for _ in items],  # list prices, as the API takes them when none is sent
                "max_total": Decimal("9999999999.99"),
                "now": now,
            }
        )
        rows = await conn.fetch(sql, *args)
        if not rows or rows[0]["order_id"] is None:
            raise RuntimeError(f"order {order['order_number']} was not stored")

    # --- check and clean up ------------------------------------------------------------------------

    async def check(self) -> list[str]:
        raw = self.ctx.raw
        pattern = f"{PREFIX}{self.run}-%"
        problems: list[str] = []
        for side, done in self.done.items():
            stored = await raw.fetchval(
                "SELECT count(*) FROM orders WHERE order_number LIKE $1", f"{PREFIX}{self.run}-{side}-%"
            )
            if stored != done:
                problems.append(f"side {side}: {done} orders answered, {stored} stored")
        wrong_customers = await raw.fetchval(
            "SELECT count(*) FROM customers c LEFT JOIN ("
            " SELECT customer_id, count(*) AS n, sum(total_amount) AS s, min(placed_at) AS f, max(placed_at) AS l"
            f" FROM orders WHERE customer_id = ANY($1::bigint[]) AND status NOT IN {UNCOUNTED_SQL}"
            " GROUP BY customer_id) a ON a.customer_id = c.id "
            "WHERE c.id = ANY($1::bigint[]) AND (c.total_orders <> coalesce(a.n, 0) "
            " OR c.total_spend <> coalesce(a.s, 0) OR c.first_order_at IS DISTINCT FROM a.f "
            " OR c.last_order_at IS DISTINCT FROM a.l)",
            self.customers,
        )
        if wrong_customers:
            problems.append(f"{wrong_customers} customers' spend/order count/order times differ from their orders")
        negative = await raw.fetchval("SELECT count(*) FROM products WHERE stock < 0")
        if negative:
            problems.append(f"{negative} products have negative stock")
        taken = {
            r["product_id"]: r["q"]
            for r in await raw.fetch(
                "SELECT i.product_id, sum(i.quantity) AS q FROM order_items i JOIN orders o ON o.id = i.order_id "
                "WHERE o.order_number LIKE $1 GROUP BY i.product_id",
                pattern,
            )
        }
        now = {
            r["id"]: r["stock"]
            for r in await raw.fetch(
                "SELECT id, stock FROM products WHERE id = ANY($1::bigint[])", list(self.stock_before)
            )
        }
        off = [p for p, before in self.stock_before.items() if now[p] != before - taken.get(p, 0)]
        if off:
            problems.append(f"{len(off)} products' stock did not go down by exactly what was ordered")
        bad_orders = await raw.fetchval(
            "SELECT count(*) FROM orders o WHERE o.order_number LIKE $1 AND ("
            " NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"
            " OR (SELECT count(*) FROM order_status_events e WHERE e.order_id = o.id AND e.to_status = o.status"
            "     AND e.from_status IS NULL AND e.customer_id = o.customer_id) <> 1"
            " OR o.total_amount <> (SELECT sum(quantity * price) FROM order_items i WHERE i.order_id = o.id))",
            pattern,
        )
        if bad_orders:
            problems.append(f"{bad_orders} new orders lack items, a total matching them, or their one status event")
        return problems

    async def close(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                await asyncio.to_thread(self.server.wait, 15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                await asyncio.to_thread(self.server.wait)
        raw = self.ctx.raw
        await undo_bench_orders(raw, f"{PREFIX}{self.run}-%")
        async with raw.transaction():
            for table, rows in self.updated_before.items():
                if rows:
                    await raw.execute(
                        f"UPDATE {table} t SET updated_at = u.at "
                        "FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, at) WHERE t.id = u.id",
                        [i for i, _ in rows],
                        [at for _, at in rows],
                    )
            await raw.execute("DELETE FROM api_tokens WHERE name = $1", self.token_name)
        # Its orders were rolled up with their day's figures, and a deleted order leaves no status event for the
        # rollup to notice: the days they were placed on are rebuilt from what is left (the product never
        # deletes an order; only this undo does).
        tz = ZoneInfo(self.ctx.settings.store_timezone)
        today = dt.datetime.now(tz).date()
        days = [today - dt.timedelta(days=1), today]
        async with self.ctx.database.transaction() as session:
            await rebuild_days(session, days, tz)
            await refresh_periods(session, today=today, rebuilt=days)
        # The run updated the same product and customer rows thousands of times and deleted its orders;
        # without autovacuum (off on the benchmark machine) those dead rows would slow every later run.
        await raw.execute("VACUUM (ANALYZE) products, customers, orders, order_items, order_status_events")
        self.log.unlink(missing_ok=True)


@load(
    "order_ingestion",
    description=f"POST /api/orders, {CLIENTS} concurrent clients for {DURATION_S:g} s vs hand SQL transactions",
    target_per_s=TARGET_PER_S,
)
async def order_ingestion(ctx: BenchContext) -> Load:
    ingestion = Ingestion(ctx)
    try:
        await ingestion.setup()
    except BaseException:
        await ingestion.close()
        raise
    return Load(ingestion.system, ingestion.baseline, ingestion.check, ingestion.close)


# The ingestion statement without its stock-ledger row (the `moved` step): what ordering cost before stock
# became a ledger.
WITHOUT_LEDGER = re.sub(r"\), moved AS \(.*?\), buyer AS \(", "), buyer AS (", INGEST_POSTGRESQL.sql, flags=re.S)


class LedgerCost(Ingestion):
    """Both sides the database's own statement on raw connections: the system's as the API sends it, the
    baseline's without the ledger row, so the ratio is what the ledger costs ingestion."""

    # Raw sides order several times as fast as the API: the pool's stock ran out within the run (120,000
    # orders a side), so the pool gets a stock it cannot run out of for the run, taken back at the end.
    TOP_UP = 10_000_000

    async def setup(self) -> None:
        # A run killed before close() left its orders and its top-up behind: the orders are undone first (their
        # stock comes back), then no product of the data set holds half the top-up otherwise, so such stock
        # is taken back before anything is read.
        leftovers = await undo_bench_orders(self.ctx.raw, PREFIX + "%")
        if leftovers:
            print(f"  removed {leftovers} orders left by an interrupted run", flush=True)
        taken = await self.ctx.raw.execute(
            "UPDATE products SET stock = stock - $1 WHERE stock >= $2", self.TOP_UP, self.TOP_UP // 2
        )
        if taken != "UPDATE 0":
            print(f"  took back the stock top-up an interrupted run left ({taken.split()[-1]} products)", flush=True)
        await super().setup()
        await self.ctx.raw.execute(
            "UPDATE products SET stock = stock + $1 WHERE id = ANY($2::bigint[])", self.TOP_UP, list(self.stock_before)
        )
        self.stock_before = {p: stock + self.TOP_UP for p, stock in self.stock_before.items()}

    async def close(self) -> None:
        await super().close()  # the orders undone: the stock is back to what it was after the top-up
        await self.ctx.raw.execute(
            "UPDATE products SET stock = stock - $1 WHERE id = ANY($2::bigint[])", self.TOP_UP, list(self.stock_before)
        )

    async def system(self) -> LoadRun:
        return await self._raw_side("S", INGEST_POSTGRESQL.sql)

    async def baseline(self) -> LoadRun:
        return await self._raw_side("B", WITHOUT_LEDGER)

    async def _raw_side(self, side: str, sql: str) -> LoadRun:
        async def make_sender() -> tuple[Any, Any]:
            conn = await asyncpg.connect(self.dsn)

            async def send() -> None:
                await self._hand_order(conn, self._next_order(side), sql)
                self.done[side] += 1

            return send, conn.close

        return await self._drive(make_sender, side)


@load(
    "order_ingestion stock ledger cost",
    description="the ingestion statement with its stock-ledger row against the same without it, raw connections",
    target_per_s=None,
)
async def ledger_cost(ctx: BenchContext) -> Load:
    assert INGEST_POSTGRESQL.sql != WITHOUT_LEDGER, "the ledger step was not found in the ingestion statement"
    ingestion = LedgerCost(ctx, serve=False)
    try:
        await ingestion.setup()
    except BaseException:
        await ingestion.close()
        raise
    return Load(ingestion.system, ingestion.baseline, ingestion.check, ingestion.close)
