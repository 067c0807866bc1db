"""Order rules: status changes through allowed transitions only, and the reads behind the orders page
and the detail panels. Taking a new order in is `orders/ingestion.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.auth.models import User
from shopcrm.core import csv_formats
from shopcrm.core.counting import capped_counts, column_shares, planner_estimate, table_rows
from shopcrm.core.csv_export import csv_lines
from shopcrm.core.driver import DriverQuery
from shopcrm.core.engines import Capabilities, capabilities_of
from shopcrm.core.errors import Conflict, NotFound
from shopcrm.core.pagination import CursorCodec, Page, SortKey, in_list_order, keyset_page
from shopcrm.core.types import day_end, day_start
from shopcrm.customers import service as customers_service
from shopcrm.customers.models import Customer
from shopcrm.customers.search import like_prefix, search_condition
from shopcrm.inventory.models import MovementKind, Product, StockMovement
from shopcrm.orders.models import UNCOUNTED_STATUSES, Order, OrderItem, OrderStatus, OrderStatusEvent
from shopcrm.orders.schemas import (
    CustomerBrief,
    OrderCreate,
    OrderDetails,
    OrderFilters,
    OrderItemOut,
    OrderListQuery,
    OrderListRow,
    OrderSort,
    OrderSummary,
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
# The same test without an expanding IN list, for statements compiled once for the driver (DriverQuery).
COUNTED_FIXED = and_(*(Order.status != s.value for s in UNCOUNTED_STATUSES))
CENT = Decimal("0.01")

SORT_KEYS: dict[OrderSort, SortKey] = {
    OrderSort.placed_at: SortKey((Order.placed_at,)),
    OrderSort.total_amount: SortKey((Order.total_amount,)),
    OrderSort.order_number: SortKey((Order.order_number,), unique=True),
}


# Statements are immutable, so this correlated subquery is built once and used in every list.
_ITEM_COUNT = (
    select(func.count()).select_from(OrderItem).where(OrderItem.order_id == Order.id).scalar_subquery()
).label("item_count")


# --- reads -----------------------------------------------------------------------------------------


async def get_order_by_number(session: AsyncSession, order_number: str) -> Order | None:
    """The one lookup by the globally unique order number (the ingestion idempotency key)."""
    return await session.scalar(select(Order).where(Order.order_number == order_number))


# A customer's page reads these three on every open; fixed statements, so they run on the driver (see
# core/driver.py): built and compiled once, no per-call SQLAlchemy work.
_COUNTED_TIMES = DriverQuery(
    select(Order.placed_at.label("placed_at"))
    .where(Order.customer_id == bindparam("customer_id"), COUNTED_FIXED)
    .order_by(Order.placed_at),
    name="orders.counted_times_of_customer",
)
_RECENT = DriverQuery(
    select(
        Order.id,
        Order.order_number,
        Order.customer_id,
        Order.placed_at,
        Order.status,
        Order.total_amount,
        Order.currency,
        _ITEM_COUNT,
    )
    .where(Order.customer_id == bindparam("customer_id"))
    .order_by(Order.placed_at.desc(), Order.id.desc())
    .limit(bindparam("limit")),
    name="orders.recent_of_customer",
)
_CATEGORY_SPEND = DriverQuery(
    select(Product.category.label("category"), func.sum(OrderItem.quantity * OrderItem.price).label("spend"))
    .select_from(OrderItem)
    .join(Order, Order.id == OrderItem.order_id)
    .join(Product, Product.id == OrderItem.product_id)
    .where(OrderItem.customer_id == bindparam("customer_id"), COUNTED_FIXED)
    .group_by(Product.category),
    name="orders.category_spend_of_customer",
)


async def counted_order_times(session: AsyncSession, *, customer_id: int) -> list[dt.datetime]:
    rows = await _COUNTED_TIMES.all(await session.connection(), {"customer_id": customer_id})
    return [row["placed_at"] for row in rows]


async def recent_orders(session: AsyncSession, *, customer_id: int, limit: int) -> list[OrderSummary]:
    rows = await _RECENT.all(await session.connection(), {"customer_id": customer_id, "limit": limit})
    return [OrderSummary.model_validate(row) for row in rows]


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
    rows = [
        (row["category"], row["spend"])
        for row in await _CATEGORY_SPEND.all(await session.connection(), {"customer_id": customer_id})
    ]
    if not rows:
        return None, None
    totals = {category: Decimal(str(amount)).quantize(CENT) for category, amount in rows}
    overall = sum(totals.values(), Decimal("0"))
    best = max(sorted(totals), key=lambda c: totals[c])
    share = (totals[best] * 100 / overall).quantize(Decimal("0.1")) if overall else None
    return best, share


# A search for customers is answered in two ways, chosen by what the first statement finds: the matching
# customers' ids, at most SEARCH_CUSTOMERS + 1 of them, with their order counts (customers.total_orders).
# - Few customers (<= SEARCH_CUSTOMERS) whose orders are few (<= SEARCH_ORDERS by total_orders): the list is
#   `customer_id IN (ids)` and every tab is counted exactly in one GROUP BY over those orders, whatever the
#   count (even above COUNT_CAP: it is bounded by the orders read, not the rows counted).
# - Otherwise (a common name, or a few very heavy customers): the list keeps the search (a subquery, or the
#   ids), and every tab's count is an estimate, flagged inexact: the planner's on PostgreSQL (one EXPLAIN),
#   on SQLite a sample (the orders of the first SAMPLE_CUSTOMERS matches) scaled to the matching customers.
# Each order counted costs a random heap read on PostgreSQL (no index has both customer_id and status): about
# 10-15 us warm, measured, so SEARCH_ORDERS orders stay well inside a 50 ms request, and the count never
# reads more than SEARCH_ORDER_ROWS (total_orders leaves out cancelled and refunded orders).
SEARCH_CUSTOMERS = 500
SEARCH_ORDERS = 1_500
SEARCH_ORDER_ROWS = 2 * SEARCH_ORDERS
SAMPLE_CUSTOMERS = 100
# How many matching customers SQLite counts, at most, to scale its sample (past it, the estimate is a floor).
SAMPLE_SCALE_CAP = 50_000


def _list_conditions(
    query: OrderFilters,
    caps: Capabilities,
    *,
    with_status: bool,
    customers: ColumnElement[bool] | None = None,
    by_customer: bool = False,
) -> list[ColumnElement[bool]]:
    """The list's filters; `customers` stands for the search (the ids it found, or the search as a subquery),
    `by_customer` when it is a short list of ids."""
    conditions: list[ColumnElement[bool]] = []
    if with_status and query.status is not None:
        if by_customer:
            # A list of customers: their orders are read through the customer index, then sorted. Written
            # so no index can serve it, the status must not lead SQLite (no statistics) to walk the whole
            # status index instead: 520 ms for "delivered" of 2 customers on the medium set, measured.
            conditions.append(func.coalesce(Order.status, "") == query.status.value)
        else:
            # Compared with a scalar subquery, so the planner plans for a status of average share, not this
            # one's: for "delivered" (87% of orders) walking the newest orders and filtering looks cheapest,
            # but the newest orders are not delivered yet (64,000 walked, 12 ms), where the (status,
            # placed_at, id) index answers the page in 0.7 ms; measured on the large set.
            conditions.append(Order.status == select(literal(query.status.value)).scalar_subquery())
    if customers is not None:
        conditions.append(customers)
    if query.order_number:
        conditions.append(func.upper(Order.order_number).like(like_prefix(query.order_number, upper=True), escape="\\"))
    if query.customer_id is not None:
        conditions.append(Order.customer_id == query.customer_id)
    if query.placed_from:
        conditions.append(Order.placed_at >= day_start(query.placed_from))
    if query.placed_to:
        conditions.append(Order.placed_at < day_end(query.placed_to))
    return conditions


Counts = dict[str, tuple[int, bool]]


async def list_orders(session: AsyncSession, *, query: OrderListQuery, cursors: CursorCodec) -> tuple[Page, Counts]:
    """A page of the list and (count, exact) for every tab and "all", in at most three statements."""
    caps = capabilities_of(session)
    search = search_condition(query.q, caps) if query.q else None
    customers: ColumnElement[bool] | None = None
    ids: list[int] = []
    exact = False  # the search's customers are few and light enough to count every tab exactly
    few = False  # the search's customers are listed by id, few enough to read their orders through their index
    estimate_from: ColumnElement[bool] | None = None  # the search as the planner estimates it best, if not `customers`
    if search is not None:
        assert query.q is not None
        # Up to SEARCH_IDS customers are listed where a long list binds as one array (each orders row is then
        # a hash lookup, not a customer row read); elsewhere SEARCH_CUSTOMERS, past which the search stays a
        # subquery.
        listed = customers_service.SEARCH_IDS if caps.array_parameters else SEARCH_CUSTOMERS
        found = await customers_service.found_customers(session, query.q, caps, limit=listed)
        ids, orders_found, complete = found.ids, found.orders, found.complete
        if not ids:
            if query.cursor:  # a page after nothing is still a cursor to check: a bad one is a 422
                cursors.decode(query.cursor, query.sort.value, query.order, SORT_KEYS[query.sort])
            return Page(rows=[], next_cursor=None, prev_cursor=None), {name: (0, True) for name in _TABS}
        if complete and len(ids) <= SEARCH_CUSTOMERS:
            few = True
            customers = Order.customer_id.in_(ids)
            exact = orders_found <= SEARCH_ORDERS
        elif complete:
            customers = customers_service.any_id(ids, Order.customer_id)
            estimate_from = Order.customer_id.in_(select(Customer.id).where(search))
        elif not caps.planner_estimates and orders_found >= SEARCH_ORDERS:
            # Many customers with many orders, on SQLite (no statistics): left to itself it reads every order
            # of every match through the customer index and sorts them (107 ms for "smith", 7% of the medium
            # set's customers); walking the newest orders and keeping the matches' finds a page in a few
            # hundred rows (3 ms). `+ 0` keeps the customer index out of it.
            customers = (Order.customer_id + 0).in_(select(Customer.id).where(search))
        else:
            customers = Order.customer_id.in_(select(Customer.id).where(search))
    conditions = _list_conditions(query, caps, with_status=True, customers=customers, by_customer=few)
    base = (
        select(Order, Customer.first_name, Customer.last_name, Customer.email, _ITEM_COUNT)
        .join(Customer, Customer.id == Order.customer_id)
        .where(*conditions)
    )
    page = await keyset_page(
        session,
        base,
        key=SORT_KEYS[query.sort],
        id_col=Order.id,
        sort=query.sort.value,
        direction=query.order,
        limit=query.limit,
        cursor=query.cursor,
        codec=cursors,
    )
    others = _list_conditions(query, caps, with_status=False, customers=customers)
    if search is None:
        return page, await status_counts(session, others)
    if exact:
        return page, await _counted(session, others)
    if caps.planner_estimates:
        # The planner reads an array of thousands of ids as a guess; the search itself it estimates from
        # statistics.
        if estimate_from is not None:
            others = _list_conditions(query, caps, with_status=False, customers=estimate_from)
        counts = await _estimated(session, others)
    else:
        counts = await _sampled(session, query, caps, search=search, sample=ids[:SAMPLE_CUSTOMERS])
    # An estimate never contradicts the page in hand: a first page that is the whole tab is its count.
    tab = query.status.value if query.status is not None else "all"
    if query.cursor is None and page.next_cursor is None:
        counts[tab] = (len(page.rows), True)
    elif counts[tab][0] < len(page.rows) + 1:
        counts[tab] = (len(page.rows) + 1, False)
    return page, counts


_TABS = [*(s.value for s in OrderStatus), "all"]


def _by_status(conditions: list[ColumnElement[bool]], limit: int) -> Select[Any]:
    """(status, count) of the orders under `conditions`, reading at most `limit` of them."""
    rows = select(Order.status).where(*conditions).limit(limit).subquery()
    return select(rows.c.status, func.count()).group_by(rows.c.status)


async def _counted(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> Counts:
    """Every tab counted exactly in one statement, reading at most SEARCH_ORDER_ROWS + 1 orders. Past that
    (only customers with more cancelled and refunded orders than counted ones, which total_orders leaves
    out, get there) the counts so far stand, flagged inexact: the request stays bounded."""
    rows = (await session.execute(_by_status(conditions, SEARCH_ORDER_ROWS + 1))).all()
    found = {status: int(n) for status, n in rows}
    return _tabs(found, exact=sum(found.values()) <= SEARCH_ORDER_ROWS)


def _tabs(per_status: dict[str, int], *, exact: bool, scale: float = 1.0) -> Counts:
    counts = {s.value: (round(per_status.get(s.value, 0) * scale), exact) for s in OrderStatus}
    counts["all"] = (sum(n for n, _ in counts.values()), exact)
    return counts


async def _estimated(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> Counts:
    """Every tab estimated the planner's way: its estimate of the orders under the filter (one EXPLAIN of one
    plain statement) times each status's share of all orders (pg_stats, kept per process). Planning the eight
    tabs as one union of eight searches cost 11-14 ms on the large set; this plan costs about 2."""
    total = await planner_estimate(session, select(Order.id).where(*conditions))
    shares = await column_shares(session, Order.__tablename__, "status")
    if not shares:  # never analyzed: no share to go by; say nothing rather than something wrong
        return {name: (0, False) for name in _TABS}
    counts = {s.value: (round(total * shares.get(s.value, 0.0)), False) for s in OrderStatus}
    counts["all"] = (sum(n for n, _ in counts.values()), False)
    return counts


async def _sampled(
    session: AsyncSession,
    query: OrderListQuery,
    caps: Capabilities,
    *,
    search: ColumnElement[bool],
    sample: list[int],
) -> Counts:
    """Where there are no planner estimates (SQLite): every tab counted over the orders of the first
    SAMPLE_CUSTOMERS matching customers, scaled by how many customers match (counted up to SAMPLE_SCALE_CAP),
    in one statement. Inexact, and bounded by the sample, not by how common the name is."""
    sampled = _list_conditions(query, caps, with_status=False, customers=Order.customer_id.in_(sample))
    by_status = _by_status(sampled, SEARCH_ORDER_ROWS + 1)
    matching = select(
        literal("_customers").label("status"),
        select(func.count())
        .select_from(select(Customer.id).where(search).limit(SAMPLE_SCALE_CAP).subquery())
        .scalar_subquery()
        .label("n"),
    )
    rows = (await session.execute(union_all(by_status, matching))).all()
    found = {status: int(n) for status, n in rows}
    customers = found.pop("_customers", len(sample))
    return _tabs(found, exact=False, scale=customers / len(sample))


def _tab_queries(conditions: list[ColumnElement[bool]]) -> dict[str, Select[Any]]:
    queries = {
        status.value: select(Order.id).where(*conditions, Order.status == status.value) for status in OrderStatus
    }
    queries["all"] = select(Order.id).where(*conditions)
    return queries


async def status_counts(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> Counts:
    """(count, exact) per status and for "all" under the other filters, each capped like any list total,
    in at most two statements (`capped_counts`): an estimate of each, then the ones worth counting."""
    if conditions:
        return await capped_counts(session, _tab_queries(conditions))
    # With no filter the tabs are the same statements on every request: built once (see capped_counts), and
    # estimated from the table's statistics (its rows times each status's share, both kept per process), so
    # the request is one statement counting the small tabs; an EXPLAIN of the nine tabs cost more to plan.
    estimates: dict[str, int] | None = None
    if capabilities_of(session).planner_estimates:
        total = await table_rows(session, Order.__tablename__)
        shares = await column_shares(session, Order.__tablename__, "status")
        if total is not None and shares:
            estimates = {s.value: round(total * shares.get(s.value, 0.0)) for s in OrderStatus} | {"all": total}
    return await capped_counts(session, _UNFILTERED_TABS, same_as="orders.tabs", estimates=estimates)


_UNFILTERED_TABS = _tab_queries([])


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
    return assemble_details(
        order_id=order.id,
        order_number=order.order_number,
        placed_at=order.placed_at,
        status=OrderStatus(order.status),
        total=order.total_amount,
        currency=order.currency,
        lines=[Line(item.id, item.product_id, name, sku, item.quantity, item.price) for item, name, sku in items],
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
    )


@dataclass(frozen=True)
class Line:
    item_id: int
    product_id: int
    product_name: str
    sku: str
    quantity: int
    unit_price: Decimal


def assemble_details(
    *,
    order_id: int,
    order_number: str,
    placed_at: dt.datetime,
    status: OrderStatus,
    total: Decimal,
    currency: str,
    lines: list[Line],
    customer: CustomerBrief,
    shipping: ShippingOut,
    history: list[StatusEventOut],
) -> OrderDetails:
    """The one builder of an order's answer: from a read (`order_details`), or from what ingestion has in
    hand after writing (so the hottest write reads nothing back)."""
    return OrderDetails(
        id=order_id,
        order_number=order_number,
        placed_at=placed_at,
        status=status,
        total_amount=total,
        currency=currency,
        items=[
            OrderItemOut(
                id=line.item_id,
                product_id=line.product_id,
                product_name=line.product_name,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
                line_total=(line.unit_price * line.quantity).quantize(CENT),
            )
            for line in lines
        ],
        customer=customer,
        shipping=shipping,
        history=history,
        allowed_transitions=list(TRANSITIONS[status]),
    )


# --- CSV ----------------------------------------------------------------------------------------------

CSV_BATCH = 1000


def csv_query(query: OrderFilters, caps: Capabilities) -> Any:
    """The list's orders (same filters, same order), one row per line in ShopCRM's orders format. The search
    is a subquery here (an export reads everything it finds; no page to answer fast)."""
    search = search_condition(query.q, caps) if query.q else None
    customers = Order.customer_id.in_(select(Customer.id).where(search)) if search is not None else None
    conditions = _list_conditions(query, caps, with_status=False, customers=customers)
    if query.status is not None:
        conditions.append(Order.status == query.status.value)
    columns: dict[str, Any] = {
        "order_number": Order.order_number,
        "placed_at": Order.placed_at,
        "status": Order.status,
        "currency": Order.currency,
        "customer_email": Customer.email,
        "total_amount": Order.total_amount,
        "sku": Product.sku,
        "product_name": Product.name,
        "quantity": OrderItem.quantity,
        "price": OrderItem.price,
        "shipping_name": Order.shipping_name,
        "shipping_address1": Order.shipping_address1,
        "shipping_address2": Order.shipping_address2,
        "shipping_city": Order.shipping_city,
        "shipping_postal_code": Order.shipping_postal_code,
        "shipping_country": Order.shipping_country,
    }
    base: Select[Any] = (
        select(*(columns[name].label(name) for name in csv_formats.ORDERS))
        .join_from(Order, Customer, Customer.id == Order.customer_id)
        # Outer: an order with no lines (none is made today) still shows, with empty line columns.
        .outerjoin(OrderItem, OrderItem.order_id == Order.id)
        .outerjoin(Product, Product.id == OrderItem.product_id)
        .where(*conditions)
    )
    # The list's order, then the lines of an order in the order they were written.
    return in_list_order(base, SORT_KEYS[query.sort], Order.id, query.order).order_by(OrderItem.id)


async def orders_csv(conn: AsyncConnection, statement: Any) -> AsyncIterator[str]:
    """`csv_query`'s rows as CSV through a server-side cursor in batches (constant memory); `conn` must be in
    a transaction (see `Capabilities.streaming_isolation`)."""
    yield csv_lines([csv_formats.ORDERS])
    result = await conn.stream(statement.execution_options(yield_per=CSV_BATCH))
    async for batch in result.partitions():
        yield csv_lines(batch)


# --- writes ----------------------------------------------------------------------------------------


async def check_replay(session: AsyncSession, existing: Order, data: OrderCreate) -> None:
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
        await _give_back(session, order, status, user)
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


async def _give_back(session: AsyncSession, order: Order, status: OrderStatus, user: User) -> None:
    """Put a cancelled or refunded order's stock back (with its ledger rows) and take it off the customer's figures."""
    items = (
        await session.execute(
            select(OrderItem.product_id, func.sum(OrderItem.quantity))
            .where(OrderItem.order_id == order.id)
            .group_by(OrderItem.product_id)
            .order_by(OrderItem.product_id)
        )
    ).all()
    now = dt.datetime.now(dt.UTC)
    movements = []
    # Ascending product id, the order every stock change locks in (see queries.INGEST_POSTGRESQL).
    for product_id, quantity in items:
        stock_after = await session.scalar(
            update(Product)
            .where(Product.id == product_id)
            .values(stock=Product.stock + quantity, updated_at=now)
            .returning(Product.stock)
            .execution_options(synchronize_session=False)
        )
        movements.append(
            StockMovement(
                product_id=product_id,
                kind=MovementKind.order_returned.value,
                quantity=int(quantity),
                stock_after=stock_after,
                order_id=order.id,
                user_id=user.id,
                reason=f"order {order.order_number} {status.value}",
                created_at=now,
            )
        )
    session.add_all(movements)
    # Lock the customer before recomputing, in a statement of its own: under READ COMMITTED the recompute
    # below then starts after any other cancel of this customer's orders has committed, and sees it. In one
    # statement its subqueries would read the snapshot taken before the wait, and could keep a cancelled
    # order's time as the first or last order (measured: 10 of 10 customers wrong with 40 parallel cancels).
    await session.execute(select(Customer.id).where(Customer.id == order.customer_id).with_for_update())
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
