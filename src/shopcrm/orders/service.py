"""Order rules: ingestion that takes stock and updates the customer in one transaction, status changes
through allowed transitions only, and the reads behind the orders page and the detail panels."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.auth.models import User
from shopcrm.core.counting import capped_count
from shopcrm.core.errors import Conflict, InvalidInput, NotFound
from shopcrm.core.pagination import Cursor, Page, SortKey, decode_cursor, keyset_page
from shopcrm.core.types import day_end, day_start
from shopcrm.customers.models import Customer
from shopcrm.customers.search import like_prefix, search_condition
from shopcrm.inventory.models import Product
from shopcrm.orders import queries
from shopcrm.orders.models import UNCOUNTED_STATUSES, Order, OrderItem, OrderStatus, OrderStatusEvent
from shopcrm.orders.schemas import (
    CustomerBrief,
    OrderCreate,
    OrderDetails,
    OrderItemOut,
    OrderListQuery,
    OrderListRow,
    OrderSort,
    OrderSummary,
    ShippingIn,
    ShippingOut,
    StatusEventOut,
)

# Where an order may go from each status. Cancelled and refunded are final.
TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.pending: (OrderStatus.paid, OrderStatus.cancelled),
    OrderStatus.paid: (OrderStatus.processing, OrderStatus.cancelled, OrderStatus.refunded),
    OrderStatus.processing: (OrderStatus.shipped, OrderStatus.cancelled, OrderStatus.refunded),
    OrderStatus.shipped: (OrderStatus.delivered, OrderStatus.refunded),
    OrderStatus.delivered: (OrderStatus.refunded,),
    OrderStatus.cancelled: (),
    OrderStatus.refunded: (),
}

COUNTED = Order.status.not_in([s.value for s in UNCOUNTED_STATUSES])
CENT = Decimal("0.01")

SORT_KEYS: dict[OrderSort, SortKey] = {
    OrderSort.placed_at: SortKey((Order.placed_at,), ("datetime",)),
    OrderSort.total_amount: SortKey((Order.total_amount,), ("decimal",)),
    OrderSort.order_number: SortKey((Order.order_number,), ("str",), unique=True),
}


def _item_count() -> Any:
    return (select(func.count()).select_from(OrderItem).where(OrderItem.order_id == Order.id).scalar_subquery()).label(
        "item_count"
    )


# --- reads -----------------------------------------------------------------------------------------


async def get_order_by_number(session: AsyncSession, order_number: str) -> Order | None:
    """The one lookup by the globally unique order number (the ingestion idempotency key)."""
    return await session.scalar(select(Order).where(Order.order_number == order_number))


async def counted_order_times(session: AsyncSession, *, customer_id: int) -> list[dt.datetime]:
    rows = await session.scalars(
        select(Order.placed_at).where(Order.customer_id == customer_id, COUNTED).order_by(Order.placed_at)
    )
    return list(rows)


async def recent_orders(session: AsyncSession, *, customer_id: int, limit: int) -> list[OrderSummary]:
    rows = await session.execute(
        select(Order, _item_count())
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(limit)
    )
    return [_summary(order, count) for order, count in rows]


def _summary(order: Order, item_count: int) -> OrderSummary:
    return OrderSummary(
        id=order.id,
        order_number=order.order_number,
        customer_id=order.customer_id,
        placed_at=order.placed_at,
        status=OrderStatus(order.status),
        total_amount=order.total_amount,
        currency=order.currency,
        item_count=item_count,
    )


async def favourite_category(session: AsyncSession, *, customer_id: int) -> tuple[str | None, Decimal | None]:
    """The category with the largest share of the customer's counted spend, and that share in percent."""
    spend = func.sum(OrderItem.quantity * OrderItem.price)
    rows = (
        await session.execute(
            select(Product.category, spend)
            .select_from(OrderItem)
            .join(Order, Order.id == OrderItem.order_id)
            .join(Product, Product.id == OrderItem.product_id)
            .where(OrderItem.customer_id == customer_id, COUNTED)
            .group_by(Product.category)
        )
    ).all()
    if not rows:
        return None, None
    totals = {category: Decimal(str(amount)).quantize(CENT) for category, amount in rows}
    overall = sum(totals.values(), Decimal("0"))
    best = max(sorted(totals), key=lambda c: totals[c])
    share = (totals[best] * 100 / overall).quantize(Decimal("0.1")) if overall else None
    return best, share


