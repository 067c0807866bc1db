"""Customer rules and reads: listing with keyset pages, search, the list as CSV, details with insights,
create and edit (with the consent history and the suppression list)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, any_, bindparam, func, or_, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.config import Settings
from shopcrm.core import csv_formats
from shopcrm.core.counting import capped_count, capped_counts, planner_estimate, table_rows
from shopcrm.core.csv_export import csv_lines
from shopcrm.core.engines import Capabilities, capabilities_of
from shopcrm.core.errors import Conflict, NotFound
from shopcrm.core.pagination import CursorCodec, Page, SortKey, in_list_order, keyset_page
from shopcrm.core.types import day_end, day_start, normalize_email
from shopcrm.customers import insights
from shopcrm.customers.models import ConsentEvent, Customer
from shopcrm.customers.schemas import (
    CustomerFilters,
    CustomerIn,
    CustomerListQuery,
    CustomerOut,
    CustomerSort,
    Tier,
)
from shopcrm.customers.search import search_branches, search_condition
from shopcrm.customers.suppression import is_suppressed
from shopcrm.db import utcnow

Out = TypeVar("Out", bound=CustomerOut)

SORT_KEYS: dict[CustomerSort, SortKey] = {
    CustomerSort.name: SortKey((Customer.last_name, Customer.first_name)),
    # lower() keeps the column's type, so a cursor's value is checked against the email column's length.
    CustomerSort.email: SortKey((func.lower(Customer.email, type_=Customer.email.type),), unique=True),
    CustomerSort.status: SortKey((Customer.status,)),
    CustomerSort.country: SortKey((Customer.country,), nullable=True),
    CustomerSort.total_spend: SortKey((Customer.total_spend,)),
    CustomerSort.tier: SortKey((Customer.total_spend,)),
    CustomerSort.total_orders: SortKey((Customer.total_orders,)),
    CustomerSort.created_at: SortKey((Customer.created_at,)),
    CustomerSort.last_order_at: SortKey((Customer.last_order_at,), nullable=True),
}


def _tier_condition(tiers: list[Tier], settings: Settings) -> ColumnElement[bool]:
    floors = insights.tier_floors(settings)
    ranges = []
    for tier in tiers:
        index = insights.TIER_ORDER.index(tier)
        low = floors[tier]
        high = floors[insights.TIER_ORDER[index + 1]] if index + 1 < len(insights.TIER_ORDER) else None
        ranges.append((Customer.total_spend >= low) & (Customer.total_spend < high if high is not None else True))
    return or_(*ranges)


def list_conditions(query: CustomerFilters, settings: Settings, caps: Capabilities) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.q and (search := search_condition(query.q, caps)) is not None:
        conditions.append(search)
    if query.status:
        conditions.append(Customer.status.in_([s.value for s in query.status]))
    if query.tier:
        conditions.append(_tier_condition(query.tier, settings))
    if query.spend_min is not None:
        conditions.append(Customer.total_spend >= query.spend_min)
    if query.spend_max is not None:
        conditions.append(Customer.total_spend <= query.spend_max)
    if query.orders_min is not None:
        conditions.append(Customer.total_orders >= query.orders_min)
    if query.orders_max is not None:
        conditions.append(Customer.total_orders <= query.orders_max)
    if query.created_from:
        conditions.append(Customer.created_at >= day_start(query.created_from))
    if query.created_to:
        conditions.append(Customer.created_at < day_end(query.created_to))
    if query.last_order_from:
        conditions.append(Customer.last_order_at >= day_start(query.last_order_from))
    if query.last_order_to:
        conditions.append(Customer.last_order_at < day_end(query.last_order_to))
    if query.country:
        conditions.append(Customer.country.in_(query.country))
    if query.email_consent is not None:
        conditions.append(Customer.email_consent.is_(query.email_consent))
    return conditions


def to_out(customer: Customer, settings: Settings, model: type[Out] = CustomerOut) -> Out:  # type: ignore[assignment]
    """The customer as `model` (the list's CustomerOut, or a richer subclass), its tier derived."""
    data = {name: getattr(customer, name) for name in CustomerOut.model_fields if name != "tier"}
    return model(**data, tier=insights.tier_for(customer.total_spend, settings))


# Where ids bind as one array (PostgreSQL), a search's customers are found first, up to this many, by
# index-only scans (customers/models.py), and the list and the orders page then ask for those ids.
SEARCH_IDS = 20_000


@dataclass(frozen=True)
class FoundCustomers:
    ids: list[int]
    orders: int  # their total_orders; a customer found by two branches counted twice
    complete: bool  # all the customers the search finds, not the first `limit`


async def found_customers(session: AsyncSession, q: str, caps: Capabilities, *, limit: int) -> FoundCustomers:
    """The customers a search finds, at most `limit`, one UNION ALL branch per index (a customer may come
    twice; the ids are told once). On PostgreSQL each branch is an index-only scan and the ids come back as
    one array: 20,000 rows through the ORM cost more than 100 ms of CPU, the array about 1."""
    branches = [select(Customer.id, Customer.total_orders).where(b) for b in search_branches(q, caps)]
    if not branches:
        return FoundCustomers([], 0, True)
    matches = (union_all(*branches) if len(branches) > 1 else branches[0]).subquery()
    found = select(matches.c.id, matches.c.total_orders).limit(limit + 1).subquery()
    if caps.array_parameters:
        row = (
            await session.execute(
                select(
                    func.array_agg(found.c.id.distinct()).label("ids"),
                    func.count().label("rows"),
                    func.coalesce(func.sum(found.c.total_orders), 0).label("orders"),
                )
            )
        ).one()
        return FoundCustomers(list(row.ids or ()), int(row.orders), row.rows <= limit)
    rows = (await session.execute(select(found.c.id, found.c.total_orders))).all()
    ids = list(dict.fromkeys(r.id for r in rows))
    return FoundCustomers(ids, sum(r.total_orders for r in rows), len(rows) <= limit)


def any_id(ids: list[int], column: Any = Customer.id) -> ColumnElement[bool]:
    """`column = ANY(:ids)`, the ids bound as one array parameter (PostgreSQL)."""
    return column == any_(bindparam("ids", ids, type_=ARRAY(BigInteger)))  # type: ignore[no-any-return]


async def list_customers(
    session: AsyncSession, *, query: CustomerListQuery, settings: Settings, cursors: CursorCodec
) -> tuple[Page, int, bool]:
    """One keyset page of customers and the (capped) number matching."""
    caps = capabilities_of(session)
    conditions = list_conditions(query, settings, caps)
    total: int | None = None
    if query.q and len(conditions) == 1 and caps.array_parameters:
        # A search and nothing else: its customers found once, index-only; they are the count, and the page
        # asks for them by id (a sort index walked with an id check, no row read per customer passed).
        found = await found_customers(session, query.q, caps, limit=SEARCH_IDS)
        if found.complete:
            conditions, total, exact = [any_id(found.ids)], len(found.ids), True
        else:  # more than SEARCH_IDS: past any exact count; the planner's estimate stands in
            total = max(await planner_estimate(session, select(Customer.id).where(*conditions)), SEARCH_IDS + 1)
            exact = False
    page = await keyset_page(
        session,
        select(Customer).where(*conditions),
        key=SORT_KEYS[query.sort],
        id_col=Customer.id,
        sort=query.sort.value,
        direction=query.order,
        limit=query.limit,
        cursor=query.cursor,
        codec=cursors,
    )
    if total is None and not conditions:
        # The whole list: the table's row estimate first (kept per process), so a store past the cap is not
        # counted to 10,001 on every page.
        rows = await table_rows(session, Customer.__tablename__) if caps.planner_estimates else None
        whole = await capped_counts(
            session,
            {"all": select(Customer.id)},
            same_as="customers.all",
            estimates=None if rows is None else {"all": rows},
        )
        total, exact = whole["all"]
    elif total is None:
        total, exact = await capped_count(session, select(Customer.id).where(*conditions))
    return page, total, exact


async def get_customer(session: AsyncSession, customer_id: int) -> Customer:
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer")
    return customer


async def get_customer_by_email(session: AsyncSession, email: str) -> Customer | None:
    """The one lookup by the globally unique, case-insensitive email (uses uq_customers_email_lower)."""
    # Stored emails are normalised already; lower() is kept so the lookup uses the unique index.
    return await session.scalar(select(Customer).where(func.lower(Customer.email) == normalize_email(email)))


async def _ensure_email_free(session: AsyncSession, email: str, *, except_id: int | None = None) -> None:
    existing = await get_customer_by_email(session, email)
    if existing is not None and existing.id != except_id:
        raise Conflict(
            "Another customer already has this email",
            details=[{"loc": ["body", "email"], "message": "already used by another customer", "type": "conflict"}],
        )
    if await is_suppressed(session, email):
        # The person asked for their data to be erased (docs/privacy.md): a record is not made again for them.
        raise Conflict(
            "This email belongs to a person whose data was erased at their request; it cannot be stored again",
            details=[{"loc": ["body", "email"], "message": "erased at the person's request", "type": "suppressed"}],
        )


def _apply(customer: Customer, data: CustomerIn) -> bool:
    """Copy the editable fields; True when the email consent changed."""
    was_consenting = customer.email_consent
    for name in ("first_name", "last_name", "email", "phone", "status", "city", "country", "email_consent"):
        setattr(customer, name, getattr(data, name))
    # Consent withdrawn now is an unsubscribe; consent given clears it.
    if was_consenting and not data.email_consent:
        customer.unsubscribed_at = utcnow()
    elif data.email_consent:
        customer.unsubscribed_at = None
    return bool(was_consenting) != data.email_consent


def _consent_event(customer: Customer, user_id: int | None) -> ConsentEvent:
    return ConsentEvent(
        customer_id=customer.id,
        email_consent=customer.email_consent,
        at=utcnow(),
        source="api",
        changed_by_user_id=user_id,
    )


async def create_customer(session: AsyncSession, *, data: CustomerIn, user_id: int | None = None) -> Customer:
    await _ensure_email_free(session, data.email)
    customer = Customer(total_spend=Decimal("0"), total_orders=0, email_consent=False)
    _apply(customer, data)
    session.add(customer)
    await session.flush()
    # The consent the record starts with is the first row of its history, given or not.
    session.add(_consent_event(customer, user_id))
    await session.flush()
    return customer


async def update_customer(
    session: AsyncSession, *, customer_id: int, data: CustomerIn, user_id: int | None = None
) -> Customer:
    customer = await get_customer(session, customer_id)
    if customer.erased_at is not None:
        raise Conflict(
            "This customer's data was erased at their request; the record cannot be edited",
            details=[{"loc": ["path", "customer_id"], "message": "erased", "type": "erased"}],
        )
    await _ensure_email_free(session, data.email, except_id=customer.id)
    if _apply(customer, data):
        session.add(_consent_event(customer, user_id))
    await session.flush()
    return customer


# --- CSV -------------------------------------------------------------------------------------------

CSV_BATCH = 1000


def csv_query(query: CustomerFilters, settings: Settings, caps: Capabilities) -> Any:
    """The list's customers (same filters) in the list's order, as ShopCRM's customers format columns."""
    columns = [getattr(Customer, name) for name in csv_formats.CUSTOMERS]
    base = select(*columns).where(*list_conditions(query, settings, caps))
    return in_list_order(base, SORT_KEYS[query.sort], Customer.id, query.order)


async def customers_csv(conn: AsyncConnection, statement: Any) -> AsyncIterator[str]:
    """`csv_query`'s rows as CSV text through a server-side cursor in batches: memory stays flat whatever
    the list's length. `conn` must be in a transaction (see `Capabilities.streaming_isolation`)."""
    yield csv_lines([csv_formats.CUSTOMERS])
    result = await conn.stream(statement.execution_options(yield_per=CSV_BATCH))
    async for batch in result.partitions():
        yield csv_lines(batch)
