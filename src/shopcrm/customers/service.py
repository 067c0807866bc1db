"""Customer rules and reads: listing with keyset pages, search, details with insights, create and edit."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.core.counting import capped_count
from shopcrm.core.engines import Capabilities, capabilities_of
from shopcrm.core.errors import Conflict, NotFound
from shopcrm.core.pagination import CursorCodec, Page, SortKey, keyset_page
from shopcrm.core.types import day_end, day_start, normalize_email
from shopcrm.customers import insights
from shopcrm.customers.models import Customer
from shopcrm.customers.schemas import (
    CustomerIn,
    CustomerListQuery,
    CustomerOut,
    CustomerSort,
    Tier,
)
from shopcrm.customers.search import search_condition
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


def list_conditions(query: CustomerListQuery, settings: Settings, caps: Capabilities) -> list[ColumnElement[bool]]:
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


async def list_customers(
    session: AsyncSession, *, query: CustomerListQuery, settings: Settings, cursors: CursorCodec
) -> tuple[Page, int, bool]:
    """One keyset page of customers and the (capped) number matching."""
    conditions = list_conditions(query, settings, capabilities_of(session))
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


def _apply(customer: Customer, data: CustomerIn) -> None:
    was_consenting = customer.email_consent
    for name in ("first_name", "last_name", "email", "phone", "status", "city", "country", "email_consent"):
        setattr(customer, name, getattr(data, name))
    # Consent withdrawn now is an unsubscribe; consent given clears it.
    if was_consenting and not data.email_consent:
        customer.unsubscribed_at = utcnow()
    elif data.email_consent:
        customer.unsubscribed_at = None


async def create_customer(session: AsyncSession, *, data: CustomerIn) -> Customer:
    await _ensure_email_free(session, data.email)
    customer = Customer(total_spend=Decimal("0"), total_orders=0, email_consent=False)
    _apply(customer, data)
    session.add(customer)
    await session.flush()
    return customer


async def update_customer(session: AsyncSession, *, customer_id: int, data: CustomerIn) -> Customer:
    customer = await get_customer(session, customer_id)
    await _ensure_email_free(session, data.email, except_id=customer.id)
    _apply(customer, data)
    await session.flush()
    return customer
