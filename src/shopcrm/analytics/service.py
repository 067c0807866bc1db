"""The dashboard's figures: closed days from the daily rollup, today and every day touched since the rollup's
watermark read live, both through the same queries (analytics/queries.py). Active customers are a union of
the days' customer sets; the standard periods' top products start from their stored totals. Nothing here
scans a period's orders once the rollup is built (see docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.analytics import queries
from shopcrm.analytics.customer_sets import count_union
from shopcrm.analytics.schemas import (
    CountFigure,
    Dashboard,
    DayPoint,
    MoneyFigure,
    Period,
    TopCategory,
    TopProduct,
)
from shopcrm.core.errors import InvalidInput
from shopcrm.core.side_reads import OpenRead, side_by_side
from shopcrm.db import utcnow
from shopcrm.inventory import service as inventory
from shopcrm.inventory.models import Product
from shopcrm.orders.models import UNCOUNTED_STATUSES, OrderStatus

MAX_DAYS = 366
TOP = 5
PERIOD_DAYS = {"7d": 7, "30d": 30, "90d": 90}
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
CENT = Decimal("0.01")
COUNTED = frozenset(s.value for s in OrderStatus if s not in UNCOUNTED_STATUSES)


@dataclass(frozen=True)
class Span:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def each(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range(self.days)]

    def previous(self) -> Span:
        return Span(self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))


def resolve_period(period: Period, date_from: dt.date | None, date_to: dt.date | None, today: dt.date) -> Span:
    """The period's days; a 422 naming the parameter for a bad one."""
    if period != "custom":
        for name, value in (("from", date_from), ("to", date_to)):
            if value is not None:
                raise InvalidInput(f"{name}: only with period=custom", loc=["query", name])
        return Span(today - dt.timedelta(days=PERIOD_DAYS[period] - 1), today)
    if date_from is None:
        raise InvalidInput("from: required with period=custom", loc=["query", "from"])
    if date_to is None:
        raise InvalidInput("to: required with period=custom", loc=["query", "to"])
    for name, value in (("from", date_from), ("to", date_to)):
        if not EARLIEST <= value <= LATEST:
            raise InvalidInput(f"{name}: must be between {EARLIEST} and {LATEST}", loc=["query", name])
    if date_from > date_to:
        raise InvalidInput("from: must not be after to", loc=["query", "from"])
    span = Span(date_from, date_to)
    if span.days > MAX_DAYS:
        raise InvalidInput(f"to: a period spans at most {MAX_DAYS} days", loc=["query", "to"])
    return span


def _change(value: Decimal | int, previous: Decimal | int) -> float | None:
    if not previous:
        return None
    return round(float((Decimal(value) - Decimal(previous)) / Decimal(previous) * 100), 1)


def _money(value: Decimal, previous: Decimal) -> MoneyFigure:
    value, previous = value.quantize(CENT), previous.quantize(CENT)
    return MoneyFigure(value=value, previous=previous, change_pct=_change(value, previous))


def _count(value: int, previous: int) -> CountFigure:
    return CountFigure(value=value, previous=previous, change_pct=_change(value, previous))


async def live_days(
    session: AsyncSession, standing: Any, *, timezone: str, tz: ZoneInfo, today: dt.date
) -> set[dt.date] | None:
    """The days the rollup cannot answer (today, and the days of orders changed after its watermark); None
    when there is no rollup in this time zone yet (every day is then read live)."""
    if standing.watermark is None or standing.timezone != timezone:
        return None
    touched = (await session.execute(queries.touched_since(standing.watermark))).scalars().all()
    return {today} | {queries.local_day(t, tz) for t in touched}


async def dashboard(
    session: AsyncSession,
    *,
    period: Period,
    date_from: dt.date | None,
    date_to: dt.date | None,
    timezone: str,
    now: dt.datetime | None = None,
    open_read: OpenRead | None = None,
) -> Dashboard:
    """Every figure of the dashboard for the period and the one before it of the same length.

    With `open_read` (a read session factory), the stock alerts count, a pass over every product and the
    dearest read here, runs on a session of its own while the sales figures are read."""
    tz = ZoneInfo(timezone)
    now = now or utcnow()
    today = queries.local_day(now, tz)
    current = resolve_period(period, date_from, date_to, today)
    if open_read is None:
        figures = await _figures(session, period, current, timezone, tz, today)
        return figures.model_copy(update={"stock_alerts": await inventory.alerts_count(session)})
    figures, alerts = await side_by_side(
        open_read, lambda s: _figures(s, period, current, timezone, tz, today), inventory.alerts_count
    )
    return cast(Dashboard, figures).model_copy(update={"stock_alerts": alerts})


