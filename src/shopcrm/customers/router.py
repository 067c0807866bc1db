"""HTTP for customers: list (and its CSV), create, update."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import StreamingResponse

from shopcrm.auth.deps import CurrentUser, WriterUser
from shopcrm.core.csv_response import CSV_RESPONSES, streamed_csv
from shopcrm.core.deps import AppDatabase, AppSettings, Cursors, DbSession, ReadSession
from shopcrm.core.engines import capabilities_of
from shopcrm.core.params import IdPath
from shopcrm.customers import service
from shopcrm.customers.schemas import (
    CustomerCreate,
    CustomerFilters,
    CustomerListQuery,
    CustomerOut,
    CustomerPage,
    CustomerUpdate,
)

router = APIRouter(prefix="/api/customers", tags=["customers"])
csv_router = APIRouter(tags=["customers"])


@router.get("", response_model=CustomerPage, name="list")
async def list_customers(
    query: Annotated[CustomerListQuery, Query()],
    _: CurrentUser,
    db: ReadSession,
    settings: AppSettings,
    cursors: Cursors,
) -> CustomerPage:
    page, total, exact = await service.list_customers(db, query=query, settings=settings, cursors=cursors)
    return CustomerPage(
        items=[service.to_out(row.Customer, settings) for row in page.rows],
        total=total,
        total_exact=exact,
        limit=query.limit,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )


@router.post("", response_model=CustomerOut, status_code=status.HTTP_201_CREATED, name="create")
async def create_customer(body: CustomerCreate, user: WriterUser, db: DbSession, settings: AppSettings) -> CustomerOut:
    return service.to_out(await service.create_customer(db, data=body, user_id=user.id), settings)


@router.put("/{customer_id}", response_model=CustomerOut, name="update")
async def update_customer(
    customer_id: IdPath, body: CustomerUpdate, user: WriterUser, db: DbSession, settings: AppSettings
) -> CustomerOut:
    customer = await service.update_customer(db, customer_id=customer_id, data=body, user_id=user.id)
    return service.to_out(customer, settings)


@csv_router.get(
    "/api/customers.csv",
    name="export_csv",
    response_class=StreamingResponse,
    responses=CSV_RESPONSES,
)
async def export_csv(
    query: Annotated[CustomerFilters, Query()], _: CurrentUser, settings: AppSettings, database: AppDatabase
) -> StreamingResponse:
    """The customers list (its filters and sort, every page) in ShopCRM's customers format."""
    statement = service.csv_query(query, settings, capabilities_of(database.read_engine))
    return streamed_csv(database, "customers.csv", lambda conn: service.customers_csv(conn, statement))
