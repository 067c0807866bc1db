"""Checks of a loaded data set, in SQL on either engine: consistency rules and a digest of the rows.

Used by the tests and by the benchmark harness to verify a load. Money is compared in cents
(`round(x * 100)`), which stays exact on SQLite too, where NUMERIC values are stored as REAL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from shopcrm.db import Base
from shopcrm.demo.encoding import python_values
from shopcrm.demo.generate import LOAD_ORDER, DemoDataset, table_columns
from shopcrm.orders.models import UNCOUNTED_SQL, OrderStatus
from shopcrm.orders.service import TRANSITIONS


def _transition_sql() -> str:
    """A condition true for the status changes an order may make (and the first event's NULL -> pending/paid)."""
    pairs = " OR ".join(
        f"(from_status = '{a.value}' AND to_status = '{b.value}')"
        for a, targets in TRANSITIONS.items()
        for b in targets
    )
    first = f"(from_status IS NULL AND to_status IN ('{OrderStatus.pending.value}', '{OrderStatus.paid.value}'))"
    return f"{first} OR {pairs}"


# Each query counts the rows breaking one rule; all must be 0. "Counted" orders are those whose
# status is not in shopcrm.orders.models.UNCOUNTED_STATUSES.
CONSISTENCY_CHECKS: dict[str, str] = {
    # total_orders / total_spend / first_order_at / last_order_at == aggregates of counted orders
    "customer_aggregates": f"""
        SELECT count(*) FROM customers c
        LEFT JOIN (
            SELECT customer_id, count(*) AS n, sum(total_amount) AS s, min(placed_at) AS f, max(placed_at) AS l
            FROM orders WHERE status NOT IN {UNCOUNTED_SQL} GROUP BY customer_id
        ) o ON o.customer_id = c.id
        WHERE c.total_orders <> coalesce(o.n, 0)
           OR round(c.total_spend * 100) <> round(coalesce(o.s, 0) * 100)
           OR (c.first_order_at IS NULL) <> (o.f IS NULL) OR c.first_order_at <> o.f
           OR (c.last_order_at IS NULL) <> (o.l IS NULL) OR c.last_order_at <> o.l
    """,  # noqa: S608 - UNCOUNTED_SQL is a constant
    # an order's total == sum of quantity x price over its items
    "order_totals": """
        SELECT count(*) FROM orders o
        LEFT JOIN (SELECT order_id, sum(quantity * price) AS s FROM order_items GROUP BY order_id) i
            ON i.order_id = o.id
        WHERE round(o.total_amount * 100) <> round(coalesce(i.s, 0) * 100)
    """,
    "orders_without_items": """
        SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)
    """,
    # order_items.customer_id is its order's customer
    "item_customer": """
        SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE i.customer_id <> o.customer_id
    """,
    # a customer exists before their first order
    "created_before_first_order": """
        SELECT count(*) FROM customers c
        JOIN (SELECT customer_id, min(placed_at) AS f FROM orders GROUP BY customer_id) o ON o.customer_id = c.id
        WHERE c.created_at >= o.f
    """,
    "unsubscribed_with_consent": "SELECT count(*) FROM customers WHERE unsubscribed_at IS NOT NULL AND email_consent",
    "cost_not_below_price": "SELECT count(*) FROM products WHERE cost IS NOT NULL AND cost >= price",
    "emails_not_unique": "SELECT count(*) - count(DISTINCT lower(email)) FROM customers",
    # status history: each order's latest event (by changed_at, then id) is its current status
    "event_last_status": """
        SELECT count(*) FROM orders o
        LEFT JOIN (
            SELECT order_id, to_status,
                   row_number() OVER (PARTITION BY order_id ORDER BY changed_at DESC, id DESC) AS rn
            FROM order_status_events
        ) e ON e.order_id = o.id AND e.rn = 1
        WHERE e.to_status IS NULL OR e.to_status <> o.status
    """,
    # ... the first one is at placed_at, from NULL
    "event_first_at_placed": """
        SELECT count(*) FROM orders o
        JOIN (
            SELECT order_id, from_status, changed_at,
                   row_number() OVER (PARTITION BY order_id ORDER BY changed_at, id) AS rn
            FROM order_status_events
        ) e ON e.order_id = o.id AND e.rn = 1
        WHERE e.from_status IS NOT NULL OR e.changed_at <> o.placed_at
    """,
    "event_customer": """
        SELECT count(*) FROM order_status_events e JOIN orders o ON o.id = e.order_id
        WHERE e.customer_id <> o.customer_id
    """,
    # in id order within an order, times strictly increase and each change starts where the last one ended
    "event_sequence": """
        SELECT count(*) FROM (
            SELECT from_status, changed_at,
                   lag(to_status) OVER (PARTITION BY order_id ORDER BY id) AS prev_status,
                   lag(changed_at) OVER (PARTITION BY order_id ORDER BY id) AS prev_at,
                   row_number() OVER (PARTITION BY order_id ORDER BY id) AS rn
            FROM order_status_events
        ) e
        WHERE e.rn > 1 AND (e.changed_at <= e.prev_at OR e.from_status IS NULL OR e.from_status <> e.prev_status)
    """,
    # built from the enum and TRANSITIONS, no outside input
    "event_transition_invalid": f"SELECT count(*) FROM order_status_events WHERE NOT ({_transition_sql()})",  # noqa: S608
}


async def consistency_problems(conn: AsyncConnection) -> dict[str, int]:
    """Rows breaking each rule, by rule name; only non-zero entries (empty: consistent)."""
    problems: dict[str, int] = {}
    for name, sql in CONSISTENCY_CHECKS.items():
        count = int((await conn.execute(text(sql))).scalar_one())
        if count:
            problems[name] = count
    return problems


def _norm(value: object) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _row_line(values: tuple[object, ...]) -> bytes:
    return ("\x1f".join(map(_norm, values)) + "\x1e").encode("utf-8")


def demo_columns() -> dict[str, list[str]]:
    """The columns the demo data writes, per table, sorted."""
    return {t: sorted(c.name for c in columns) for t, columns in table_columns().items()}


def _combined(per_table: dict[str, str]) -> str:
    h = hashlib.sha256()
    for table_name in LOAD_ORDER:
        h.update(table_name.encode())
        h.update(per_table[table_name].encode())
    return h.hexdigest()


async def database_digest(conn: AsyncConnection) -> str:
    """SHA-256 over every demo column of every row of the demo tables, table by table, in id order."""
    per_table: dict[str, str] = {}
    for table_name in LOAD_ORDER:
        table = Base.metadata.tables[table_name]
        names = demo_columns()[table_name]
        h = hashlib.sha256()
        result = await conn.execute(select(*(table.c[n] for n in names)).order_by(table.c.id))
        for row in result:
            h.update(_row_line(tuple(row)))
        per_table[table_name] = h.hexdigest()
    return _combined(per_table)


def dataset_digest(ds: DemoDataset, chunk_rows: int | None = None) -> str:
    """The same digest computed from the generated arrays (what a load must store), chunk by chunk."""
    hashes = {t: hashlib.sha256() for t in LOAD_ORDER}
    for chunk in ds.chunks(chunk_rows):
        names = demo_columns()[chunk.table]
        by_name = {c.name: python_values(c, chunk.rows) for c in chunk.columns()}
        h = hashes[chunk.table]
        for row in zip(*(by_name[name] for name in names), strict=True):
            h.update(_row_line(row))
    return _combined({t: h.hexdigest() for t, h in hashes.items()})