async def _figures(
    session: AsyncSession,
    period: Period,
    current: Span,
    timezone: str,
    tz: ZoneInfo,
    today: dt.date,
) -> Dashboard:
    """The dashboard's sales, orders and customer figures (`stock_alerts` left 0: counted beside them)."""
    previous = current.previous()
    both = Span(previous.first, current.last)
    start, end = queries.day_start(current.first, tz), queries.day_start(current.last + dt.timedelta(days=1), tz)
    prev_start = queries.day_start(previous.first, tz)
    standing = (await session.execute(queries.standing(current.days, (prev_start, start, end)))).one()
    unrolled = await live_days(session, standing, timezone=timezone, tz=tz, today=today)
    live = sorted(both.each() if unrolled is None else {d for d in unrolled if both.first <= d <= both.last})

    # Per (day, status): orders, sales, items, from the rollup and the live days.
    per_day: dict[tuple[dt.date, str], list[Any]] = defaultdict(lambda: [0, Decimal("0"), 0])
    if unrolled is not None:
        for day, status, n, amount, items in (
            await session.execute(queries.rolled_sales(both.first, both.last, live))
        ).all():
            row = per_day[(day, status)]
            row[0] += n
            row[1] += Decimal(amount)
            row[2] += items
    listed, condition, bucket = queries.placed_on(live, tz)
    if listed:
        for b, status, n, amount, items in (await session.execute(queries.live_sales(condition, bucket))).all():
            row = per_day[(listed[b], status)]
            row[0] += n
            row[1] += Decimal(amount)
            row[2] += items or 0

    def totals(span: Span) -> tuple[int, Decimal]:
        n, amount = 0, Decimal("0")
        for (day, status), (orders, sales, _) in per_day.items():
            if span.first <= day <= span.last and status in COUNTED:
                n += orders
                amount += sales
        return n, amount

    orders_now, sales_now = totals(current)
    orders_before, sales_before = totals(previous)
    series_map: dict[dt.date, list[Any]] = {d: [Decimal("0"), 0] for d in current.each()}
    by_status = {s.value: 0 for s in OrderStatus}
    for (day, status), (n, amount, _) in per_day.items():
        if current.first <= day <= current.last:
            by_status[status] = by_status.get(status, 0) + n
            if status in COUNTED:
                series_map[day][0] += amount
                series_map[day][1] += n

    cur_live = [d for d in live if current.first <= d <= current.last]
    rolled = unrolled is not None
    stored = _stored_period(current, today, standing) if rolled else None
    top_products, top_categories = await _tops(session, current, cur_live, tz, rolled=rolled, stored=stored)
    active_now, active_before = await _active(session, current, previous, live, tz, rolled=rolled)

    def aov(orders: int, sales: Decimal) -> Decimal:
        return (sales / orders).quantize(CENT) if orders else Decimal("0")

    return Dashboard(
        period=period,
        date_from=current.first,
        date_to=current.last,
        previous_from=previous.first,
        previous_to=previous.last,
        timezone=timezone,
        sales=_money(sales_now, sales_before),
        orders=_count(orders_now, orders_before),
        average_order_value=_money(aov(orders_now, sales_now), aov(orders_before, sales_before)),
        active_customers=_count(active_now, active_before),
        new_customers=_count(int(standing.new_now or 0), int(standing.new_before or 0)),
        series=[DayPoint(day=d, sales=s.quantize(CENT), orders=n) for d, (s, n) in sorted(series_map.items())],
        top_products=top_products,
        top_categories=top_categories,
        orders_by_status=by_status,
        stock_alerts=0,
    )


async def _active(
    session: AsyncSession, current: Span, previous: Span, live: list[dt.date], tz: ZoneInfo, *, rolled: bool
) -> tuple[int, int]:
    """Distinct customers with an order that counts in each span: the union of the rolled-up days' customer
    sets and the live days' customers, exact. With no rollup yet, counted in SQL over the orders."""
    if not rolled:
        spans = [
            (queries.day_start(s.first, tz), queries.day_start(s.last + dt.timedelta(days=1), tz))
            for s in (current, previous)
        ]
        now, before = [await session.scalar(queries.active_customers(start, end)) or 0 for start, end in spans]
        return now, before
    packed: dict[bool, list[bytes]] = {True: [], False: []}
    for day, ids in (await session.execute(queries.rolled_customers(previous.first, current.last, live))).all():
        packed[day >= current.first].append(ids)
    seen: dict[bool, list[int]] = {True: [], False: []}
    listed, condition, bucket = queries.placed_on(live, tz)
    if listed:
        for b, customer_id in (await session.execute(queries.live_customers(condition, bucket))).all():
            seen[listed[b] >= current.first].append(customer_id)
    return count_union(packed[True], seen[True]), count_union(packed[False], seen[False])


