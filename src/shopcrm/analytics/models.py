"""The daily rollup behind the dashboard (built in the background by analytics/rollup.py, never in a request)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shopcrm.db import Base, BigId, Money, UTCDateTime

ROLLUP_STATE_ROW_ID = 1


class DailySales(Base):
    """Per store-local day and order status: the orders placed that day, their totals and their items.

    A day's rows are always replaced together (analytics/rollup.py `rebuild_days`)."""

    __tablename__ = "daily_sales"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    orders: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(BigInteger)
    sales: Mapped[Decimal] = mapped_column(Money())


class DailyProductSales(Base):
    """Per store-local day and product: units and sales of the orders that count (not cancelled or refunded).
    No foreign key: a rollup row is rebuilt from order_items, which already keep products from going away."""

    __tablename__ = "daily_product_sales"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    product_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    units: Mapped[int] = mapped_column(BigInteger)
    sales: Mapped[Decimal] = mapped_column(Money())

    __table_args__ = (Index("ix_daily_product_sales_product_id", "product_id"),)


class RollupState(Base):
    """One row (id 1): which time zone the rollup's days are in, and the status event up to which it is
    known complete. Every order's creation and every status change writes an `order_status_events` row, so
    a day whose orders changed after `event_watermark` is found from the events after it."""

    __tablename__ = "analytics_rollup_state"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    timezone: Mapped[str] = mapped_column(String(64))
    event_watermark: Mapped[int] = mapped_column(BigInteger)
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint(f"id = {ROLLUP_STATE_ROW_ID}", name="single_row"),)


class DailyCategorySales(Base):
    """Per store-local day and product category: units and sales of the orders that count. The category is
    the product's when the day was built (categories are not edited through the API)."""

    __tablename__ = "daily_category_sales"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(64), primary_key=True)
    units: Mapped[int] = mapped_column(BigInteger)
    sales: Mapped[Decimal] = mapped_column(Money())


class DailyCustomers(Base):
    """Per store-local day: the customers with an order that counts placed that day, as a serialised Roaring
    bitmap of their ids (analytics/customer_sets.py). Distinct customers over a period are the union of its
    days' sets: exact, and a few hundred small reads instead of a distinct count over months of orders."""

    __tablename__ = "daily_customers"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    customers: Mapped[int] = mapped_column(Integer)  # how many (the set's size), for reading without the set
    ids: Mapped[bytes] = mapped_column(LargeBinary)


class PeriodProductSales(Base):
    """Per standard period (7, 30, 90 days) and product: units and sales over the period's closed days (the
    `PeriodWindow` row says which), summed from daily_product_sales by the rollup refresh. The dashboard's
    top products then read a handful of rows instead of summing months of daily rows."""

    __tablename__ = "period_product_sales"

    days: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    units: Mapped[int] = mapped_column(BigInteger)
    sales: Mapped[Decimal] = mapped_column(Money())

    __table_args__ = (Index("ix_period_product_sales_top", "days", sales.desc(), "product_id"),)


class PeriodWindow(Base):
    """Which closed days `period_product_sales` holds for a period: first_day to last_day, both included."""

    __tablename__ = "period_windows"

    days: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
