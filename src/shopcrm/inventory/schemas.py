"""What the inventory endpoints take and return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from shopcrm.core.pagination import CURSOR_PATTERN, MAX_CURSOR_LENGTH
from shopcrm.core.types import NAME_PATTERN, NO_NUL, MoneyIn
from shopcrm.inventory.models import MovementKind

MAX_MONEY = Decimal("9999999999.99")
MAX_STOCK = 2**31 - 1  # the stock column is a 32-bit integer
MAX_QUANTITY = 1_000_000_000

MoneyFilter = Annotated[
    Decimal,
    Field(ge=0, le=MAX_MONEY),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(MAX_MONEY)}),
]


class StockState(StrEnum):
    in_stock = "in_stock"  # above its low-stock threshold
    low = "low"  # at or below the threshold, not zero
    out = "out"  # zero


class InventorySort(StrEnum):
    name = "name"
    sku = "sku"
    category = "category"
    price = "price"
    cost = "cost"
    stock = "stock"


class InventoryFilters(BaseModel):
    """Filters combine with AND. Bad ones are a 422 naming the parameter: a negative bound, min_price above
    max_price, a category no product has."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None, max_length=100, pattern=NO_NUL, description="Case-insensitive prefix of the name or the SKU"
    )
    category: list[Annotated[str, Field(max_length=64, pattern=NO_NUL)]] | None = Field(default=None, max_length=50)
    min_price: MoneyFilter | None = None
    max_price: MoneyFilter | None = None
    stock_state: list[StockState] | None = None

    @field_validator("max_price")
    @classmethod
    def _range(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        low = info.data.get("min_price")
        if value is not None and low is not None and low > value:
            raise ValueError("must not be below min_price")
        return value


class InventoryListQuery(InventoryFilters):
    sort: InventorySort = InventorySort.name
    order: Literal["asc", "desc"] = "asc"
    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="From a previous page's next/prev cursor (signed by the server)",
    )


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    sku: str
    category: str
    price: Decimal
    cost: Decimal | None
    stock: int
    low_stock_threshold: int
    reorder_lead_days: int
    stock_state: StockState
    updated_at: dt.datetime


class InventoryPage(BaseModel):
    items: list[ProductOut]
    total: int = Field(description="Matching products; a lower bound when total_exact is false")
    total_exact: bool
    limit: int
    next_cursor: str | None
    prev_cursor: str | None


class StockFigures(BaseModel):
    products: int
    units: int = Field(description="Units on hand")
    value_at_cost: Decimal = Field(description="Units on hand at cost (products without a cost count as 0)")
    value_at_price: Decimal
    without_cost: int = Field(description="Products with no cost set (left out of the value at cost)")
    low: int
    out: int


class CategoryFigures(StockFigures):
    category: str


class StockAlert(BaseModel):
    id: int
    name: str
    sku: str
    category: str
    stock: int
    low_stock_threshold: int
    stock_state: StockState
    reason: str


class InventoryStats(StockFigures):
    categories: list[CategoryFigures]
    alerts: list[StockAlert] = Field(description="Out of stock first, then lowest stock against its threshold")
    alerts_total: int


class AdjustmentKind(StrEnum):
    received = "received"
    correction = "correction"


Reason = Annotated[str, Field(min_length=1, max_length=500, pattern=NAME_PATTERN)]


class AdjustmentIn(BaseModel):
    """Stock received (`quantity` units added) or a counted correction (`counted`: the stock as counted)."""

    model_config = ConfigDict(extra="forbid")

    kind: AdjustmentKind
    quantity: int | None = Field(default=None, ge=1, le=MAX_QUANTITY, description="Units received")
    counted: int | None = Field(default=None, ge=0, le=MAX_STOCK, description="The stock as counted")
    reason: Reason

    @field_validator("reason")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class ProductUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    price: MoneyIn | None = None
    cost: MoneyIn | None = None
    low_stock_threshold: int | None = Field(default=None, ge=0, le=MAX_STOCK)
    reorder_lead_days: int | None = Field(default=None, ge=0, le=3650)


class MovementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: MovementKind
    quantity: int
    stock_after: int
    order_id: int | None
    user_id: int | None
    reason: str | None
    created_at: dt.datetime


class MovementsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=25, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=MAX_CURSOR_LENGTH, pattern=CURSOR_PATTERN)


class MovementPage(BaseModel):
    items: list[MovementOut]
    next_cursor: str | None
    prev_cursor: str | None


class AdjustmentOut(BaseModel):
    product: ProductOut
    movement: MovementOut


class DailySales(BaseModel):
    day: dt.date
    units: int
    revenue: Decimal


class ProductDetails(BaseModel):
    product: ProductOut
    sales: list[DailySales] = Field(description="Units and revenue per UTC day, the last 90 days, oldest first")
    units_30d: int
    units_90d: int
    velocity_30d: float = Field(description="Units sold per day over the last 30 days")
    velocity_90d: float
    days_of_cover: float | None = Field(description="Stock / 30-day velocity; null when nothing sold")
    forecast_30d: float | None = Field(description="Not computed yet: null until forecasting runs")
    forecast_status: str
