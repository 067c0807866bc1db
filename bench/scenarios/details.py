"""The detail panels: customer details (with insights) and order details (with items and status history).

System: `customer_details` (QuintileCache warmed in setup, as in a running API) and `order_details` on a
read session. Baseline: the same reads by hand on asyncpg. Ids are drawn at random from the seeded rng.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import cycle

from bench.scenarios import BenchContext, Pair, scenario
from bench.scenarios._sql import CUSTOMER_COLUMNS, ORDER_COLUMNS, UNCOUNTED_SQL
from shopcrm.customers.queries import QuintileCache
from shopcrm.orders import customer_details as details_service
from shopcrm.orders import service as order_service

IDS = 200
TARGET_MS = 30.0

CUSTOMER_SQL = f"SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1"
ORDER_TIMES_SQL = (
    f"SELECT placed_at FROM orders WHERE customer_id = $1 AND status NOT IN {UNCOUNTED_SQL} ORDER BY placed_at"
)
RECENT_SQL = (
    f"SELECT {', '.join('o.' + c.strip() for c in ORDER_COLUMNS.split(','))}, "
    "(SELECT count(*) FROM order_items i WHERE i.order_id = o.id) AS item_count "
    "FROM orders o WHERE o.customer_id = $1 ORDER BY o.placed_at DESC, o.id DESC LIMIT 10"
)
CATEGORY_SQL = (
    "SELECT p.category, sum(i.quantity * i.price) AS spend FROM order_items i "
    "JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id "
    f"WHERE i.customer_id = $1 AND o.status NOT IN {UNCOUNTED_SQL} GROUP BY p.category"
)


@scenario(
    "customer_details",
    description="customer details with stats, recent orders and insights: service vs hand SQL",
    n=200,
    warmup=20,
    target_p95_ms=TARGET_MS,
)
async def customer_details(ctx: BenchContext) -> Pair:
    ids = [ctx.rng.randint(1, ctx.counts["customers"]) for _ in range(IDS)]
    system_ids, baseline_ids = cycle(ids), cycle(ids)
    quintiles = QuintileCache()
    async with ctx.database.read_sessionmaker() as session:
        await quintiles.get(session)  # warmed, as after the API's first details request

    async def system() -> object:
        async with ctx.database.read_sessionmaker() as session:
            details = await details_service.customer_details(
                session, customer_id=next(system_ids), settings=ctx.settings, quintiles=quintiles
            )
            await session.rollback()  # the details are plain pydantic models, usable after it
        return (
            details.customer.email,
            [o.id for o in details.recent_orders],
            details.insights.favourite_category.category,
        )

    async def baseline() -> object:
        customer_id = next(baseline_ids)
        customer = await ctx.raw.fetchrow(CUSTOMER_SQL, customer_id)
        await ctx.raw.fetch(ORDER_TIMES_SQL, customer_id)
        recent = await ctx.raw.fetch(RECENT_SQL, customer_id)
        spend = {
            r["category"]: Decimal(r["spend"]).quantize(Decimal("0.01"))
            for r in await ctx.raw.fetch(CATEGORY_SQL, customer_id)
        }
        favourite = max(sorted(spend), key=lambda c: spend[c]) if spend else None
        return customer["email"], [r["id"] for r in recent], favourite

    return Pair(system, baseline)


ORDER_SQL = f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1"
ITEMS_SQL = (
    "SELECT i.id, i.order_id, i.product_id, i.customer_id, i.quantity, i.price, p.name, p.sku "
    "FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = $1 ORDER BY i.id"
)
HISTORY_SQL = (
    "SELECT e.id, e.order_id, e.customer_id, e.from_status, e.to_status, e.changed_at, e.changed_by_user_id, "
    "u.full_name FROM order_status_events e LEFT JOIN users u ON u.id = e.changed_by_user_id "
    "WHERE e.order_id = $1 ORDER BY e.changed_at, e.id"
)


@scenario(
    "order_details",
    description="order details with items, customer and status history: service vs hand SQL",
    n=200,
    warmup=20,
    target_p95_ms=TARGET_MS,
)
async def order_details(ctx: BenchContext) -> Pair:
    ids = [ctx.rng.randint(1, ctx.counts["orders"]) for _ in range(IDS)]
    system_ids, baseline_ids = cycle(ids), cycle(ids)

    async def system() -> object:
        async with ctx.database.read_sessionmaker() as session:
            details = await order_service.order_details(session, order_id=next(system_ids))
            await session.rollback()
        return details.order_number, [i.id for i in details.items], [h.to_status.value for h in details.history]

    async def baseline() -> object:
        order_id = next(baseline_ids)
        order = await ctx.raw.fetchrow(ORDER_SQL, order_id)
        await ctx.raw.fetchrow(CUSTOMER_SQL, order["customer_id"])
        items = await ctx.raw.fetch(ITEMS_SQL, order_id)
        history = await ctx.raw.fetch(HISTORY_SQL, order_id)
        return order["order_number"], [r["id"] for r in items], [r["to_status"] for r in history]

    return Pair(system, baseline)
