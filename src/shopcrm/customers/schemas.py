"""What the customer endpoints take and return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, WithJsonSchema, computed_field

from shopcrm.core.pagination import CURSOR_PATTERN, MAX_CURSOR_LENGTH
from shopcrm.core.types import NO_NUL, CountryCode, Day, Email, Name, Phone, ShortText, phone_display
from shopcrm.customers.models import CustomerStatus

MAX_MONEY = Decimal("9999999999.99")


# A money bound in a query string, e.g. 250 or 99.5; documented as a plain number.
MoneyFilter = Annotated[
    Decimal,
    Field(ge=0, le=MAX_MONEY),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MAX_MONEY)}),
]


class Tier(StrEnum):
    bronze = "bronze"
    silver = "silver"
    gold = "gold"
    platinum = "platinum"


class CustomerIn(BaseModel):
    """The editable fields. Spend, order counts and tier are derived from orders and cannot be written."""

    model_config = ConfigDict(extra="forbid")

    first_name: Name
    last_name: Name
    email: Email
    phone: Phone | None = None
    status: CustomerStatus = CustomerStatus.active
    city: ShortText | None = None
    country: CountryCode | None = None
    email_consent: StrictBool = False


class CustomerCreate(CustomerIn):
    pass


class CustomerUpdate(CustomerIn):
    """PUT replaces every editable field; fields left out take their defaults."""


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    first_name: str
    last_name: str
    email: str
    phone: str | None
    status: CustomerStatus
    tier: Tier
    total_spend: Decimal
    total_orders: int
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None
    city: str | None
    country: str | None
    email_consent: bool
    unsubscribed_at: dt.datetime | None
    erased_at: dt.datetime | None = Field(description="When the person's data was erased at their request")
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerSort(StrEnum):
    name = "name"
    email = "email"
    status = "status"
    country = "country"
    total_spend = "total_spend"
    total_orders = "total_orders"
    created_at = "created_at"
    last_order_at = "last_order_at"
    # Tiers are bands of lifetime spend, so ordering by tier is ordering by spend (same index, same cursor
    # rules; a cursor still belongs to the sort it was made for).
    tier = "tier"


class CustomerFilters(BaseModel):
    """The list's filters and sort (the list and its CSV export take the same). Filters combine with AND; a
    range given upside down (min above max) simply matches nothing."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        max_length=100,
        pattern=NO_NUL,
        description="Case-insensitive prefix of first name, last name, full name, email or phone",
    )
    status: list[CustomerStatus] | None = None
    tier: list[Tier] | None = None
    spend_min: MoneyFilter | None = None
    spend_max: MoneyFilter | None = None
    orders_min: int | None = Field(default=None, ge=0, le=1_000_000_000)
    orders_max: int | None = Field(default=None, ge=0, le=1_000_000_000)
    created_from: Day | None = None
    created_to: Day | None = None
    last_order_from: Day | None = None
    last_order_to: Day | None = None
    country: list[CountryCode] | None = Field(default=None, max_length=50)
    email_consent: bool | None = None
    sort: CustomerSort = CustomerSort.created_at
    order: Literal["asc", "desc"] = "desc"


class CustomerListQuery(CustomerFilters):
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="From a previous page's next/prev cursor (signed by the server)",
    )


class CustomerProfile(CustomerOut):
    """A customer as their own page shows them (the list leaves out what costs per row)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str | None:
        """The phone grouped for reading, e.g. +49 1512 3456789."""
        return phone_display(self.phone)


class CustomerPage(BaseModel):
    items: list[CustomerOut]
    total: int = Field(description="Matching customers; a lower bound when total_exact is false")
    total_exact: bool
    limit: int
    next_cursor: str | None
    prev_cursor: str | None


class CustomerStats(BaseModel):
    lifetime_spend: Decimal
    total_orders: int
    average_order_value: Decimal | None
    first_order_at: dt.datetime | None
    last_order_at: dt.datetime | None
    days_since_last_order: int | None


class TierInfo(BaseModel):
    name: Tier
    min_spend: Decimal
    next_tier: Tier | None
    spend_to_next: Decimal | None


class RfmInsight(BaseModel):
    recency: int | None = Field(ge=1, le=5)
    frequency: int | None = Field(ge=1, le=5)
    monetary: int | None = Field(ge=1, le=5)
    group: str
    basis: str


class CategoryInsight(BaseModel):
    category: str | None
    share_of_spend: Decimal | None = Field(description="Percent of the customer's spend in that category")
    basis: str


class NextOrderInsight(BaseModel):
    expected_at: dt.datetime | None
    typical_gap_days: int | None
    basis: str


class ChurnInsight(BaseModel):
    level: Literal["low", "medium", "high", "unknown"]
    basis: str


class CustomerInsights(BaseModel):
    rfm: RfmInsight
    favourite_category: CategoryInsight
    next_order: NextOrderInsight
    churn_risk: ChurnInsight
