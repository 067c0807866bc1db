"""What the personal-data endpoints take and return: a customer's data as one document (GDPR article 15),
and the erasure request and its answer (article 17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shopcrm.core.types import Email
from shopcrm.customers.schemas import CustomerOut
from shopcrm.orders.models import OrderStatus

PERSONAL_DATA_FORMAT: Literal["shopcrm.personal-data.v1"] = "shopcrm.personal-data.v1"


class ConsentChange(BaseModel):
    email_consent: bool
    at: dt.datetime
    source: str


class Consent(BaseModel):
    email_consent: bool
    unsubscribed_at: dt.datetime | None
    history: list[ConsentChange] = Field(description="Changes made through ShopCRM, oldest first")


class PersonalOrderItem(BaseModel):
    sku: str
    product_name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


class PersonalStatusChange(BaseModel):
    from_status: OrderStatus | None
    to_status: OrderStatus
    changed_at: dt.datetime


class PersonalShipping(BaseModel):
    name: str | None
    address1: str | None
    address2: str | None
    city: str | None
    postal_code: str | None
    country: str | None


class PersonalOrder(BaseModel):
    order_number: str
    placed_at: dt.datetime
    status: OrderStatus
    currency: str
    total_amount: Decimal
    shipping: PersonalShipping
    items: list[PersonalOrderItem]
    status_history: list[PersonalStatusChange]


class SegmentMembership(BaseModel):
    segment_id: int
    segment_name: str | None = Field(description="Null when the segment has been deleted since")
    joined_at: dt.datetime


class SegmentMembershipEvent(BaseModel):
    segment_id: int
    segment_name: str | None
    kind: Literal["joined", "left"]
    at: dt.datetime


class Segments(BaseModel):
    memberships: list[SegmentMembership] = Field(description="Segments the customer is in as of their last refresh")
    events: list[SegmentMembershipEvent] = Field(description="When they joined or left a segment, oldest first")


class PersonalData(BaseModel):
    """Everything ShopCRM holds about one customer. Each kind of data is a section of its own, so a later
    feature (the emails sent, say) adds a section without changing the others."""

    format: Literal["shopcrm.personal-data.v1"] = PERSONAL_DATA_FORMAT
    generated_at: dt.datetime
    customer: CustomerOut
    consent: Consent
    orders: list[PersonalOrder] = Field(description="Every order with its items and status history, oldest first")
    segments: Segments


class ErasureRequest(BaseModel):
    """Typed by the admin: the customer's email exactly as stored (case and surrounding spaces aside), so an
    erasure cannot be sent by accident or for the wrong customer."""

    model_config = ConfigDict(extra="forbid")

    confirm: str = Field(min_length=1, max_length=254, pattern=r"^[^\x00]*$", description="The customer's email")


class ErasureOut(BaseModel):
    customer: CustomerOut
    already_erased: bool = Field(description="True when the customer had been erased before: nothing changed")
    orders_anonymised: int = Field(description="Orders whose shipping name and address were removed")


class SuppressionLift(BaseModel):
    """The email to take off the suppression list: its owner was erased and has asked to be a customer again."""

    model_config = ConfigDict(extra="forbid")

    email: Email
