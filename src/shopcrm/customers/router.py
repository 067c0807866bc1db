"""HTTP for customers: list, details, create, update."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from shopcrm.auth.deps import CurrentUser, WriterUser
from shopcrm.core.deps import AppSettings, Cursors, DbSession, ReadSession
from shopcrm.core.params import IdPath
from shopcrm.customers import service
from shopcrm.customers.schemas import (
    CustomerCreate,
    CustomerListQuery,
    CustomerOut,
    CustomerPage,
    CustomerUpdate,
)

router = APIRouter(prefix="/api/customers", tags=["customers"])


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
async def create_customer(body: CustomerCreate, _: WriterUser, db: DbSession, settings: AppSettings) -> CustomerOut:
    return service.to_out(await service.create_customer(db, data=body), settings)


@router.put("/{customer_id}", response_model=CustomerOut, name="update")
async def update_customer(
    customer_id: IdPath, body: CustomerUpdate, _: WriterUser, db: DbSession, settings: AppSettings
) -> CustomerOut:
    return service.to_out(await service.update_customer(db, customer_id=customer_id, data=body), settings)
