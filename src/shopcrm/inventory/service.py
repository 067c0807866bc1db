"""Inventory rules and reads: the product list (keyset pages, search, filters), stock figures and alerts,
the stock ledger (adjustments and their movements), edits, and the CSV export.

Every change of stock writes its `stock_movements` row in the caller's transaction; services never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, case, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.core import csv_formats
from shopcrm.core.counting import capped_count
from shopcrm.core.csv_export import csv_lines
from shopcrm.core.errors import InvalidInput, NotFound
from shopcrm.core.pagination import CursorCodec, Page, SortKey, keyset_page
from shopcrm.core.side_reads import OpenRead, side_by_side
from shopcrm.db import utcnow
from shopcrm.inventory.advice import advise, z_score
from shopcrm.inventory.models import (
    FORECAST_RUN_ROW_ID,
    ForecastRun,
    ForecastStatus,
    MovementKind,
    NeedLevel,
    Product,
    ProductForecast,
    StockMovement,
)
from shopcrm.inventory.schemas import (
    MAX_STOCK,
    NEED_BY_RANK,
    RANK_BY_NEED,
    AdjustmentIn,
    AdjustmentKind,
    BacktestOut,
    CategoryErrors,
    CategoryFigures,
    ForecastBrief,
    ForecastSummary,
    InventoryFilters,
    InventoryItem,
    InventoryListQuery,
    InventorySort,
    InventoryStats,
    MethodErrors,
    NeedCount,
    ProductForecastOut,
    ProductOut,
    ProductUpdate,
    StockAlert,
    StockFigures,
    StockState,
)

SORT_KEYS: dict[InventorySort, SortKey] = {
    InventorySort.name: SortKey((Product.name,)),
    InventorySort.sku: SortKey((Product.sku,), unique=True),
    InventorySort.category: SortKey((Product.category,)),
    InventorySort.price: SortKey((Product.price,)),
    InventorySort.cost: SortKey((Product.cost,), nullable=True),
    InventorySort.stock: SortKey((Product.stock,)),
    # No need level yet (no forecast, or too little history) sorts after "none" and after "critical": page one
    # of either order is then read from the need index (first descending, it scanned every product for NULLs).
    InventorySort.need: SortKey(
        (ProductForecast.need_rank,), nullable=True, nulls_last=True, tiebreak=ProductForecast.product_id
    ),
    InventorySort.days_of_cover: SortKey(
        (ProductForecast.days_of_cover,), nullable=True, tiebreak=ProductForecast.product_id
    ),
}
MOVEMENT_KEY = SortKey((StockMovement.id,), unique=True)
ALERTS_SHOWN = 50
CSV_BATCH = 1000
CSV_COLUMNS = (
    "id",
    "sku",
    "name",
    "category",
    "price",
    "cost",
    "stock",
    "low_stock_threshold",
    "reorder_lead_days",
    "stock_state",
    "forecast_status",
    "forecast_30d",
    "days_of_cover",
    "stockout_on",
    "need",
    "reorder_qty",
    "need_reason",
    "forecast_computed_at",
)


def stock_state(stock: int, threshold: int) -> StockState:
    if stock <= 0:
        return StockState.out
    return StockState.low if stock <= threshold else StockState.in_stock


def to_out(product: Product) -> ProductOut:
    return ProductOut(
        id=product.id,
        name=product.name,
        sku=product.sku,
        category=product.category,
        price=product.price,
        cost=product.cost,
        stock=product.stock,
        low_stock_threshold=product.low_stock_threshold,
        reorder_lead_days=product.reorder_lead_days,
        stock_state=stock_state(product.stock, product.low_stock_threshold),
        updated_at=product.updated_at,
    )


def _cover(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def forecast_brief(f: ProductForecast | None) -> ForecastBrief | None:
    if f is None:
        return None
    return ForecastBrief(
        status=ForecastStatus(f.status),
        need=None if f.need_rank is None else NEED_BY_RANK[f.need_rank],
        reason=f.reason,
        forecast_30d=f.forecast_30d,
        days_of_cover=_cover(f.days_of_cover),
        stockout_on=f.stockout_on,
        reorder_qty=f.reorder_qty,
        stock=f.stock,
        computed_at=f.computed_at,
    )


def to_item(product: Product, forecast: ProductForecast | None) -> InventoryItem:
    return InventoryItem(**to_out(product).model_dump(), forecast=forecast_brief(forecast))


def with_forecast(query: Any) -> Any:
    """Products with their stored forecast, if any (a product added since the last batch has none)."""
    return query.outerjoin(ProductForecast, ProductForecast.product_id == Product.id)


def _like_prefix(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


_STATE_CONDITIONS: dict[StockState, ColumnElement[bool]] = {
    StockState.out: Product.stock <= 0,
    StockState.low: (Product.stock > 0) & (Product.stock <= Product.low_stock_threshold),
    StockState.in_stock: Product.stock > Product.low_stock_threshold,
}


async def list_conditions(session: AsyncSession, filters: InventoryFilters) -> list[ColumnElement[bool]]:
    """The filters as SQL; a category no product has is a 422 naming `category`."""
    conditions: list[ColumnElement[bool]] = []
    if filters.q and filters.q.strip():
        pattern = _like_prefix(filters.q.strip())
        conditions.append(
            or_(func.lower(Product.name).like(pattern, escape="\\"), func.lower(Product.sku).like(pattern, escape="\\"))
        )
    if filters.category:
        wanted = sorted(set(filters.category))
        known = set(
            (await session.scalars(select(Product.category).where(Product.category.in_(wanted)).distinct())).all()
        )
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise InvalidInput(f"category: no product has the category {unknown[0]!r}", loc=["query", "category"])
        conditions.append(Product.category.in_(wanted))
    if filters.min_price is not None:
        conditions.append(Product.price >= filters.min_price)
    if filters.max_price is not None:
        conditions.append(Product.price <= filters.max_price)
    if filters.stock_state:
        conditions.append(or_(*(_STATE_CONDITIONS[s] for s in set(filters.stock_state))))
    if filters.need:
        conditions.append(ProductForecast.need_rank.in_(sorted({RANK_BY_NEED[n] for n in filters.need})))
    return conditions


async def list_products(
    session: AsyncSession, *, query: InventoryListQuery, cursors: CursorCodec
) -> tuple[Page, int, bool]:
    """One keyset page of products and the (capped) number matching."""
    conditions = await list_conditions(session, query)
    page = await keyset_page(
        session,
        with_forecast(select(Product, ProductForecast)).where(*conditions),
        key=SORT_KEYS[query.sort],
        id_col=Product.id,
        sort=query.sort.value,
        direction=query.order,
        limit=query.limit,
        cursor=query.cursor,
        codec=cursors,
    )
    counted = select(Product.id).where(*conditions)
    total, exact = await capped_count(session, with_forecast(counted) if filters_need_forecast(query) else counted)
    return page, total, exact


def filters_need_forecast(filters: InventoryFilters) -> bool:
    return bool(filters.need)


def _figures_columns() -> list[Any]:
    zero = literal(0, type_=Integer)
    return [
        func.count().label("products"),
        func.coalesce(func.sum(Product.stock), 0).label("units"),
        func.coalesce(func.sum(Product.stock * func.coalesce(Product.cost, 0)), 0).label("value_at_cost"),
        func.coalesce(func.sum(Product.stock * Product.price), 0).label("value_at_price"),
        func.coalesce(func.sum(case((Product.cost.is_(None), 1), else_=zero)), 0).label("without_cost"),
        func.coalesce(func.sum(case((_STATE_CONDITIONS[StockState.low], 1), else_=zero)), 0).label("low"),
        func.coalesce(func.sum(case((_STATE_CONDITIONS[StockState.out], 1), else_=zero)), 0).label("out"),
    ]


def _figures(row: Any) -> dict[str, Any]:
    cent = Decimal("0.01")
    return {
        "products": int(row.products),
        "units": int(row.units),
        "value_at_cost": Decimal(row.value_at_cost).quantize(cent),
        "value_at_price": Decimal(row.value_at_price).quantize(cent),
        "without_cost": int(row.without_cost),
        "low": int(row.low),
        "out": int(row.out),
    }


def alerts_count_query() -> Select[Any]:
    """How many stock alerts there are (the stats' `alerts_total`, what the dashboard shows): products out of
    stock or at or below their threshold, and those in stock that run out before their lead time. One pass
    over the products: the critical forecasts are joined on, so the two kinds need no second scan."""
    critical = ProductForecast.need_rank == int(NeedLevel.critical)
    return (
        select(func.count())
        .select_from(Product)
        .outerjoin(ProductForecast, and_(ProductForecast.product_id == Product.id, critical))
        .where(or_(Product.stock <= Product.low_stock_threshold, ProductForecast.product_id.is_not(None)))
    )


async def alerts_count(session: AsyncSession) -> int:
    return int(await session.scalar(alerts_count_query()) or 0)


async def _per_category(session: AsyncSession) -> list[Any]:
    """Each category's stock figures, and how many of its products are in stock but run out before their lead
    time (`early`: a critical forecast, joined on in the same pass over the products)."""
    critical = and_(ProductForecast.product_id == Product.id, ProductForecast.need_rank == int(NeedLevel.critical))
    early = case((and_(ProductForecast.product_id.is_not(None), _STATE_CONDITIONS[StockState.in_stock]), 1), else_=0)
    return list(
        (
            await session.execute(
                select(Product.category, *_figures_columns(), func.coalesce(func.sum(early), 0).label("early"))
                .outerjoin(ProductForecast, critical)
                .group_by(Product.category)
                .order_by(Product.category)
            )
        ).all()
    )


async def _most_urgent(session: AsyncSession) -> list[Any]:
    """The alerts (out, low, or running out before the lead time), most urgent first, with days of cover."""
    # "Runs out before the lead time": the latest advice is critical (fewer days of cover than the lead time at
    # the forecast rate; the stock as of the batch, or of the last receipt or count). Stored, so an index finds
    # those products instead of arithmetic on every product.
    early = ProductForecast.need_rank == int(NeedLevel.critical)
    alerting = or_(_STATE_CONDITIONS[StockState.out], _STATE_CONDITIONS[StockState.low], early)
    cover = ProductForecast.days_of_cover
    # Urgency: out first, then the fewest days of cover (none: after those with one), then the least stock per
    # unit of threshold, then the fewest units, then the name.
    ratio = func.coalesce((Product.stock * 1.0) / func.nullif(Product.low_stock_threshold, 0), 0)
    return list(
        (
            await session.execute(
                with_forecast(select(Product, cover.label("cover"), early.label("early")))
                .where(alerting)
                .order_by(
                    Product.stock > 0,
                    cover.is_(None),
                    cover.asc(),
                    ratio.asc(),
                    Product.stock.asc(),
                    Product.name.asc(),
                    Product.id.asc(),
                )
                .limit(ALERTS_SHOWN)
            )
        ).all()
    )


async def stats(session: AsyncSession, *, open_read: OpenRead | None = None) -> InventoryStats:
    """Stock figures overall and per category, and the alerts (low or out), most urgent first. With
    `open_read` (a read session factory) the two passes over the products run at once (core/side_reads)."""
    reads: tuple[Callable[[AsyncSession], Awaitable[Any]], ...] = (_per_category, _most_urgent)
    found: list[Any] = (
        [await read(session) for read in reads] if open_read is None else await side_by_side(open_read, *reads)
    )
    per_category, rows = found
    categories = [CategoryFigures(category=r.category, **_figures(r)) for r in per_category]
    total = StockFigures(
        products=sum(c.products for c in categories),
        units=sum(c.units for c in categories),
        value_at_cost=sum((c.value_at_cost for c in categories), Decimal("0.00")),
        value_at_price=sum((c.value_at_price for c in categories), Decimal("0.00")),
        without_cost=sum(c.without_cost for c in categories),
        low=sum(c.low for c in categories),
        out=sum(c.out for c in categories),
    )
    alerts_total = total.low + total.out + sum(int(r.early) for r in per_category)
    alerts = []
    for p, days, runs_out in rows:
        state = stock_state(p.stock, p.low_stock_threshold)
        if state == StockState.out:
            reason = "out of stock"
        elif runs_out:
            reason = (
                f"about {int(days):,} days of cover at the forecast rate, "
                f"less than its reorder lead time of {p.reorder_lead_days} days"
            )
        else:
            reason = f"{p.stock} left, at or below its low-stock threshold of {p.low_stock_threshold}"
        alerts.append(
            StockAlert(
                id=p.id,
                name=p.name,
                sku=p.sku,
                category=p.category,
                stock=p.stock,
                low_stock_threshold=p.low_stock_threshold,
                stock_state=state,
                days_of_cover=None if days is None else round(float(days), 1),
                runs_out_before_lead_time=bool(runs_out),
                reason=reason,
            )
        )
    return InventoryStats(**total.model_dump(), categories=categories, alerts=alerts, alerts_total=alerts_total)


async def get_product(session: AsyncSession, product_id: int) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFound("No such product")
    return product


async def adjust_stock(
    session: AsyncSession, *, product_id: int, data: AdjustmentIn, user_id: int | None
) -> tuple[Product, StockMovement]:
    """Receive stock or set it to a count, with its ledger row, in the caller's transaction.

    The product row is locked first by an UPDATE (a row lock on PostgreSQL, the write lock on SQLite), so
    the stock read and the stock written belong together whatever runs at the same time."""
    if data.kind == AdjustmentKind.received and data.quantity is None:
        raise InvalidInput("quantity: stock received needs the number of units", loc=["body", "quantity"])
    if data.kind == AdjustmentKind.received and data.counted is not None:
        raise InvalidInput("counted: stock received takes quantity, not counted", loc=["body", "counted"])
    if data.kind == AdjustmentKind.correction and data.counted is None:
        raise InvalidInput("counted: a correction needs the stock as counted", loc=["body", "counted"])
    if data.kind == AdjustmentKind.correction and data.quantity is not None:
        raise InvalidInput("quantity: a correction takes counted, not quantity", loc=["body", "quantity"])
    now = utcnow()
    current = await session.scalar(
        update(Product)
        .where(Product.id == product_id)
        .values(updated_at=now)
        .returning(Product.stock)
        .execution_options(synchronize_session=False)
    )
    if current is None:
        raise NotFound("No such product")
    if data.kind == AdjustmentKind.received:
        assert data.quantity is not None
        new_stock = current + data.quantity
        if new_stock > MAX_STOCK:
            raise InvalidInput(
                f"quantity: the stock would be {new_stock}, above the largest stock of {MAX_STOCK}",
                loc=["body", "quantity"],
            )
        kind = MovementKind.received
    else:
        assert data.counted is not None
        new_stock = data.counted
        kind = MovementKind.correction
    if new_stock < 0:  # unreachable through the schema; the CHECK constraint holds it too
        raise InvalidInput("the stock cannot go below zero", loc=["body", "counted"])
    await session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(stock=new_stock)
        .execution_options(synchronize_session=False)
    )
    movement = StockMovement(
        product_id=product_id,
        kind=kind.value,
        quantity=new_stock - current,
        stock_after=new_stock,
        user_id=user_id,
        reason=data.reason,
        created_at=now,
    )
    session.add(movement)
    await session.flush()
    product = await session.get(Product, product_id, populate_existing=True)
    assert product is not None
    await readvise(session, product)
    return product, movement


async def update_product(session: AsyncSession, *, product_id: int, data: ProductUpdate) -> Product:
    product = await get_product(session, product_id)
    changes = data.model_dump(exclude_unset=True)
    for name in ("price", "low_stock_threshold", "reorder_lead_days"):
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{name}: cannot be empty", loc=["body", name])
    for name, value in changes.items():
        setattr(product, name, value)
    product.updated_at = utcnow()
    await session.flush()
    if "reorder_lead_days" in changes:
        await readvise(session, product)
    return product


async def readvise(session: AsyncSession, product: Product) -> None:
    """Stock received or counted, or a new lead time, changes the stored advice at once (same forecast, new
    stock and lead time), in the caller's transaction. Orders taking stock wait for the next batch: the
    ingestion path writes nothing more."""
    f = await session.get(ProductForecast, product.id)
    if f is None or f.status != ForecastStatus.ok or f.daily_rate is None:
        return
    run = await session.get(ForecastRun, FORECAST_RUN_ROW_ID)
    if run is None:
        return
    # The batch's store-local day, moved on by the days since it ran.
    batch_day = dt.date.fromisoformat(run.summary["holdout"]["last_day"]) + dt.timedelta(days=1)
    today = batch_day + dt.timedelta(days=max(0, (utcnow() - f.computed_at).days))
    a = advise(
        stock=product.stock,
        daily_rate=f.daily_rate,
        demand_sd=f.demand_sd or 0.0,
        lead_days=product.reorder_lead_days,
        z=z_score(run.summary["service_level"]),
        today=today,
    )
    f.stock = product.stock
    f.need_rank = int(a.need)
    f.reorder_qty = a.reorder_qty
    f.safety_stock = round(a.safety_stock, 4)
    f.reorder_point = round(a.reorder_point, 4)
    f.days_of_cover = None if a.days_of_cover is None else Decimal(str(a.days_of_cover))
    f.stockout_on = a.stockout_on
    f.reason = a.reason
    await session.flush()


async def movements(
    session: AsyncSession, *, product_id: int, limit: int, cursor: str | None, cursors: CursorCodec
) -> Page:
    """A product's ledger, newest first."""
    await get_product(session, product_id)
    return await keyset_page(
        session,
        select(StockMovement).where(StockMovement.product_id == product_id),
        key=MOVEMENT_KEY,
        id_col=StockMovement.id,
        sort="movements",
        direction="desc",
        limit=limit,
        cursor=cursor,
        codec=cursors,
    )


def csv_query(conditions: list[ColumnElement[bool]]) -> Any:
    return (
        with_forecast(
            select(
                Product.id,
                Product.sku,
                Product.name,
                Product.category,
                Product.price,
                Product.cost,
                Product.stock,
                Product.low_stock_threshold,
                Product.reorder_lead_days,
                ProductForecast.status,
                ProductForecast.forecast_30d,
                ProductForecast.days_of_cover,
                ProductForecast.stockout_on,
                ProductForecast.need_rank,
                ProductForecast.reorder_qty,
                ProductForecast.reason,
                ProductForecast.computed_at,
            )
        )
        .where(*conditions)
        .order_by(Product.name, Product.id)
    )


def _csv_row(row: Any) -> list[Any]:
    need = None if row.need_rank is None else NEED_BY_RANK[row.need_rank].value
    return [
        *row[:9],
        stock_state(row.stock, row.low_stock_threshold).value,
        row.status,
        None if row.forecast_30d is None else float(row.forecast_30d),  # as the API gives it (SQLite may say 0)
        row.days_of_cover,
        row.stockout_on,
        need,
        row.reorder_qty,
        row.reason,
        row.computed_at,
    ]


async def export_csv(conn: AsyncConnection, conditions: list[ColumnElement[bool]]) -> AsyncIterator[str]:
    """Every matching product as CSV text, read through a server-side cursor in batches (constant memory).
    `conn` must be in a transaction (see `Capabilities.streaming_isolation`)."""
    yield csv_lines([CSV_COLUMNS])
    result = await conn.stream(csv_query(conditions).execution_options(yield_per=CSV_BATCH))
    async for batch in result.partitions():
        yield csv_lines(_csv_row(row) for row in batch)


async def products_csv(conn: AsyncConnection, conditions: list[ColumnElement[bool]]) -> AsyncIterator[str]:
    """Every matching product in ShopCRM's products format (core/csv_formats.py), in the list's default
    order, through a server-side cursor in batches. `conn` must be in a transaction."""
    yield csv_lines([csv_formats.PRODUCTS])
    columns = [getattr(Product, name) for name in csv_formats.PRODUCTS]
    # With the forecasts joined (one row at most per product), as the list's filters may name the need level.
    query = with_forecast(select(*columns)).where(*conditions).order_by(Product.name, Product.id)
    result = await conn.stream(query.execution_options(yield_per=CSV_BATCH))
    async for batch in result.partitions():
        yield csv_lines(batch)


async def forecast_summary(session: AsyncSession, *, refresh_seconds: int) -> ForecastSummary:
    """The latest batch's method and backtest, and the products per need level."""
    run = await session.get(ForecastRun, FORECAST_RUN_ROW_ID)
    if run is None:
        return ForecastSummary(computed=False, refresh_seconds=refresh_seconds)
    s = run.summary
    counts = dict(
        (
            await session.execute(
                select(ProductForecast.need_rank, func.count())
                .where(ProductForecast.need_rank.is_not(None))
                .group_by(ProductForecast.need_rank)
            )
        ).all()
    )
    return ForecastSummary(
        computed=True,
        refresh_seconds=refresh_seconds,
        method=run.method,
        method_label=s["method_label"],
        baseline=s["baseline"],
        computed_at=run.computed_at,
        took_ms=run.took_ms,
        horizon_days=s["horizon_days"],
        history_days=s["history_days"],
        min_history_days=s["min_history_days"],
        service_level=s["service_level"],
        review_days=s["review_days"],
        holdout_first_day=s["holdout"]["first_day"],
        holdout_last_day=s["holdout"]["last_day"],
        products=s["products"],
        forecasted=s["forecasted"],
        not_enough_history=s["not_enough_history"],
        backtested=s["backtested"],
        methods=sorted((MethodErrors(**m) for m in s["methods"]), key=lambda m: (m.method != run.method, m.method)),
        categories=[CategoryErrors(**c) for c in s["categories"]],
        needs=[
            NeedCount(need=NEED_BY_RANK[level], products=int(counts.get(int(level), 0)))
            for level in sorted(NeedLevel, reverse=True)
        ],
    )


async def product_forecast(session: AsyncSession, product: ProductOut) -> ProductForecastOut | None:
    """A product's stored forecast with its advice and its backtest, or None before the first batch."""
    f = await session.get(ProductForecast, product.id)
    run = await session.get(ForecastRun, FORECAST_RUN_ROW_ID) if f is not None else None
    if f is None or run is None:
        return None
    brief = forecast_brief(f)
    assert brief is not None
    holdout = run.summary["holdout"]
    test = None
    if f.backtest_forecast is not None and f.backtest_naive is not None and f.backtest_actual is not None:
        sold = f.backtest_actual
        test = BacktestOut(
            first_day=holdout["first_day"],
            last_day=holdout["last_day"],
            forecast=f.backtest_forecast,
            naive=f.backtest_naive,
            sold=sold,
            error=abs(f.backtest_forecast - sold) / sold if sold else None,
            naive_error=abs(f.backtest_naive - sold) / sold if sold else None,
        )
    return ProductForecastOut(
        **brief.model_dump(),
        method=run.method,
        method_label=run.summary["method_label"],
        history_days=f.history_days,
        daily_rate=f.daily_rate,
        demand_sd=f.demand_sd,
        safety_stock=f.safety_stock,
        reorder_point=f.reorder_point,
        service_level=run.summary["service_level"],
        lead_days=product.reorder_lead_days,
        backtest=test,
    )
