"""A product's page: the product (inventory) with its sales (orders), composed here in the upper domain.

Sales count the orders that count (not cancelled or refunded), by the UTC day they were placed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.inventory import service as inventory
from shopcrm.inventory.models import ForecastStatus
from shopcrm.inventory.schemas import DailySales, ProductDetails
from shopcrm.orders.models import Order, OrderItem
from shopcrm.orders.service import COUNTED

SERIES_DAYS = 90
NOT_COMPUTED = "not computed yet"
STATUS_TEXT = {ForecastStatus.ok: "ok", ForecastStatus.not_enough_history: "not enough history"}


async def product_details(session: AsyncSession, *, product_id: int, today: dt.date | None = None) -> ProductDetails:
    """The product, its daily sales over the last 90 days (today included, oldest first) and its velocity."""
    product = inventory.to_out(await inventory.get_product(session, product_id))
    forecast = await inventory.product_forecast(session, product)
    today = today or dt.datetime.now(dt.UTC).date()
    first = today - dt.timedelta(days=SERIES_DAYS - 1)
    start = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    # One row per order placed in the window (its units and revenue of this product); bucketed into days
    # here, which keeps the day boundaries the same on both engines.
    rows = (
        await session.execute(
            select(Order.placed_at, func.sum(OrderItem.quantity), func.sum(OrderItem.quantity * OrderItem.price))
            .join(Order, Order.id == OrderItem.order_id)
            .where(OrderItem.product_id == product_id, Order.placed_at >= start, Order.placed_at < end, COUNTED)
            .group_by(Order.id, Order.placed_at)
        )
    ).all()
    units = {first + dt.timedelta(days=i): 0 for i in range(SERIES_DAYS)}
    revenue = {day: Decimal("0.00") for day in units}
    for placed_at, qty, amount in rows:
        day = placed_at.astimezone(dt.UTC).date()
        units[day] += int(qty)
        revenue[day] += Decimal(amount)
    series = [DailySales(day=d, units=units[d], revenue=revenue[d].quantize(Decimal("0.01"))) for d in units]
    units_30 = sum(s.units for s in series[-30:])
    units_90 = sum(s.units for s in series)
    velocity_30 = units_30 / 30
    return ProductDetails(
        product=product,
        sales=series,
        units_30d=units_30,
        units_90d=units_90,
        velocity_30d=round(velocity_30, 4),
        velocity_90d=round(units_90 / SERIES_DAYS, 4),
        days_of_cover=round(product.stock / velocity_30, 1) if velocity_30 > 0 else None,
        forecast_30d=forecast.forecast_30d if forecast else None,
        forecast_status=STATUS_TEXT[forecast.status] if forecast else NOT_COMPUTED,
        forecast=forecast,
    )
