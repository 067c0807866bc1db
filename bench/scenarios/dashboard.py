"""The dashboard through HTTP, 30 and 90 days. System: `GET /api/dashboard`. Floor: `GET /bench-floor/dashboard`,
the same figures by hand over the same rollup (bench/floor.py): rolled-up days from daily_sales and
daily_product_sales, today and the days changed after the rollup's watermark from orders.

Compared on warm-up: sales, orders, active and new customers, each with the previous period's, the orders by
status and the stock alerts; the top products when no day of the period is live but today (the floor's top
list then leaves today out, which the bench's data has no orders on).
"""

from __future__ import annotations

import datetime as dt
from itertools import repeat
from typing import Any

from bench.scenarios import BenchContext, Pair, add_scenario
from bench.scenarios._http import http_pair

TARGET_MS = 200.0


def _product(a: dict[str, Any]) -> object:
    return (
        a["sales"]["value"],
        a["sales"]["previous"],
        a["orders"]["value"],
        a["orders"]["previous"],
        a["active_customers"]["value"],
        a["active_customers"]["previous"],
        a["new_customers"]["value"],
        a["new_customers"]["previous"],
        a["orders_by_status"],
        [p["product_id"] for p in a["top_products"]],
        a["stock_alerts"],
    )


def _floor(b: dict[str, Any]) -> object:
    return (
        b["sales"],
        b["previous_sales"],
        b["orders"],
        b["previous_orders"],
        b["active"],
        b["previous_active"],
        b["new"],
        b["previous_new"],
        b["orders_by_status"],
        b["top"],
        b["stock_alerts"],
    )


def make(period: str) -> Any:
    async def factory(ctx: BenchContext) -> Pair:
        return http_pair(
            ctx,
            repeat(f"/api/dashboard?period={period}"),
            repeat(f"/bench-floor/dashboard?period={period}"),
            _product,
            _floor,
        )

    return factory


def make_to_data_end(days: int) -> Any:
    """The `days` up to the data's last day (a custom period): the demo data stops at its anchor day, so the
    standard periods, which end today, may hold few of its orders; this one is full of them, and its top
    lists are the general path (no stored period totals)."""

    async def factory(ctx: BenchContext) -> Pair:
        assert ctx.rows is not None
        # The orders' own last day (the rollup may hold today's row from the ingestion scenario's orders).
        found = (await ctx.rows.fetch("SELECT max(placed_at) AS last FROM orders"))[0]["last"]
        last = (dt.datetime.fromisoformat(found) if isinstance(found, str) else found).date()
        query = f"period=custom&from={last - dt.timedelta(days=days - 1)}&to={last}"
        return http_pair(
            ctx, repeat(f"/api/dashboard?{query}"), repeat(f"/bench-floor/dashboard?{query}"), _product, _floor
        )

    return factory


for _period in ("30d", "90d"):
    add_scenario(
        f"dashboard {_period}",
        make(_period),
        description=f"GET /api/dashboard?period={_period}: rollup for closed days, today live",
        n=60,
        warmup=5,
        target_p95_ms=TARGET_MS,
    )

for _days in (30, 90):
    add_scenario(
        f"dashboard {_days} days to the data's end",
        make_to_data_end(_days),
        description=f"GET /api/dashboard?period=custom: the {_days} days up to the data's last day, all rolled up",
        n=60,
        warmup=5,
        target_p95_ms=TARGET_MS,
    )
