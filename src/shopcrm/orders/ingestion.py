"""Taking an order from the storefront: the order and its items, the stock taken (never below zero) and its
ledger rows (`stock_movements`, kind order_taken), the customer's figures and the first status-history row,
all or nothing, at most once per order number.

It is the hottest write, so it does not go through the ORM's unit of work:
- on PostgreSQL the whole order is the one statement `queries.INGEST_POSTGRESQL`, run on the asyncpg
  driver of the request's connection (see core/driver.py): it locks the products, checks, and writes only
  when everything holds. It is always its own transaction: the caller commits whatever it did before
  (the route commits the authentication's bookkeeping), and `create_order` refuses to run inside an open
  transaction, so no path can make it part of some other unit of work by accident. Anything that must be
  atomic with an order (a flow's "order placed" row, say) belongs in that statement;
- on SQLite (one writer at a time) the prebuilt statements of `orders/queries.py` run one by one in the
  request's transaction, which an error rolls back.
Both answer with what is already in hand instead of reading the order back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.core.driver import postgres_driver, sqlalchemy_errors
from shopcrm.core.errors import Conflict, InvalidInput, NotFound
from shopcrm.customers.models import Customer
from shopcrm.inventory.models import MovementKind
from shopcrm.orders import queries
from shopcrm.orders.schemas import (
    CustomerBrief,
    OrderCreate,
    OrderDetails,
    ShippingIn,
    ShippingOut,
    StatusEventOut,
)
from shopcrm.orders.service import (
    CENT,
    Line,
    assemble_details,
    check_replay,
    get_order_by_number,
    order_details,
)

MAX_ORDER_TOTAL = Decimal("9999999999.99")


@dataclass(frozen=True)
class _ProductRow:
    id: int
    sku: str
    name: str
    price: Decimal
    stock: int | None = None  # known on PostgreSQL, where the lookup and the writes are one statement


@dataclass(frozen=True)
class _NewOrder:
    data: OrderCreate
    shipping: ShippingIn
    placed_at: dt.datetime
    now: dt.datetime
    total: Decimal
    lines: list[tuple[_ProductRow, int, Decimal]]  # (product, quantity, unit price) in the order's line order
    wanted: dict[int, int]  # product id -> quantity over all lines

    def order_params(self) -> dict[str, Any]:
        shipping = self.shipping
        return {
            "customer_id": self.data.customer_id,
            "order_number": self.data.order_number,
            "placed_at": self.placed_at,
            "status": self.data.status.value,
            "total_amount": self.total,
            "currency": self.data.currency,
            "shipping_name": shipping.name,
            "shipping_address1": shipping.address1,
            "shipping_address2": shipping.address2,
            "shipping_city": shipping.city,
            "shipping_postal_code": shipping.postal_code,
            "shipping_country": shipping.country,
            "created_at": self.now,
            "updated_at": self.now,
        }


@dataclass(frozen=True)
class _Written:
    order_id: int
    item_ids: list[int]  # in line order
    customer: CustomerBrief  # its figures after this order


async def create_order(session: AsyncSession, *, data: OrderCreate) -> tuple[OrderDetails, bool]:
    """Take an order. Returns (the order, created); a repeat of a stored order is answered with it and not
    created again, a different order under a used number is a 409.

    Refusals, in this order: an unknown SKU (404), a total too large (422), a used order number (the
    replay rules), an unknown customer (404), an erased customer (409), not enough stock (409). Nothing is
    written for any of them.
    """
    conn = await session.connection()
    driver = await postgres_driver(conn)
    if driver is not None:
        if driver.is_in_transaction():
            raise RuntimeError("order ingestion is its own transaction on PostgreSQL: commit earlier work first")
        order, written, customer_found = await _write_postgresql(conn, driver, data)
    else:
        order, written, customer_found = await _write_stepwise(conn, data)
    if written is not None:
        return _answer(order, written), True
    existing = await get_order_by_number(session, data.order_number)
    if existing is not None:
        await check_replay(session, existing, data)
        return await order_details(session, order_id=existing.id), False
    if not customer_found:
        raise NotFound(
            "No such customer",
            details=[{"loc": ["body", "customer_id"], "message": "no such customer", "type": "not_found"}],
        )
    if await _erased(session, data.customer_id):
        # Their data was erased at their request: a new order would tie a name and an address to the
        # anonymised record again (docs/privacy.md). The storefront creates a new customer instead.
        raise Conflict(
            "This customer's data was erased at their request; create a new customer for a new order",
            details=[{"loc": ["body", "customer_id"], "message": "erased", "type": "customer_erased"}],
        )
    short = next((p.id for p, _, _ in order.lines if p.stock is not None and p.stock < order.wanted[p.id]), None)
    if short is None:
        # Only a concurrent change can get here (an order under this number that then vanished).
        raise Conflict(
            "The order could not be stored; send it again",
            details=[{"loc": ["body", "order_number"], "message": "changed concurrently", "type": "conflict"}],
        )
    raise _not_enough_stock(order, short)


async def _erased(session: AsyncSession, customer_id: int) -> bool:
    """Asked only after nothing was written, so the hot path pays nothing for it."""
    return await session.scalar(select(Customer.erased_at).where(Customer.id == customer_id)) is not None


def _new_order(data: OrderCreate, products: dict[str, _ProductRow], now: dt.datetime) -> _NewOrder:
    """The order priced from its products; refuses unknown SKUs and a total that does not fit."""
    for index, item in enumerate(data.items):
        if item.sku not in products:
            raise NotFound(
                f"No product with SKU {item.sku}",
                details=[{"loc": ["body", "items", index, "sku"], "message": "no such product", "type": "not_found"}],
            )
    lines = [
        (
            products[item.sku],
            item.quantity,
            item.unit_price if item.unit_price is not None else products[item.sku].price,
        )
        for item in data.items
    ]
    total = sum((price * qty for _, qty, price in lines), Decimal("0")).quantize(CENT)
    if total > MAX_ORDER_TOTAL:
        raise InvalidInput("items: the order total is too large", loc=["body", "items"])
    wanted: dict[int, int] = defaultdict(int)
    for product, quantity, _ in lines:
        wanted[product.id] += quantity
    return _NewOrder(
        data=data,
        shipping=data.shipping or ShippingIn(),
        placed_at=data.placed_at or now,
        now=now,
        total=total,
        lines=lines,
        wanted=dict(wanted),
    )


async def _write_postgresql(
    conn: AsyncConnection, driver: Any, data: OrderCreate
) -> tuple[_NewOrder, _Written | None, bool]:
    """The one statement; then the same checks in Python on the products it returns, to say what was
    wrong when it wrote nothing."""
    now = dt.datetime.now(dt.UTC)
    shipping = data.shipping or ShippingIn()
    statement = queries.INGEST_POSTGRESQL
    args = statement.args(
        {
            "customer_id": data.customer_id,
            "order_number": data.order_number,
            "placed_at": data.placed_at or now,
            "status": data.status.value,
            "currency": data.currency,
            "shipping_name": shipping.name,
            "shipping_address1": shipping.address1,
            "shipping_address2": shipping.address2,
            "shipping_city": shipping.city,
            "shipping_postal_code": shipping.postal_code,
            "shipping_country": shipping.country,
            "skus": [item.sku for item in data.items],
            "quantities": [item.quantity for item in data.items],
            "unit_prices": [item.unit_price for item in data.items],
            "max_total": MAX_ORDER_TOTAL,
            "now": now,
        }
    )
    async with sqlalchemy_errors(conn, driver, statement.sql):
        rows = await driver.fetch(statement.sql, *args)
    products = {r["sku"]: _ProductRow(r["product_id"], r["sku"], r["name"], r["price"], r["stock"]) for r in rows}
    order = _new_order(data, products, now)
    first = rows[0]  # _new_order found every SKU, so there are rows
    if first["order_id"] is None:
        return order, None, bool(first["customer_found"])
    customer = CustomerBrief(
        id=first["id"],
        first_name=first["first_name"],
        last_name=first["last_name"],
        email=first["email"],
        phone=first["phone"],
        total_orders=first["total_orders"],
        total_spend=first["total_spend"],
    )
    return order, _Written(first["order_id"], list(first["item_ids"]), customer), True


async def _write_stepwise(conn: AsyncConnection, data: OrderCreate) -> tuple[_NewOrder, _Written | None, bool]:
    """The same writes as separate statements in the request's transaction, for SQLite."""
    rows = await conn.execute(queries.PRODUCTS_BY_SKU, {"skus": sorted({item.sku for item in data.items})})
    order = _new_order(data, {r.sku: _ProductRow(r.id, r.sku, r.name, r.price) for r in rows}, dt.datetime.now(dt.UTC))
    customer_id = data.customer_id
    order_id = await conn.scalar(queries.CLAIM_ORDER_NUMBER, order.order_params())
    if order_id is None:
        found = await conn.scalar(queries.CUSTOMER_EXISTS, {"customer_id": customer_id})
        return order, None, found is not None
    movements = []
    for product_id in sorted(order.wanted):
        quantity = order.wanted[product_id]
        stock_after = await conn.scalar(
            queries.TAKE_STOCK, {"product_id": product_id, "quantity": quantity, "now": order.now}
        )
        if stock_after is None:
            raise _not_enough_stock(order, product_id)  # the request's transaction rolls the order back
        movements.append(
            {
                "product_id": product_id,
                "kind": MovementKind.order_taken.value,
                "quantity": -quantity,
                "stock_after": stock_after,
                "order_id": order_id,
                "created_at": order.now,
            }
        )
    await conn.execute(queries.INSERT_MOVEMENTS, movements)
    item_rows = [
        {"order_id": order_id, "product_id": p.id, "customer_id": customer_id, "quantity": q, "price": c}
        for p, q, c in order.lines
    ]
    item_ids = list((await conn.scalars(queries.INSERT_ITEMS, item_rows)).all())
    customer = (
        await conn.execute(
            queries.ADD_ORDER_TO_CUSTOMER,
            {"customer_id": customer_id, "amount": order.total, "placed_at": order.placed_at, "now": order.now},
        )
    ).one()
    await conn.execute(
        queries.INSERT_STATUS_EVENT,
        {
            "order_id": order_id,
            "customer_id": customer_id,
            "to_status": data.status.value,
            "changed_at": order.now,
        },
    )
    return order, _Written(order_id, item_ids, CustomerBrief.model_validate(customer)), True


def _not_enough_stock(order: _NewOrder, product_id: int) -> Conflict:
    """The 409 naming the first line of the product whose stock does not cover the order."""
    index, (product, _, _) = next((i, line) for i, line in enumerate(order.lines) if line[0].id == product_id)
    return Conflict(
        f"Not enough stock for SKU {product.sku}",
        details=[
            {
                "loc": ["body", "items", index, "quantity"],
                "message": "more than is in stock",
                "type": "insufficient_stock",
            }
        ],
    )


def _answer(order: _NewOrder, written: _Written) -> OrderDetails:
    data = order.data
    return assemble_details(
        order_id=written.order_id,
        order_number=data.order_number,
        placed_at=order.placed_at,
        status=data.status,
        total=order.total,
        currency=data.currency,
        lines=[
            Line(item_id, p.id, p.name, p.sku, quantity, price)
            for item_id, (p, quantity, price) in zip(written.item_ids, order.lines, strict=True)
        ],
        customer=written.customer,
        shipping=ShippingOut(**order.shipping.model_dump()),
        history=[StatusEventOut(from_status=None, to_status=data.status, changed_at=order.now, changed_by=None)],
    )