def _list_conditions(query: OrderListQuery, *, with_status: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if with_status and query.status is not None:
        conditions.append(Order.status == query.status.value)
    if query.q and (search := search_condition(query.q)) is not None:
        conditions.append(Order.customer_id.in_(select(Customer.id).where(search)))
    if query.order_number:
        conditions.append(func.upper(Order.order_number).like(like_prefix(query.order_number, upper=True), escape="\\"))
    if query.customer_id is not None:
        conditions.append(Order.customer_id == query.customer_id)
    if query.placed_from:
        conditions.append(Order.placed_at >= day_start(query.placed_from))
    if query.placed_to:
        conditions.append(Order.placed_at < day_end(query.placed_to))
    return conditions


async def list_orders(session: AsyncSession, *, query: OrderListQuery) -> tuple[Page, int, bool, dict[str, int]]:
    key = SORT_KEYS[query.sort]
    cursor: Cursor | None = None
    if query.cursor:
        cursor = decode_cursor(query.cursor, query.sort.value, query.order, key)
    conditions = _list_conditions(query, with_status=True)
    base = (
        select(Order, Customer.first_name, Customer.last_name, Customer.email, _item_count())
        .join(Customer, Customer.id == Order.customer_id)
        .where(*conditions)
    )
    page = await keyset_page(
        session,
        base,
        key=key,
        id_col=Order.id,
        sort=query.sort.value,
        direction=query.order,
        limit=query.limit,
        cursor=cursor,
    )
    counts = await status_counts(session, _list_conditions(query, with_status=False))
    # The list's own total is one of the tab counts (the chosen status, or all): no second count.
    total, exact = counts[query.status.value if query.status is not None else "all"]
    return page, total, exact, {name: n for name, (n, _) in counts.items()}


async def status_counts(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> dict[str, tuple[int, bool]]:
    """(count, exact) per status and for "all" under the other filters, each capped like any list total."""
    counts: dict[str, tuple[int, bool]] = {}
    for status in OrderStatus:
        counts[status.value] = await capped_count(
            session, select(Order.id).where(*conditions, Order.status == status.value)
        )
    counts["all"] = await capped_count(session, select(Order.id).where(*conditions))
    return counts


def list_row(row: Any) -> OrderListRow:
    order: Order = row.Order
    return OrderListRow(
        **_summary(order, row.item_count).model_dump(),
        customer_name=f"{row.first_name} {row.last_name}",
        customer_email=row.email,
    )


async def order_details(session: AsyncSession, *, order_id: int) -> OrderDetails:
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound("No such order")
    customer = await session.get(Customer, order.customer_id)
    assert customer is not None  # a foreign key guarantees it
    items = (
        await session.execute(
            select(OrderItem, Product.name, Product.sku)
            .join(Product, Product.id == OrderItem.product_id)
            .where(OrderItem.order_id == order.id)
            .order_by(OrderItem.id)
        )
    ).all()
    history = (
        await session.execute(
            select(OrderStatusEvent, User.full_name)
            .outerjoin(User, User.id == OrderStatusEvent.changed_by_user_id)
            .where(OrderStatusEvent.order_id == order.id)
            .order_by(OrderStatusEvent.changed_at, OrderStatusEvent.id)
        )
    ).all()
    return OrderDetails(
        id=order.id,
        order_number=order.order_number,
        placed_at=order.placed_at,
        status=OrderStatus(order.status),
        total_amount=order.total_amount,
        currency=order.currency,
        items=[
            OrderItemOut(
                id=item.id,
                product_id=item.product_id,
                product_name=name,
                sku=sku,
                quantity=item.quantity,
                unit_price=item.price,
                line_total=(item.price * item.quantity).quantize(CENT),
            )
            for item, name, sku in items
        ],
        customer=CustomerBrief.model_validate(customer),
        shipping=ShippingOut(
            name=order.shipping_name,
            address1=order.shipping_address1,
            address2=order.shipping_address2,
            city=order.shipping_city,
            postal_code=order.shipping_postal_code,
            country=order.shipping_country,
        ),
        history=[
            StatusEventOut(
                from_status=OrderStatus(event.from_status) if event.from_status else None,
                to_status=OrderStatus(event.to_status),
                changed_at=event.changed_at,
                changed_by=who,
            )
            for event, who in history
        ],
        allowed_transitions=list(TRANSITIONS[OrderStatus(order.status)]),
    )


def _missing(loc: list[str | int], message: str) -> dict[str, Any]:
    return {"loc": loc, "message": message, "type": "not_found"}


# --- writes ----------------------------------------------------------------------------------------


async def create_order(session: AsyncSession, *, data: OrderCreate) -> tuple[OrderDetails, bool]:
    """Take an order from the storefront. Returns (the order, created); a repeat of a stored order is not
    created again.

    One transaction: the order and its items, the stock taken (never below zero), the customer's spend,
    order count and first/last order times, and the first status-history row. It is the hot write path,
    so it runs the prebuilt statements of `orders/queries.py` on the request's connection (no ORM unit of
    work), about seven round trips, and answers with what is already in hand.
    """
    conn = await session.connection()
    now = dt.datetime.now(dt.UTC)
    placed_at = data.placed_at or now
    products = await _products_for(conn, data)
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

    shipping = data.shipping or ShippingIn()
    writes = await _Writes.on(conn)
    order_id = await writes.scalar(
        queries.CLAIM_ORDER_NUMBER[conn.dialect.name],
        {
            "customer_id": data.customer_id,
            "order_number": data.order_number,
            "placed_at": placed_at,
            "status": data.status.value,
            "total_amount": total,
            "currency": data.currency,
            "shipping_name": shipping.name,
            "shipping_address1": shipping.address1,
            "shipping_address2": shipping.address2,
            "shipping_city": shipping.city,
            "shipping_postal_code": shipping.postal_code,
            "shipping_country": shipping.country,
            "created_at": now,
            "updated_at": now,
        },
    )
    if order_id is None:
        existing = await get_order_by_number(session, data.order_number)
        if existing is None:
            # Nothing was inserted and the number is free: the customer does not exist.
            raise NotFound("No such customer", details=[_missing(["body", "customer_id"], "no such customer")])
        await _check_replay(session, existing, data)
        return await order_details(session, order_id=existing.id), False

    await _take_stock(writes, data, products, now=now)
    item_ids = await writes.insert_items(order_id, data.customer_id, [(p.id, q, c) for p, q, c in lines])
    row = await writes.one(
        queries.ADD_ORDER_TO_CUSTOMER,
        {"customer_id": data.customer_id, "amount": total, "placed_at": placed_at, "now": now},
    )
    await writes.execute(
        queries.INSERT_STATUS_EVENT,
        {"order_id": order_id, "customer_id": data.customer_id, "to_status": data.status.value, "changed_at": now},
    )
    return (
        OrderDetails(
            id=order_id,
            order_number=data.order_number,
            placed_at=placed_at,
            status=data.status,
            total_amount=total,
            currency=data.currency,
            items=[
                OrderItemOut(
                    id=item_id,
                    product_id=p.id,
                    product_name=p.name,
                    sku=p.sku,
                    quantity=q,
                    unit_price=c,
                    line_total=(c * q).quantize(CENT),
                )
                for item_id, (p, q, c) in zip(item_ids, lines, strict=True)
            ],
            customer=CustomerBrief.model_validate(row),
            shipping=ShippingOut(**shipping.model_dump()),
            history=[StatusEventOut(from_status=None, to_status=data.status, changed_at=now, changed_by=None)],
            allowed_transitions=list(TRANSITIONS[data.status]),
        ),
        True,
    )


MAX_ORDER_TOTAL = Decimal("9999999999.99")


@dataclass(frozen=True)
class _ProductRow:
    id: int
    sku: str
    name: str
    price: Decimal


async def _products_for(conn: AsyncConnection, data: OrderCreate) -> dict[str, _ProductRow]:
    rows = await conn.execute(queries.PRODUCTS_BY_SKU, {"skus": sorted({item.sku for item in data.items})})
    found = {row.sku: _ProductRow(row.id, row.sku, row.name, row.price) for row in rows}
    for index, item in enumerate(data.items):
        if item.sku not in found:
            raise NotFound(
                f"No product with SKU {item.sku}",
                details=[_missing(["body", "items", index, "sku"], "no such product")],
            )
    return found


class _Writes:
    """Runs the ingestion statements: through SQLAlchemy, or on PostgreSQL straight on the asyncpg driver
    of the same connection and transaction (the statements are the same; see queries.PostgresStatements)."""

    def __init__(self, conn: AsyncConnection, driver: Any | None) -> None:
        self.conn = conn
        self.driver = driver

    @classmethod
    async def on(cls, conn: AsyncConnection) -> _Writes:
        if conn.dialect.name != "postgresql":
            return cls(conn, None)
        raw = await conn.get_raw_connection()
        return cls(conn, raw.driver_connection)

    async def scalar(self, stmt: Any, params: dict[str, Any]) -> Any:
        if self.driver is None:
            return await self.conn.scalar(stmt, params)
        sql, args = queries.POSTGRES.args(stmt, params)
        return await self.driver.fetchval(sql, *args)

    async def execute(self, stmt: Any, params: dict[str, Any]) -> None:
        if self.driver is None:
            await self.conn.execute(stmt, params)
            return
        sql, args = queries.POSTGRES.args(stmt, params)
        await self.driver.execute(sql, *args)

    async def one(self, stmt: Any, params: dict[str, Any]) -> Any:
        if self.driver is None:
            return (await self.conn.execute(stmt, params)).one()
        sql, args = queries.POSTGRES.args(stmt, params)
        row = await self.driver.fetchrow(sql, *args)
        if row is None:
            raise LookupError("expected one row")
        return SimpleNamespace(**dict(row))

    async def insert_items(self, order_id: int, customer_id: int, lines: list[tuple[int, int, Decimal]]) -> list[int]:
        """Item ids in line order."""
        if self.driver is None:
            rows = [
                {"order_id": order_id, "product_id": p, "customer_id": customer_id, "quantity": q, "price": c}
                for p, q, c in lines
            ]
            return list((await self.conn.scalars(queries.INSERT_ITEMS, rows)).all())
        records = await self.driver.fetch(
            queries.INSERT_ITEMS_POSTGRESQL,
            order_id,
            customer_id,
            [p for p, _, _ in lines],
            [q for _, q, _ in lines],
            [c for _, _, c in lines],
        )
        # Identity values are drawn in insertion order, which follows the line order.
        return sorted(r["id"] for r in records)


async def _take_stock(
    writes: _Writes, data: OrderCreate, products: dict[str, _ProductRow], *, now: dt.datetime
) -> None:
    wanted: dict[int, int] = defaultdict(int)
    first_line: dict[int, int] = {}
    for index, item in enumerate(data.items):
        product = products[item.sku]
        wanted[product.id] += item.quantity
        first_line.setdefault(product.id, index)
    # Ascending product id, as everywhere stock changes: concurrent orders lock rows in the same order
    # and cannot deadlock.
    for product_id in sorted(wanted):
        taken = await writes.scalar(
            queries.TAKE_STOCK, {"product_id": product_id, "quantity": wanted[product_id], "now": now}
        )
        if taken is None:
            index = first_line[product_id]
            raise Conflict(
                f"Not enough stock for SKU {data.items[index].sku}",
                details=[
                    {
                        "loc": ["body", "items", index, "quantity"],
                        "message": "more than is in stock",
                        "type": "insufficient_stock",
                    }
                ],
            )


async def _check_replay(session: AsyncSession, existing: Order, data: OrderCreate) -> None:
    """A repeat of an order already stored is answered with that order; a different one is refused."""
    items = (
        await session.execute(
            select(Product.sku, OrderItem.quantity)
            .join(Product, Product.id == OrderItem.product_id)
            .where(OrderItem.order_id == existing.id)
        )
    ).all()
    stored = sorted((sku, qty) for sku, qty in items)
    sent = sorted((item.sku, item.quantity) for item in data.items)
    if existing.customer_id != data.customer_id or stored != sent:
        raise Conflict(
            f"Order number {data.order_number} is already used by a different order",
            details=[{"loc": ["body", "order_number"], "message": "already used", "type": "conflict"}],
        )


async def change_status(session: AsyncSession, *, order_id: int, status: OrderStatus, user: User) -> Order:
    """Move an order to `status` if allowed. Cancelling or refunding puts the stock and the customer's figures back."""
    order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None:
        raise NotFound("No such order")
    current = OrderStatus(order.status)
    if status == current:
        return order
    if status not in TRANSITIONS[current]:
        allowed = ", ".join(TRANSITIONS[current]) or "none (it is final)"
        raise Conflict(
            f"An order cannot go from {current} to {status}; allowed: {allowed}",
            details=[{"loc": ["body", "status"], "message": "transition not allowed", "type": "invalid_transition"}],
        )
    order.status = status.value
    order.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    if status in UNCOUNTED_STATUSES and current not in UNCOUNTED_STATUSES:
        await _give_back(session, order)
    session.add(
        OrderStatusEvent(
            order_id=order.id,
            customer_id=order.customer_id,
            from_status=current.value,
            to_status=status.value,
            changed_at=dt.datetime.now(dt.UTC),
            changed_by_user_id=user.id,
        )
    )
    await session.flush()
    return order


async def _give_back(session: AsyncSession, order: Order) -> None:
    items = (
        await session.execute(
            select(OrderItem.product_id, func.sum(OrderItem.quantity))
            .where(OrderItem.order_id == order.id)
            .group_by(OrderItem.product_id)
            .order_by(OrderItem.product_id)
        )
    ).all()
    for product_id, quantity in items:
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock=Product.stock + quantity)
            .execution_options(synchronize_session=False)
        )
    remaining = select(Order.placed_at).where(Order.customer_id == order.customer_id, COUNTED).subquery()
    await session.execute(
        update(Customer)
        .where(Customer.id == order.customer_id)
        .values(
            total_spend=Customer.total_spend - order.total_amount,
            total_orders=Customer.total_orders - 1,
            first_order_at=select(func.min(remaining.c.placed_at)).scalar_subquery(),
            last_order_at=select(func.max(remaining.c.placed_at)).scalar_subquery(),
            updated_at=dt.datetime.now(dt.UTC),
        )
        .execution_options(synchronize_session=False)
    )
