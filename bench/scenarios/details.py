"""The detail panels through HTTP: customer details (random customers, and the heaviest 0.1% by orders) and
order details. System: `GET /api/customers/{id}/details`, `GET /api/orders/{id}`. Floor: the same reads by
hand on the raw driver (bench/floor.py). A cold process's first customer details is `cold_details.py`.
"""

from __future__ import annotations

from itertools import cycle
from typing import Any

from bench.scenarios import BenchContext, Pair, scenario
from bench.scenarios._http import http_pair

IDS = 200
TARGET_MS = 50.0


def _customer_product(a: dict[str, Any]) -> object:
    favourite = a["insights"]["favourite_category"]["category"]
    return a["customer"]["email"], [o["id"] for o in a["recent_orders"]], favourite


def _customer_floor(b: dict[str, Any]) -> object:
    return b["customer"]["email"], [o["id"] for o in b["recent_orders"]], b["favourite_category"]


def customer_pair(ctx: BenchContext, ids: list[int]) -> Pair:
    return http_pair(
        ctx,
        (f"/api/customers/{i}/details" for i in cycle(ids)),
        (f"/bench-floor/customers/{i}/details" for i in cycle(ids)),
        _customer_product,
        _customer_floor,
    )


@scenario(
    "customer_details",
    description="GET /api/customers/{id}/details for random customers",
    n=200,
    warmup=20,
    target_p95_ms=TARGET_MS,
)
async def customer_details(ctx: BenchContext) -> Pair:
    return customer_pair(ctx, [ctx.rng.randint(1, ctx.counts["customers"]) for _ in range(IDS)])


async def heaviest_customers(ctx: BenchContext) -> list[int]:
    """The top 0.1% of customers by order count (at least 20 of them)."""
    assert ctx.rows is not None
    k = max(20, ctx.counts["customers"] // 1000)
    rows = await ctx.rows.fetch(f"SELECT id FROM customers ORDER BY total_orders DESC, id LIMIT {k}")
    return [int(r["id"]) for r in rows]


@scenario(
    "customer_details heavy",
    description="GET /api/customers/{id}/details for the top 0.1% of customers by orders",
    n=200,
    warmup=20,
    target_p95_ms=TARGET_MS,
)
async def customer_details_heavy(ctx: BenchContext) -> Pair:
    heavy = await heaviest_customers(ctx)
    return customer_pair(ctx, [ctx.rng.choice(heavy) for _ in range(IDS)])


@scenario(
    "order_details",
    description="GET /api/orders/{id}: items, customer and status history",
    n=200,
    warmup=20,
    target_p95_ms=TARGET_MS,
)
async def order_details(ctx: BenchContext) -> Pair:
    ids = [ctx.rng.randint(1, ctx.counts["orders"]) for _ in range(IDS)]
    return http_pair(
        ctx,
        (f"/api/orders/{i}" for i in cycle(ids)),
        (f"/bench-floor/orders/{i}" for i in cycle(ids)),
        lambda a: (a["order_number"], [i["id"] for i in a["items"]], [h["to_status"] for h in a["history"]]),
        lambda b: (b["order"]["order_number"], [i["id"] for i in b["items"]], [h["to_status"] for h in b["history"]]),
    )
