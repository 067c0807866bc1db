"""Hand-written SQL shared by the baselines (raw asyncpg, no SQLAlchemy in the timed path)."""

from __future__ import annotations

import json
from typing import Any

from shopcrm.core.counting import COUNT_CAP
from shopcrm.orders.models import UNCOUNTED_SQL

__all__ = ["CUSTOMER_COLUMNS", "ORDER_COLUMNS", "UNCOUNTED_SQL", "capped_count"]

CUSTOMER_COLUMNS = (
    "id, first_name, last_name, email, phone, status, total_spend, total_orders, first_order_at, last_order_at, "
    "city, country, email_consent, unsubscribed_at, created_at, updated_at"
)
ORDER_COLUMNS = (
    "id, customer_id, order_number, placed_at, status, total_amount, currency, shipping_name, shipping_address1, "
    "shipping_address2, shipping_city, shipping_postal_code, shipping_country, created_at, updated_at"
)


async def capped_count(raw: Any, select_ids: str, *args: Any) -> int:
    """Rows of `select_ids` exact up to the app's cap; past it the planner's estimate (what the API shows)."""
    counted = int(await raw.fetchval(f"SELECT count(*) FROM ({select_ids} LIMIT {COUNT_CAP + 1}) s", *args))
    if counted <= COUNT_CAP:
        return counted
    plan = await raw.fetchval(f"EXPLAIN (FORMAT JSON) {select_ids}", *args)
    # The connection comes from SQLAlchemy's asyncpg dialect, which may have installed a json codec.
    estimate = int((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
    return max(estimate, COUNT_CAP + 1)
