"""Named analytics SQL: each query with its purpose. Days are store-local; a set of days becomes UTC ranges
of `orders.placed_at` (computed in Python with zoneinfo, so both engines group the same way without any
time-zone support in the database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Insert, Select, and_, case, false, func, insert, literal, or_, select

from shopcrm.analytics.models import (
    ROLLUP_STATE_ROW_ID,
    DailyCategorySales,
    DailyCustomers,
    DailyProductSales,
    DailySales,
    PeriodProductSales,
    PeriodWindow,
    RollupState,
)
from shopcrm.customers.models import Customer
from shopcrm.inventory.models import FORECAST_RUN_ROW_ID, ForecastRun, Product, StockMovement
from shopcrm.orders.models import UNCOUNTED_STATUSES, Order, OrderItem, OrderStatusEvent

UNCOUNTED = [s.value for s in UNCOUNTED_STATUSES]


def day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant at which the store-local `day` begins."""
    return dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)


def local_day(instant: dt.datetime, tz: ZoneInfo) -> dt.date:
    return instant.astimezone(tz).date()


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as (first, last) runs of consecutive days."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def placed_on(days: Iterable[dt.date], tz: ZoneInfo) -> tuple[list[dt.date], ColumnElement[bool], Any]:
    """(the days sorted, the condition "placed on one of these days", the index of that day in the list)."""
    ordered = sorted(set(days))
    if not ordered:
        return ordered, false(), None
    one = dt.timedelta(days=1)
    condition = or_(
        *(
            and_(Order.placed_at >= day_start(first, tz), Order.placed_at < day_start(last + one, tz))
            for first, last in _runs(ordered)
        )
    )
    if len(ordered) == 1:
        return ordered, condition, 0
    bucket = case(
        *((Order.placed_at < day_start(day + one, tz), i) for i, day in enumerate(ordered[:-1])),
        else_=len(ordered) - 1,
    )
    return ordered, condition, bucket


def _bucket(bucket: Any) -> Any:
    return literal(0) if isinstance(bucket, int) else bucket


def live_sales(condition: ColumnElement[bool], bucket: Any) -> Select[Any]:
    """Orders, totals and items per (day index, status) of the orders placed on the given days, read live."""
    items = select(func.coalesce(func.sum(OrderItem.quantity), 0)).where(OrderItem.order_id == Order.id)
    b = _bucket(bucket).label("b")
    return (
        select(b, Order.status, func.count(), func.sum(Order.total_amount), func.sum(items.scalar_subquery()))
        .where(condition)
        .group_by(b, Order.status)
    )


def live_products(condition: ColumnElement[bool], bucket: Any) -> Select[Any]:
    """Units and sales per (day index, product) of the counted orders placed on the given days, read live."""
    b = _bucket(bucket).label("b")
    return (
        select(
            b,
            OrderItem.product_id,
            Product.category,
            func.sum(OrderItem.quantity),
            func.sum(OrderItem.quantity * OrderItem.price),
        )
        .join(Order, Order.id == OrderItem.order_id)
        .join(Product, Product.id == OrderItem.product_id)
        .where(condition, Order.status.not_in(UNCOUNTED))
        .group_by(b, OrderItem.product_id, Product.category)
    )


def rolled_sales(first: dt.date, last: dt.date, skip: list[dt.date]) -> Any:
    """The rollup's per-(day, status) rows between two days, but for the days served live."""
    query: Any = select(DailySales.day, DailySales.status, DailySales.orders, DailySales.sales, DailySales.items).where(
        DailySales.day >= first, DailySales.day <= last
    )
    return query.where(DailySales.day.not_in(skip)) if skip else query


def rolled_top_products(first: dt.date, last: dt.date, skip: list[dt.date], limit: int) -> Any:
    """The rollup's best-selling products over the days (but the live ones), by sales, ties by product id."""
    sales = func.sum(DailyProductSales.sales)
    query: Any = select(DailyProductSales.product_id, func.sum(DailyProductSales.units), sales).where(
        DailyProductSales.day >= first, DailyProductSales.day <= last
    )
    if skip:
        query = query.where(DailyProductSales.day.not_in(skip))
    return (
        query.group_by(DailyProductSales.product_id).order_by(sales.desc(), DailyProductSales.product_id).limit(limit)
    )


def rolled_products(first: dt.date, last: dt.date, skip: list[dt.date], product_ids: list[int]) -> Any:
    """The rollup's units and sales of some products over the days (but the live ones)."""
    query: Any = select(
        DailyProductSales.product_id, func.sum(DailyProductSales.units), func.sum(DailyProductSales.sales)
    ).where(
        DailyProductSales.day >= first, DailyProductSales.day <= last, DailyProductSales.product_id.in_(product_ids)
    )
    if skip:
        query = query.where(DailyProductSales.day.not_in(skip))
    return query.group_by(DailyProductSales.product_id)


def rolled_categories(first: dt.date, last: dt.date, skip: list[dt.date]) -> Any:
    """The rollup's units and sales per category over the days (but the live ones)."""
    query: Any = select(
        DailyCategorySales.category, func.sum(DailyCategorySales.units), func.sum(DailyCategorySales.sales)
    ).where(DailyCategorySales.day >= first, DailyCategorySales.day <= last)
    if skip:
        query = query.where(DailyCategorySales.day.not_in(skip))
    return query.group_by(DailyCategorySales.category)


