"""A plain-Python reference evaluator of segment rule trees, written from the documented rules
(segments/fields.py) and not from the compiler, over rows loaded from the database. The property tests
compare the compiled query's members with what this evaluator finds.

The rules it implements:
- a positive operator never matches a missing value; a negative one (!=, doesNot*, notIn, notBetween,
  notInLastDays) is the complement of its positive one, so it matches a missing value;
- text: =, !=, in, notIn compare as stored (email ignoring case); contains / beginsWith / endsWith and their
  negations ignore case;
- times: a day value means the whole UTC day; inLastDays N: now - N days <= t <= now;
- tier: the spend band; average order value: spend / orders, missing without orders;
- days since the last order: floor((now - last order) / 1 day), missing without orders;
- windowed fields: counted orders (not cancelled or refunded) placed in [now - N days, now];
- bought_*: an item of a counted order (in the window when given) in one of the named categories / SKUs;
- an empty group matches everyone; `not` complements a group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.inventory.models import Product
from shopcrm.orders.models import Order, OrderItem
from shopcrm.segments.tree import Group, Rule, When, Window

UNCOUNTED = {"cancelled", "refunded"}
TIER_FLOORS = [("platinum", Decimal(5000)), ("gold", Decimal(1000)), ("silver", Decimal(200)), ("bronze", Decimal(0))]


@dataclass
class Data:
    customers: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    items: list[dict[str, Any]]  # with the product's category and sku
    orders_by_customer: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    items_by_customer: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


async def load(database: Database) -> Data:
    async with database.sessionmaker() as session:
        customers = [dict(r._mapping) for r in (await session.execute(select(Customer.__table__))).all()]
        orders = [dict(r._mapping) for r in (await session.execute(select(Order.__table__))).all()]
        items = [
            dict(r._mapping)
            for r in (
                await session.execute(
                    select(OrderItem.customer_id, OrderItem.order_id, Product.category, Product.sku).join(
                        Product, Product.id == OrderItem.product_id
                    )
                )
            ).all()
        ]
    data = Data(customers, orders, items)
    for o in orders:
        data.orders_by_customer.setdefault(o["customer_id"], []).append(o)
    for i in items:
        data.items_by_customer.setdefault(i["customer_id"], []).append(i)
    return data


def members(group: Group, data: Data, now: dt.datetime) -> set[int]:
    return {c["id"] for c in data.customers if matches(group, c, data, now)}


def matches(node: Group | Rule, customer: dict[str, Any], data: Data, now: dt.datetime) -> bool:
    if isinstance(node, Rule):
        return rule_holds(node, customer, data, now)
    results = [matches(child, customer, data, now) for child in node.rules]
    if not results:
        inner = True
    elif node.combinator == "and":
        inner = all(results)
    else:
        inner = any(results)
    return inner != node.negated


NEGATIVE = {
    "!=": "=",
    "doesNotContain": "contains",
    "doesNotBeginWith": "beginsWith",
    "doesNotEndWith": "endsWith",
    "notIn": "in",
    "notBetween": "between",
    "notInLastDays": "inLastDays",
}


def rule_holds(rule: Rule, customer: dict[str, Any], data: Data, now: dt.datetime) -> bool:
    op = rule.op.value
    if op in ("null", "notNull"):
        missing = _actual(rule, customer, data, now) is None
        return missing if op == "null" else not missing
    if op in NEGATIVE:
        return not _positive(rule, NEGATIVE[op], customer, data, now)
    return _positive(rule, op, customer, data, now)


def _orders_in(customer_id: int, data: Data, now: dt.datetime, days: int | None) -> list[dict[str, Any]]:
    out = []
    for o in data.orders_by_customer.get(customer_id, []):
        if o["status"] in UNCOUNTED:
            continue
        if days is not None and not (now - dt.timedelta(days=days) <= o["placed_at"] <= now):
            continue
        out.append(o)
    return out


def _actual(rule: Rule, customer: dict[str, Any], data: Data, now: dt.datetime) -> Any:
    f = rule.field.id
    if f in customer:
        return customer[f]
    if f == "tier":
        return next(name for name, floor in TIER_FLOORS if customer["total_spend"] >= floor)
    if f == "average_order_value":
        return None if customer["total_orders"] == 0 else (customer["total_spend"], customer["total_orders"])
    if f == "days_since_last_order":
        last = customer["last_order_at"]
        return None if last is None else (now - last) // dt.timedelta(days=1)
    window: Window = rule.value
    orders = _orders_in(customer["id"], data, now, window.days)
    if f == "orders_in_last_days":
        return len(orders)
    if f == "spend_in_last_days":
        return sum((o["total_amount"] for o in orders), Decimal(0))
    counted = {o["id"] for o in orders}
    key = "category" if f == "bought_category" else "sku"
    return {i[key] for i in data.items_by_customer.get(customer["id"], []) if i["order_id"] in counted}


def _compare(actual: Any, op: str, value: Any) -> bool:
    if op == "between":
        low, high = value
        return bool(low <= actual <= high)
    return bool(
        {
            "=": lambda: actual == value,
            "<": lambda: actual < value,
            ">": lambda: actual > value,
            "<=": lambda: actual <= value,
            ">=": lambda: actual >= value,
        }[op]()
    )


def _in_time(actual: dt.datetime, op: str, value: Any, now: dt.datetime) -> bool:
    if op == "inLastDays":
        return now - dt.timedelta(days=value) <= actual <= now
    if op == "between":
        low, high = value
        upper_ok = actual < high.end if high.end is not None else actual <= high.start
        return actual >= low.start and upper_ok
    when: When = value
    if when.end is None:
        return _compare(actual, op, when.start)
    return {
        "=": when.start <= actual < when.end,
        "<": actual < when.start,
        ">": actual >= when.end,
        "<=": actual < when.end,
        ">=": actual >= when.start,
    }[op]


def _positive(rule: Rule, op: str, customer: dict[str, Any], data: Data, now: dt.datetime) -> bool:
    actual = _actual(rule, customer, data, now)
    f = rule.field
    value = rule.value
    if f.type.value == "bought":
        return bool(actual & set(value.value))
    if isinstance(value, Window):
        return _compare(actual, op, value.value)
    if actual is None:
        return False
    if f.id == "average_order_value":
        spend, orders = actual
        if op == "between":
            return value[0] * orders <= spend <= value[1] * orders
        return _compare(spend, op, value * orders)
    if f.type.value == "datetime":
        return _in_time(actual, op, value, now)
    if f.type.value in ("text", "email", "choice", "tier"):
        fold = f.type.value == "email"
        a = actual.lower() if fold else actual
        if op in ("=", "in"):
            wanted = [value] if op == "=" else list(value)
            return a in ([w.lower() for w in wanted] if fold else wanted)
        a, v = actual.lower(), value.lower()
        return {"contains": v in a, "beginsWith": a.startswith(v), "endsWith": a.endswith(v)}[op]
    if f.type.value == "boolean":
        return bool(actual == value)
    return _compare(actual, op, value)