async def _tops(
    session: AsyncSession, span: Span, live: list[dt.date], tz: ZoneInfo, *, rolled: bool, stored: int | None
) -> tuple[list[TopProduct], list[TopCategory]]:
    """Top products and categories by sales. Exact with few reads: for a standard period, from its stored
    totals (`_from_period`); otherwise a product in the true top N is either sold on a live day or already in
    the rollup's top N over the other days (live days only add), so the candidates are those."""
    products: dict[int, list[Any]] = defaultdict(lambda: [0, Decimal("0")])
    categories: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal("0")])
    listed, condition, bucket = queries.placed_on(live, tz)
    live_ids: set[int] = set()
    if listed:
        for _, product_id, category, units, amount in (
            await session.execute(queries.live_products(condition, bucket))
        ).all():
            live_ids.add(product_id)
            for row in (products[product_id], categories[category]):
                row[0] += units
                row[1] += Decimal(amount)
    if stored is not None:
        products = await _from_period(session, stored, [d for d in live if d != span.last], products)
    elif rolled:
        top = (await session.execute(queries.rolled_top_products(span.first, span.last, live, TOP))).all()
        others = sorted(live_ids - {p for p, _, _ in top})
        rows = list(top)
        if others:
            rows += (await session.execute(queries.rolled_products(span.first, span.last, live, others))).all()
        for product_id, units, amount in rows:
            products[product_id][0] += units
            products[product_id][1] += Decimal(amount)
    if rolled:
        for category, units, amount in (
            await session.execute(queries.rolled_categories(span.first, span.last, live))
        ).all():
            categories[category][0] += units
            categories[category][1] += Decimal(amount)
    best = sorted(products.items(), key=lambda kv: (-kv[1][1], kv[0]))[:TOP]
    names = (
        {
            p.id: p
            for p in (await session.execute(select(Product).where(Product.id.in_([i for i, _ in best])))).scalars()
        }
        if best
        else {}
    )
    return (
        [
            TopProduct(
                product_id=i,
                name=names[i].name,
                sku=names[i].sku,
                category=names[i].category,
                units=u,
                sales=s.quantize(CENT),
            )
            for i, (u, s) in best
        ],
        [
            TopCategory(category=c, units=u, sales=s.quantize(CENT))
            for c, (u, s) in sorted(categories.items(), key=lambda kv: (-kv[1][1], kv[0]))[:TOP]
        ],
    )


def _stored_period(span: Span, today: dt.date, standing: Any) -> int | None:
    """The standard period whose stored product totals are exactly this span's closed days, if any."""
    if span.last != today or span.days not in queries.STANDARD_PERIOD_DAYS:
        return None
    if (standing.window_first, standing.window_last) != (span.first, today - dt.timedelta(days=1)):
        return None
    return span.days


async def _from_period(
    session: AsyncSession, days: int, touched: list[dt.date], live: dict[int, list[Any]]
) -> dict[int, list[Any]]:
    """The best sellers over a standard period, exact: its stored totals, less what the touched days' rollup
    rows put in them, plus what the live days' orders say (`live`: today and the touched days, read live).

    A product whose total only went down (or did not move) cannot pass a stored total it was below, so the
    stored best sellers are read from the top, more at a time, until the TOP-th best exact total is above the
    next stored one; products whose total went up are always weighed."""
    change: dict[int, list[Any]] = {pid: [units, amount] for pid, (units, amount) in live.items()}
    if touched:
        for pid, units, amount in (await session.execute(queries.rolled_on(touched))).all():
            row = change.setdefault(pid, [0, Decimal("0")])
            row[0] -= units
            row[1] -= Decimal(amount)
    risen = {pid for pid, (_, amount) in change.items() if amount > 0}
    totals: dict[int, list[Any]] = {}
    read = TOP * 2
    while True:
        top = (await session.execute(queries.period_top(days, read + 1))).all()
        for pid, units, amount in top[:read]:
            totals[pid] = [units, Decimal(amount)]
        missing = sorted(risen - totals.keys())
        if missing:
            for pid, units, amount in (await session.execute(queries.period_products(days, missing))).all():
                totals[pid] = [units, Decimal(amount)]
            totals.update({pid: [0, Decimal("0")] for pid in missing if pid not in totals})
        exact = {
            pid: [units + change.get(pid, [0, 0])[0], amount + change.get(pid, [0, Decimal("0")])[1]]
            for pid, (units, amount) in totals.items()
        }
        exact = {pid: row for pid, row in exact.items() if row[0] > 0}
        best = sorted(exact.items(), key=lambda kv: (-kv[1][1], kv[0]))[:TOP]
        if len(top) <= read or (len(best) == TOP and best[-1][1][1] > Decimal(top[read][2])):
            return exact
        read *= 4


async def version(session: AsyncSession, *, timezone: str, now: dt.datetime | None = None) -> str:
    """A token that changes whenever the dashboard's figures may have: a new order, status change or stock
    movement (their newest ids), a new forecast batch or a new store-local day. Four index probes; no
    aggregation."""
    order_id, event_id, movement_id, forecast_at = (await session.execute(queries.latest_ids())).one()
    today = queries.local_day(now or utcnow(), ZoneInfo(timezone))
    forecast = int(forecast_at.timestamp() * 1000) if forecast_at else 0
    return f"{order_id or 0}.{event_id or 0}.{movement_id or 0}.{forecast}.{today.isoformat()}"
