"""A customer's page: their profile and figures (customers) with their orders and what those say (orders).

It reads across two domains, so it is composed here, in the upper one: customers knows nothing of orders
(DESIGN 18), and the page is served from this domain's router under /api/customers.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.customers import insights, statistics
from shopcrm.customers import service as customers_service
from shopcrm.customers.models import Customer
from shopcrm.customers.schemas import CategoryInsight, CustomerInsights, CustomerProfile, CustomerStats, TierInfo
from shopcrm.db import utcnow
from shopcrm.orders import service
from shopcrm.orders.schemas import OrderSummary


class CustomerDetails(BaseModel):
    customer: CustomerProfile
    stats: CustomerStats
    tier: TierInfo
    recent_orders: list[OrderSummary]
    insights: CustomerInsights


async def customer_details(session: AsyncSession, *, customer_id: int, settings: Settings) -> CustomerDetails:
    """The customer, their figures and tier, their latest orders, and what those say (each with its basis).

    The RFM fifths are the stored ones (one key lookup): computed in the background, never here."""
    customer = await customers_service.get_customer(session, customer_id)
    now = utcnow()
    days_since = (now - customer.last_order_at).days if customer.last_order_at else None
    order_times = await service.counted_order_times(session, customer_id=customer.id)
    recent = await service.recent_orders(session, customer_id=customer.id, limit=10)
    category, share = await service.favourite_category(session, customer_id=customer.id)
    quintiles = await statistics.stored_quintiles(session, refresh_seconds=settings.stats_refresh_seconds)
    average = (
        (customer.total_spend / customer.total_orders).quantize(Decimal("0.01")) if customer.total_orders else None
    )

    return CustomerDetails(
        customer=customers_service.to_out(customer, settings, CustomerProfile),
        stats=CustomerStats(
            lifetime_spend=customer.total_spend,
            total_orders=customer.total_orders,
            average_order_value=average,
            first_order_at=customer.first_order_at,
            last_order_at=customer.last_order_at,
            days_since_last_order=days_since,
        ),
        tier=insights.tier_info(customer.total_spend, settings),
        recent_orders=recent,
        insights=CustomerInsights(
            rfm=insights.rfm(days_since, customer.total_orders, customer.total_spend, quintiles),
            favourite_category=CategoryInsight(
                category=category,
                share_of_spend=share,
                basis=(
                    "Largest share of spend across the items of this customer's orders, cancelled and refunded "
                    "ones excluded."
                    if category
                    else "No items bought yet."
                ),
            ),
            next_order=insights.next_order(order_times),
            churn_risk=insights.churn_risk(days_since, order_times),
        ),
    )


async def rehearse(session: AsyncSession, *, settings: Settings) -> None:
    """Customer details of the first customer, answer discarded: run at start-up (core/warmup.py), so the
    statements' compiled forms and the answer's serialiser are built before the first user asks."""
    first = await session.scalar(select(func.min(Customer.id)))
    if first is not None:
        (await customer_details(session, customer_id=first, settings=settings)).model_dump_json()
