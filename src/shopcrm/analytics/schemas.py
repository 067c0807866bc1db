"""What the dashboard answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Period = Literal["7d", "30d", "90d", "custom"]


class MoneyFigure(BaseModel):
    value: Decimal
    previous: Decimal
    change_pct: float | None = Field(description="Change against the previous period in percent; null when it was 0")


class CountFigure(BaseModel):
    value: int
    previous: int
    change_pct: float | None = Field(description="Change against the previous period in percent; null when it was 0")


class DayPoint(BaseModel):
    day: dt.date
    sales: Decimal
    orders: int


class TopProduct(BaseModel):
    product_id: int
    name: str
    sku: str
    category: str
    units: int
    sales: Decimal


class TopCategory(BaseModel):
    category: str
    units: int
    sales: Decimal


class Dashboard(BaseModel):
    period: Period
    date_from: dt.date = Field(description="First store-local day of the period")
    date_to: dt.date = Field(description="Last store-local day of the period (included)")
    previous_from: dt.date
    previous_to: dt.date
    timezone: str = Field(description="The store's time zone, in which days begin and end")
    sales: MoneyFigure = Field(description="Totals of the orders that count (not cancelled or refunded)")
    orders: CountFigure = Field(description="Orders that count (not cancelled or refunded)")
    average_order_value: MoneyFigure
    active_customers: CountFigure = Field(description="Customers with an order that counts in the period")
    new_customers: CountFigure = Field(description="Customers whose first order that counts is in the period")
    series: list[DayPoint] = Field(description="Every day of the period, oldest first")
    top_products: list[TopProduct]
    top_categories: list[TopCategory]
    orders_by_status: dict[str, int] = Field(description="Every order placed in the period, by its status now")
    stock_alerts: int = Field(
        description="Stock alerts, as the inventory counts them: products out of stock or at or below their "
        "low-stock threshold, and those in stock that run out before their reorder lead time"
    )


class DashboardVersion(BaseModel):
    version: str = Field(description="Changes whenever the dashboard's figures may have changed")