def active_customers(start: dt.datetime, end: dt.datetime) -> Select[Any]:
    """Distinct customers with an order that counts placed in [start, end) (before the rollup's first build)."""
    return select(func.count(func.distinct(Order.customer_id))).where(
        Order.placed_at >= start, Order.placed_at < end, Order.status.not_in(UNCOUNTED)
    )


def live_customers(condition: ColumnElement[bool], bucket: Any) -> Select[Any]:
    """(day index, customer id) once per customer with an order that counts placed on the given days."""
    b = _bucket(bucket).label("b")
    return select(b, Order.customer_id).where(condition, Order.status.not_in(UNCOUNTED)).distinct()


def rolled_customers(first: dt.date, last: dt.date, skip: list[dt.date]) -> Any:
    """The rollup's packed customer sets of the days between two days, but the days served live."""
    query: Any = select(DailyCustomers.day, DailyCustomers.ids).where(
        DailyCustomers.day >= first, DailyCustomers.day <= last
    )
    return query.where(DailyCustomers.day.not_in(skip)) if skip else query


def new_customers(start: dt.datetime, end: dt.datetime) -> Select[Any]:
    """Customers whose first order that counts was placed in [start, end)."""
    return select(func.count()).where(Customer.first_order_at >= start, Customer.first_order_at < end)


def standing(period_days: int, bounds: tuple[dt.datetime, dt.datetime, dt.datetime]) -> Select[Any]:
    """One round trip for the small reads a dashboard starts from: the rollup's time zone and watermark
    (NULL: no rollup yet), the closed days a standard period's stored totals hold (NULL: none), and the new
    customers of the period before and of the period (`bounds`: where the previous period, the period and
    the day after it start)."""
    before, start, end = bounds

    def state(column: Any) -> Any:
        return select(column).where(RollupState.id == ROLLUP_STATE_ROW_ID).scalar_subquery()

    def window(column: Any) -> Any:
        return select(column).where(PeriodWindow.days == period_days).scalar_subquery()

    return select(
        state(RollupState.timezone).label("timezone"),
        state(RollupState.event_watermark).label("watermark"),
        window(PeriodWindow.first_day).label("window_first"),
        window(PeriodWindow.last_day).label("window_last"),
        new_customers(before, start).scalar_subquery().label("new_before"),
        new_customers(start, end).scalar_subquery().label("new_now"),
    )


def touched_since(event_id: int) -> Select[Any]:
    """Placing times of the orders created or changed after a status event (one event per creation and per
    change, so this finds every day whose figures moved)."""
    # As IN (events after the mark), not a join: SQLite, left to order a join, walked every order and probed
    # its events (1.9 s on the medium set on every dashboard request); this reads the newest events by key.
    return (
        select(Order.placed_at)
        .distinct()
        .where(Order.id.in_(select(OrderStatusEvent.order_id).where(OrderStatusEvent.id > event_id)))
    )


def latest_ids() -> Select[Any]:
    """The newest order, status event and stock movement ids and the forecast batch's time: the cheap change
    token (four primary-key index probes). Stock movements and forecasts move the stock alerts: a received
    delivery takes a product off the list, a new batch may find one running out before its lead time."""
    return select(
        select(func.max(Order.id)).scalar_subquery(),
        select(func.max(OrderStatusEvent.id)).scalar_subquery(),
        select(func.max(StockMovement.id)).scalar_subquery(),
        select(ForecastRun.computed_at).where(ForecastRun.id == FORECAST_RUN_ROW_ID).scalar_subquery(),
    )


def settled_watermark(before: dt.datetime) -> Select[Any]:
    """The newest status event older than `before`: events newer than it may still have older ids committing
    after them (concurrent transactions), so the rollup's watermark stays behind by a margin."""
    return select(func.max(OrderStatusEvent.id)).where(OrderStatusEvent.changed_at < before)


def first_placed() -> Select[Any]:
    return select(func.min(Order.placed_at))


# The periods whose product totals the rollup keeps (period_product_sales): the dashboard's 7d, 30d and 90d.
STANDARD_PERIOD_DAYS = (7, 30, 90)


def sum_period(days: int, first: dt.date, last: dt.date) -> Insert:
    """Store every product's units and sales over the rolled-up days first..last as period `days`."""
    totals = (
        select(
            literal(days),
            DailyProductSales.product_id,
            func.sum(DailyProductSales.units),
            func.sum(DailyProductSales.sales),
        )
        .where(DailyProductSales.day >= first, DailyProductSales.day <= last)
        .group_by(DailyProductSales.product_id)
    )
    return insert(PeriodProductSales).from_select(["days", "product_id", "units", "sales"], totals)


def period_top(days: int, limit: int) -> Any:
    """A period's stored best sellers, by sales, ties by product id."""
    return (
        select(PeriodProductSales.product_id, PeriodProductSales.units, PeriodProductSales.sales)
        .where(PeriodProductSales.days == days)
        .order_by(PeriodProductSales.sales.desc(), PeriodProductSales.product_id)
        .limit(limit)
    )


def period_products(days: int, product_ids: list[int]) -> Any:
    """Some products' stored totals for a period."""
    return select(PeriodProductSales.product_id, PeriodProductSales.units, PeriodProductSales.sales).where(
        PeriodProductSales.days == days, PeriodProductSales.product_id.in_(product_ids)
    )


def rolled_on(days: list[dt.date]) -> Any:
    """Units and sales per product in the rollup rows of some days."""
    return (
        select(DailyProductSales.product_id, func.sum(DailyProductSales.units), func.sum(DailyProductSales.sales))
        .where(DailyProductSales.day.in_(days))
        .group_by(DailyProductSales.product_id)
    )
