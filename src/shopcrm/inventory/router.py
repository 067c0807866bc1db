"""HTTP for inventory: the product list and its CSV, stock figures, edits, stock adjustments and the ledger.
(A product's page with its sales spans orders, so it is served by orders/router.py.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import StreamingResponse

from shopcrm.auth.deps import CurrentUser, WriterUser
from shopcrm.core.csv_response import CSV_RESPONSES, streamed_csv
from shopcrm.core.deps import AppDatabase, AppSettings, Cursors, DbSession, ReadSession
from shopcrm.core.params import IdPath
from shopcrm.inventory import service
from shopcrm.inventory.schemas import (
    AdjustmentIn,
    AdjustmentOut,
    ForecastSummary,
    InventoryFilters,
    InventoryListQuery,
    InventoryPage,
    InventoryStats,
    MovementOut,
    MovementPage,
    MovementsQuery,
    ProductOut,
    ProductUpdate,
)

router = APIRouter(prefix="/api/inventory", tags=["inventory"])
csv_router = APIRouter(tags=["inventory"])


@router.get("", response_model=InventoryPage, name="list")
async def list_products(
    query: Annotated[InventoryListQuery, Query()], _: CurrentUser, db: ReadSession, cursors: Cursors
) -> InventoryPage:
    page, total, exact = await service.list_products(db, query=query, cursors=cursors)
    return InventoryPage(
        items=[service.to_item(row.Product, row.ProductForecast) for row in page.rows],
        total=total,
        total_exact=exact,
        limit=query.limit,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )


@router.get("/stats", response_model=InventoryStats, name="stats")
async def stats(_: CurrentUser, db: ReadSession, database: AppDatabase) -> InventoryStats:
    return await service.stats(db, open_read=database.read_sessionmaker)


@router.get("/forecast", response_model=ForecastSummary, name="forecast")
async def forecast(_: CurrentUser, db: ReadSession, settings: AppSettings) -> ForecastSummary:
    """The latest forecasting batch: method, when, and its backtest (overall and per category) against the naive
    baseline; the products per need level."""
    return await service.forecast_summary(db, refresh_seconds=settings.forecast_refresh_seconds)


@router.patch("/{product_id:int}", response_model=ProductOut, name="update")
async def update_product(product_id: IdPath, body: ProductUpdate, _: WriterUser, db: DbSession) -> ProductOut:
    return service.to_out(await service.update_product(db, product_id=product_id, data=body))


@router.post(
    "/{product_id:int}/adjustments", response_model=AdjustmentOut, status_code=status.HTTP_201_CREATED, name="adjust"
)
async def adjust_stock(product_id: IdPath, body: AdjustmentIn, user: WriterUser, db: DbSession) -> AdjustmentOut:
    product, movement = await service.adjust_stock(db, product_id=product_id, data=body, user_id=user.id)
    return AdjustmentOut(product=service.to_out(product), movement=MovementOut.model_validate(movement))


@router.get("/{product_id:int}/movements", response_model=MovementPage, name="movements")
async def movements(
    product_id: IdPath, query: Annotated[MovementsQuery, Query()], _: CurrentUser, db: ReadSession, cursors: Cursors
) -> MovementPage:
    page = await service.movements(db, product_id=product_id, limit=query.limit, cursor=query.cursor, cursors=cursors)
    return MovementPage(
        items=[MovementOut.model_validate(row.StockMovement) for row in page.rows],
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )


@csv_router.get(
    "/api/inventory.csv",
    name="export_csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching product, one a line"}},
)
async def export_csv(
    query: Annotated[InventoryFilters, Query()], _: CurrentUser, db: ReadSession, database: AppDatabase
) -> StreamingResponse:
    conditions = await service.list_conditions(db, query)  # bad filters are a 422 before anything streams
    return streamed_csv(database, "inventory.csv", lambda conn: service.export_csv(conn, conditions))


@csv_router.get(
    "/api/products.csv",
    name="products_csv",
    response_class=StreamingResponse,
    responses=CSV_RESPONSES,
)
async def products_csv(
    query: Annotated[InventoryFilters, Query()], _: CurrentUser, db: ReadSession, database: AppDatabase
) -> StreamingResponse:
    """The inventory list's products in ShopCRM's products format, which the products import reads back."""
    conditions = await service.list_conditions(db, query)
    return streamed_csv(database, "products.csv", lambda conn: service.products_csv(conn, conditions))
