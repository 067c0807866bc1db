"""Named SQL of imports: the set-based statements a chunk runs, each built for a list of keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import BigInteger, String, Table, Update, case, func, select, update

from shopcrm.core.engines import Capabilities
from shopcrm.customers.models import Customer
from shopcrm.imports.chunk import among
from shopcrm.imports.models import ImportProblem
from shopcrm.inventory.models import Product, StockMovement
from shopcrm.orders.models import UNCOUNTED_STATUSES, Order, OrderItem, OrderStatusEvent

UNCOUNTED = [s.value for s in UNCOUNTED_STATUSES]
# The tables chunks write set-based (Core statements, executemany), typed as tables.
customers = cast(Table, Customer.__table__)
products = cast(Table, Product.__table__)
orders = cast(Table, Order.__table__)
order_items = cast(Table, OrderItem.__table__)
status_events = cast(Table, OrderStatusEvent.__table__)
stock_movements = cast(Table, StockMovement.__table__)
import_problems = cast(Table, ImportProblem.__table__)


def product_default(column: str) -> Any:
    """A products column's Python-side default (the model's `default=`), for rows inserted set-based."""
    default: Any = products.c[column].default
    return default.arg


def customers_by_email(emails: Iterable[str], caps: Capabilities) -> Any:
    """Customers whose stored (normalised) email is one of these, through the unique lower(email) index."""
    return select(Customer.id, Customer.email).where(among(func.lower(Customer.email), emails, caps, String()))


def products_by_sku(skus: Iterable[str], caps: Capabilities, *, lock: bool = False) -> Any:
    """Products by SKU; `lock` takes their rows (in id order) for a stock change."""
    query = select(Product.id, Product.sku).where(among(Product.sku, skus, caps, String())).order_by(Product.id)
    return query.with_for_update() if lock and caps.row_locks else query


def known_order_numbers(numbers: Iterable[str], caps: Capabilities) -> Any:
    """The order numbers among these that are already taken."""
    return select(Order.order_number).where(among(Order.order_number, numbers, caps, String()))


def lock_customers(ids: Iterable[int], caps: Capabilities) -> Any:
    """Take the customers' rows in id order, so the recount after it sees every order committed before."""
    return (
        select(Customer.id).where(among(Customer.id, ids, caps, BigInteger())).order_by(Customer.id).with_for_update()
    )


def recount_customers(ids: Iterable[int], caps: Capabilities, now: dt.datetime) -> Update:
    """Set the customers' spend, order count and first/last order times to what their counted orders say (the
    same rule as ingestion: cancelled and refunded orders count nowhere), one statement for the chunk: their
    orders read once and grouped (four correlated subqueries per customer took a third of a chunk's time in
    the database). Every customer passed has an order (the chunk just wrote it), so each gets a group."""
    counted = Order.status.not_in(UNCOUNTED)
    totals = (
        select(
            Order.customer_id.label("customer_id"),
            func.coalesce(func.sum(case((counted, Order.total_amount))), 0).label("spend"),
            func.count(case((counted, 1))).label("orders"),
            func.min(case((counted, Order.placed_at))).label("first"),
            func.max(case((counted, Order.placed_at))).label("last"),
        )
        .where(among(Order.customer_id, ids, caps, BigInteger()))
        .group_by(Order.customer_id)
        .subquery("totals")
    )
    return (
        update(customers)
        .where(customers.c.id == totals.c.customer_id)
        .values(
            total_spend=totals.c.spend,
            total_orders=totals.c.orders,
            first_order_at=totals.c.first,
            last_order_at=totals.c.last,
            updated_at=now,
        )
    )
