"""What the order endpoints take and return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from shopcrm.core.pagination import CURSOR_PATTERN, MAX_CURSOR_LENGTH
from shopcrm.core.types import (
    MAX_ID,
    NO_NUL,
    CountryCode,
    Day,
    JsonId,
    Moment,
    MoneyIn,
    Name,
    Quantity,
    ShortText,
    phone_display,
)
from shopcrm.orders.models import OrderStatus

OrderNumber = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]


class StrictIn(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrderSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_number: str
    customer_id: int
    placed_at: dt.datetime
    status: OrderStatus
    total_amount: Decimal
    currency: str
    item_count: int


class OrderListRow(OrderSummary):
    customer_name: str
    customer_email: str


class OrderSort(StrEnum):
    placed_at = "placed_at"
    total_amount = "total_amount"
    order_number = "order_number"


class OrderFilters(StrictIn):
    """The list's filters and sort (the list and its CSV export take the same)."""

    status: OrderStatus | None = Field(default=None, description="The status tab; all statuses when absent")
    q: str | None = Field(default=None, max_length=100, pattern=NO_NUL, description="Customer name or email prefix")
    order_number: str | None = Field(default=None, max_length=64, pattern=NO_NUL, description="Order number prefix")
    customer_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    placed_from: Day | None = None
    placed_to: Day | None = None
    sort: OrderSort = OrderSort.placed_at
    order: Literal["asc", "desc"] = "desc"


class OrderListQuery(OrderFilters):
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="From a previous page's next/prev cursor (signed by the server)",
    )


class OrderPage(BaseModel):
    items: list[OrderListRow]
    total: int
    total_exact: bool
    status_counts: dict[str, int] = Field(description='Orders per status under the same filters, plus "all"')
    status_counts_exact: dict[str, bool] = Field(
        description="Per key of status_counts: true when that count is exact. False: an estimate (a search "
        "matching many customers), or, above 10,000, a lower bound shown as more than 10,000"
    )
    limit: int
    next_cursor: str | None
    prev_cursor: str | None


class OrderItemOut(BaseModel):
    id: int
    product_id: int
    product_name: str
    sku: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


class CustomerBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    first_name: str
    last_name: str
    email: str
    phone: str | None
    total_orders: int
    total_spend: Decimal

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str | None:
        """The phone grouped for reading, e.g. +49 1512 3456789."""
        return phone_display(self.phone)


class ShippingOut(BaseModel):
    name: str | None
    address1: str | None
    address2: str | None
    city: str | None
    postal_code: str | None
    country: str | None


class StatusEventOut(BaseModel):
    from_status: OrderStatus | None
    to_status: OrderStatus
    changed_at: dt.datetime
    changed_by: str | None = Field(description="Who changed it; null for the storefront or the system")


class OrderDetails(BaseModel):
    id: int
    order_number: str
    placed_at: dt.datetime
    status: OrderStatus
    total_amount: Decimal
    currency: str
    items: list[OrderItemOut]
    customer: CustomerBrief
    shipping: ShippingOut
    history: list[StatusEventOut]
    allowed_transitions: list[OrderStatus]


class OrderItemIn(StrictIn):
    sku: str = Field(min_length=1, max_length=64, pattern=NO_NUL)
    quantity: Quantity
    unit_price: MoneyIn | None = Field(default=None, description="Defaults to the product's current price")


class ShippingIn(StrictIn):
    name: Name | None = None
    address1: Annotated[str, Field(max_length=200, pattern=NO_NUL)] | None = None
    address2: Annotated[str, Field(max_length=200, pattern=NO_NUL)] | None = None
    city: ShortText | None = None
    postal_code: Annotated[str, Field(max_length=20, pattern=NO_NUL)] | None = None
    country: CountryCode | None = None


class OrderCreate(StrictIn):
    order_number: OrderNumber
    customer_id: JsonId
    placed_at: Moment | None = Field(default=None, description="Defaults to now; must carry a UTC offset")
    status: Literal[OrderStatus.pending, OrderStatus.paid] = OrderStatus.pending
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    items: list[OrderItemIn] = Field(min_length=1, max_length=200)
    shipping: ShippingIn | None = None


class OrderStatusChange(StrictIn):
    status: OrderStatus
