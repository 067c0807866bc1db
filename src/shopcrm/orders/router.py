"""HTTP for orders: list with status tabs, details, ingestion, status changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import StreamingResponse

from shopcrm.auth.deps import CurrentUser, WriterUser
from shopcrm.core.csv_response import CSV_RESPONSES, streamed_csv
from shopcrm.core.deps import AppDatabase, AppSettings, Cursors, DbSession, ReadSession
from shopcrm.core.engines import capabilities_of
from shopcrm.core.params import IdPath
from shopcrm.inventory.schemas import ProductDetails
from shopcrm.orders import customer_details as details
from shopcrm.orders import ingestion, product_sales, service
from shopcrm.orders.schemas import (
    OrderCreate,
    OrderDetails,
    OrderFilters,
    OrderListQuery,
    OrderPage,
    OrderStatusChange,
)

router = APIRouter(prefix="/api/orders", tags=["orders"])
csv_router = APIRouter(tags=["orders"])
# A customer's page spans customers and orders, so it is composed (and served) by the upper domain.
customer_details_router = APIRouter(prefix="/api/customers", tags=["customers"])
# So does a product's page (the product with its sales); main.py includes it after the inventory router.
product_details_router = APIRouter(prefix="/api/inventory", tags=["inventory"])


@router.get("", response_model=OrderPage, name="list")
async def list_orders(
    query: Annotated[OrderListQuery, Query()], _: CurrentUser, db: ReadSession, cursors: Cursors
) -> OrderPage:
    page, counts = await service.list_orders(db, query=query, cursors=cursors)
    # The list's own total is one of the tab counts (the chosen status, or all): no second count.
    total, exact = counts[query.status.value if query.status is not None else "all"]
    return OrderPage(
        items=[service.list_row(row) for row in page.rows],
        total=total,
        total_exact=exact,
        status_counts={name: n for name, (n, _) in counts.items()},
        status_counts_exact={name: e for name, (_, e) in counts.items()},
        limit=query.limit,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )


@csv_router.get(
    "/api/orders.csv",
    name="export_csv",
    response_class=StreamingResponse,
    responses=CSV_RESPONSES,
)
async def export_csv(
    query: Annotated[OrderFilters, Query()], _: CurrentUser, database: AppDatabase
) -> StreamingResponse:
    """The orders list (its filters and sort, every page) in ShopCRM's orders format: one row per order line."""
    statement = service.csv_query(query, capabilities_of(database.read_engine))
    return streamed_csv(database, "orders.csv", lambda conn: service.orders_csv(conn, statement))


@router.get("/{order_id}", response_model=OrderDetails, name="details")
async def order_details(order_id: IdPath, _: CurrentUser, db: ReadSession) -> OrderDetails:
    return await service.order_details(db, order_id=order_id)


@router.post(
    "",
    response_model=OrderDetails,
    status_code=status.HTTP_201_CREATED,
    name="create",
    responses={200: {"model": OrderDetails, "description": "A repeat of an order already stored; nothing changed"}},
)
async def create_order(body: OrderCreate, response: Response, _: WriterUser, db: DbSession) -> OrderDetails:
    # Whatever authentication wrote (a session lookup, a token's last use) is committed first: on PostgreSQL
    # the order is one statement that is its own transaction on every path (orders/ingestion.py).
    await db.commit()
    order, created = await ingestion.create_order(db, data=body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return order


@router.patch("/{order_id}", response_model=OrderDetails, name="update_status")
async def update_order_status(
    order_id: IdPath, body: OrderStatusChange, user: WriterUser, db: DbSession
) -> OrderDetails:
    await service.change_status(db, order_id=order_id, status=body.status, user=user)
    return await service.order_details(db, order_id=order_id)


@customer_details_router.get("/{customer_id}/details", response_model=details.CustomerDetails, name="details")
async def customer_details(
    customer_id: IdPath, _: CurrentUser, db: ReadSession, settings: AppSettings
) -> details.CustomerDetails:
    return await details.customer_details(db, customer_id=customer_id, settings=settings)


@product_details_router.get("/{product_id:int}", response_model=ProductDetails, name="details")
async def product_details(product_id: IdPath, _: CurrentUser, db: ReadSession) -> ProductDetails:
    return await product_sales.product_details(db, product_id=product_id)
