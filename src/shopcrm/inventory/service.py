"""Inventory rules and reads: the product list (keyset pages, search, filters), stock figures and alerts,
the stock ledger (adjustments and their movements), edits, and the CSV export.

Every change of stock writes its `stock_movements` row in the caller's transaction; services never commit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.core import csv_formats
from shopcrm.core.counting import capped_count
from shopcrm.core.csv_export import csv_lines
from shopcrm.core.errors import InvalidInput, NotFound
from shopcrm.core.pagination import CursorCodec, Page, SortKey, keyset_page
from shopcrm.db import utcnow
from shopcrm.inventory.models import MovementKind, Product, StockMovement
from shopcrm.inventory.schemas import (
    MAX_STOCK,
    AdjustmentIn,
    AdjustmentKind,
    CategoryFigures,
    InventoryFilters,
    InventoryListQuery,
    InventorySort,
    InventoryStats,
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
    return conditions


async def list_products(
    session: AsyncSession, *, query: InventoryListQuery, cursors: CursorCodec
) -> tuple[Page, int, bool]:
    """One keyset page of products and the (capped) number matching."""
    conditions = await list_conditions(session, query)
    page = await keyset_page(
        session,
        select(Product).where(*conditions),
        key=SORT_KEYS[query.sort],
        id_col=Product.id,
        sort=query.sort.value,
        direction=query.order,
        limit=query.limit,
        cursor=query.cursor,
        codec=cursors,
    )
    total, exact = await capped_count(session, select(Product.id).where(*conditions))
    return page, total, exact


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


async def stats(session: AsyncSession) -> InventoryStats:
    """Stock figures overall and per category, and the alerts (low or out), most urgent first."""
    per_category = (
        await session.execute(
            select(Product.category, *_figures_columns()).group_by(Product.category).order_by(Product.category)
        )
    ).all()
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
    alerting = or_(_STATE_CONDITIONS[StockState.out], _STATE_CONDITIONS[StockState.low])
    # Urgency: out first, then the least stock per unit of threshold, then the fewest units, then the name.
    ratio = func.coalesce((Product.stock * 1.0) / func.nullif(Product.low_stock_threshold, 0), 0)
    rows = (
        await session.execute(
            select(Product)
            .where(alerting)
            .order_by(Product.stock > 0, ratio.asc(), Product.stock.asc(), Product.name.asc(), Product.id.asc())
            .limit(ALERTS_SHOWN)
        )
    ).scalars()
    alerts = []
    for p in rows:
        state = stock_state(p.stock, p.low_stock_threshold)
        reason = (
            "out of stock"
            if state == StockState.out
            else f"{p.stock} left, at or below its low-stock threshold of {p.low_stock_threshold}"
        )
        alerts.append(
            StockAlert(
                id=p.id,
                name=p.name,
                sku=p.sku,
                category=p.category,
                stock=p.stock,
                low_stock_threshold=p.low_stock_threshold,
                stock_state=state,
                reason=reason,
            )
        )
    return InventoryStats(
        **total.model_dump(), categories=categories, alerts=alerts, alerts_total=total.low + total.out
    )


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
    return product


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
        )
        .where(*conditions)
        .order_by(Product.name, Product.id)
    )


async def export_csv(conn: AsyncConnection, conditions: list[ColumnElement[bool]]) -> AsyncIterator[str]:
    """Every matching product as CSV text, read through a server-side cursor in batches (constant memory).
    `conn` must be in a transaction (see `Capabilities.streaming_isolation`)."""
    yield csv_lines([CSV_COLUMNS])
    result = await conn.stream(csv_query(conditions).execution_options(yield_per=CSV_BATCH))
    async for batch in result.partitions():
        yield csv_lines([*row, stock_state(row.stock, row.low_stock_threshold).value] for row in batch)


async def products_csv(conn: AsyncConnection, conditions: list[ColumnElement[bool]]) -> AsyncIterator[str]:
    """Every matching product in ShopCRM's products format (core/csv_formats.py), in the list's default
    order, through a server-side cursor in batches. `conn` must be in a transaction."""
    yield csv_lines([csv_formats.PRODUCTS])
    columns = [getattr(Product, name) for name in csv_formats.PRODUCTS]
    query = select(*columns).where(*conditions).order_by(Product.name, Product.id)
    result = await conn.stream(query.execution_options(yield_per=CSV_BATCH))
    async for batch in result.partitions():
        yield csv_lines(batch)
