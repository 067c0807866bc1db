"""What the inventory endpoints take and return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from shopcrm.core.pagination import CURSOR_PATTERN, MAX_CURSOR_LENGTH
from shopcrm.core.types import NAME_PATTERN, NO_NUL, MoneyIn
from shopcrm.inventory.models import ForecastStatus, MovementKind, NeedLevel

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


class Need(StrEnum):
    """How soon to reorder (inventory/advice.py): critical > high > medium > low > none."""

    none = "none"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


NEED_BY_RANK = {int(level): Need(level.name) for level in NeedLevel}
RANK_BY_NEED = {need: rank for rank, need in NEED_BY_RANK.items()}


class InventorySort(StrEnum):
    name = "name"
    sku = "sku"
    category = "category"
    price = "price"
    cost = "cost"
    stock = "stock"
    need = "need"  # by need level (descending: critical first); products without a forecast last ascending
    days_of_cover = "days_of_cover"  # nothing expected to sell, or no forecast: last ascending


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
    need: list[Need] | None = Field(default=None, description="Need levels of the latest forecast (repeatable)")

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


class ForecastBrief(BaseModel):
    """A product's stored forecast and advice, as of `computed_at` (the stock then: `stock`)."""

    status: ForecastStatus
    need: Need | None = Field(description="None when there is not enough history")
    reason: str = Field(description="The need level (or the missing forecast) in words")
    forecast_30d: float | None = Field(description="Units expected to sell in the next 30 days")
    days_of_cover: float | None = Field(
        description="Days the stock lasts at the forecast rate; None: no sales expected"
    )
    stockout_on: dt.date | None
    reorder_qty: int | None
    stock: int = Field(description="The stock the advice was computed for")
    computed_at: dt.datetime


class InventoryItem(ProductOut):
    forecast: ForecastBrief | None = Field(description="None until the forecasting batch first runs")


class InventoryPage(BaseModel):
    items: list[InventoryItem]
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
    days_of_cover: float | None = Field(description="At the latest forecast's rate; None without one")
    runs_out_before_lead_time: bool
    reason: str


class InventoryStats(StockFigures):
    categories: list[CategoryFigures]
    alerts: list[StockAlert] = Field(
        description="Low, out, or running out before the reorder lead time at the forecast rate: out of stock "
        "first, then the fewest days of cover, then the lowest stock against its threshold"
    )
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
    forecast_30d: float | None = Field(description="The stored forecast of the next 30 days; null without one")
    forecast_status: str = Field(description="ok, not enough history, or not computed yet")
    forecast: ProductForecastOut | None = Field(description="None until the forecasting batch first runs")


class BacktestOut(BaseModel):
    """This product's part of the latest backtest: the held-out days forecast from the days before them."""

    first_day: dt.date
    last_day: dt.date
    forecast: float
    naive: float = Field(description="The naive baseline's forecast: the 30 days before repeated")
    sold: int
    error: float | None = Field(description="|forecast - sold| / sold; None when nothing sold")
    naive_error: float | None


class ProductForecastOut(ForecastBrief):
    method: str
    method_label: str
    history_days: int
    daily_rate: float | None
    demand_sd: float | None = Field(description="Standard deviation of daily units over the last 90 days")
    safety_stock: float | None
    reorder_point: float | None
    service_level: float
    lead_days: int = Field(description="The lead time the advice was computed with")
    backtest: BacktestOut | None = Field(description="None when the product has too little history for it")


class MethodErrors(BaseModel):
    method: str
    label: str
    wape: float | None = Field(description="sum |forecast - sold| / sum sold over the held-out days")
    bias: float | None = Field(description="sum (forecast - sold) / sum sold: positive forecasts too much")
    products: int
    sold: float
    forecast: float


class CategoryErrors(BaseModel):
    category: str
    wape: float | None
    bias: float | None
    naive_wape: float | None
    naive_bias: float | None
    products: int
    sold: float
    forecast: float


class NeedCount(BaseModel):
    need: Need
    products: int


class ForecastSummary(BaseModel):
    """The latest forecasting batch: its method, its backtest against the naive baseline, the need levels."""

    computed: bool = Field(description="False until the batch first runs (then every other field is empty)")
    refresh_seconds: int
    method: str | None = None
    method_label: str | None = None
    baseline: str | None = None
    computed_at: dt.datetime | None = None
    took_ms: int | None = None
    horizon_days: int | None = None
    history_days: int | None = None
    min_history_days: int | None = None
    service_level: float | None = None
    review_days: int | None = None
    holdout_first_day: dt.date | None = None
    holdout_last_day: dt.date | None = None
    products: int | None = None
    forecasted: int | None = None
    not_enough_history: int | None = None
    backtested: int | None = None
    methods: list[MethodErrors] = Field(default_factory=list, description="The chosen method first, then the others")
    categories: list[CategoryErrors] = Field(default_factory=list)
    needs: list[NeedCount] = Field(default_factory=list, description="Products per need level, most urgent first")


ProductDetails.model_rebuild()
