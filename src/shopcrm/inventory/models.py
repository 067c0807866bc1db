"""Product table (the catalog and its stock), the stock ledger (every change of stock, one row each), and the
stored demand forecasts with their reorder advice (written in one batch by forecasting/jobs.py)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from shopcrm.db import Base, BigId, Money, TimestampMixin, UTCDateTime, utcnow


class Product(TimestampMixin, Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    price: Mapped[Decimal] = mapped_column(Money())
    cost: Mapped[Decimal | None] = mapped_column(Money())
    stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    category: Mapped[str] = mapped_column(String(64))
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    reorder_lead_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")

    __table_args__ = (
        CheckConstraint("price >= 0", name="price_nonnegative"),
        CheckConstraint("cost IS NULL OR cost >= 0", name="cost_nonnegative"),
        CheckConstraint("stock >= 0", name="stock_nonnegative"),
        CheckConstraint("low_stock_threshold >= 0", name="low_stock_threshold_nonnegative"),
        CheckConstraint("reorder_lead_days >= 0", name="reorder_lead_days_nonnegative"),
        Index("ix_products_category", "category"),
        Index("ix_products_name_sort", "name", "id"),
        Index("ix_products_price_sort", "price", "id"),
        Index("ix_products_stock_sort", "stock", "id"),
        Index("ix_products_cost_sort", "cost", "id"),
        Index("ix_products_category_sort", "category", "id"),
        Index("ix_products_name_prefix", text("lower(name) text_pattern_ops"), info={"postgresql_only": True}).ddl_if(
            dialect="postgresql"
        ),
        Index("ix_products_sku_prefix", text("lower(sku) text_pattern_ops"), info={"postgresql_only": True}).ddl_if(
            dialect="postgresql"
        ),
    )


class MovementKind(enum.StrEnum):
    """Why stock changed. `opening` is a product's first row (its stock when the ledger began)."""

    opening = "opening"
    order_taken = "order_taken"
    order_returned = "order_returned"  # the order was cancelled or refunded and its stock put back
    received = "received"
    correction = "correction"  # a count: the stock set to what was counted


MOVEMENT_KINDS_SQL = ", ".join(f"'{k.value}'" for k in MovementKind)


class StockMovement(Base):
    """One change of a product's stock, written in the same transaction as the change. A product's stock
    is always the sum of its rows' `quantity`, and `stock_after` is the stock once this row applied.

    `order_id` carries no foreign key: orders are an upper domain and the ledger outlives what it points at;
    an index on it would also cost every order taken one more index write."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("products.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(BigId)
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    __table_args__ = (
        CheckConstraint(f"kind IN ({MOVEMENT_KINDS_SQL})", name="kind_known"),
        CheckConstraint("stock_after >= 0", name="stock_after_nonnegative"),
        Index("ix_stock_movements_product_id", "product_id", "id"),
        Index("ix_stock_movements_user_id", "user_id"),
    )


def Figure() -> Numeric[float]:  # noqa: N802 - reads as a type in model declarations
    """A forecast figure (units, units a day): exact NUMERIC in the database, a float in Python."""
    return Numeric(14, 4, asdecimal=False)


class NeedLevel(enum.IntEnum):
    """How soon a product must be reordered, as stored (`need_rank`): a higher rank is more urgent."""

    none = 0
    low = 1
    medium = 2
    high = 3
    critical = 4


class ForecastStatus(enum.StrEnum):
    ok = "ok"
    not_enough_history = "not_enough_history"


class ProductForecast(Base):
    """A product's demand forecast and reorder advice as of `computed_at` (its stock then is `stock`).

    Every row is replaced by each batch; a product added since has no row until the next one. The backtest
    columns are this product's part of the batch's backtest: what the method and the naive baseline forecast
    for the held-out last days from the history before them, and what sold (NULL: too little history)."""

    __tablename__ = "product_forecasts"

    product_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    status: Mapped[str] = mapped_column(String(24))
    history_days: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer)
    daily_rate: Mapped[float | None] = mapped_column(Figure())
    forecast_30d: Mapped[float | None] = mapped_column(Figure())
    demand_sd: Mapped[float | None] = mapped_column(Figure())
    safety_stock: Mapped[float | None] = mapped_column(Figure())
    reorder_point: Mapped[float | None] = mapped_column(Figure())
    reorder_qty: Mapped[int | None] = mapped_column(Integer)
    # NULL: nothing expected to sell (no stock-out in sight), or no forecast.
    days_of_cover: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    stockout_on: Mapped[dt.date | None] = mapped_column(Date)
    need_rank: Mapped[int | None] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(String(300))
    backtest_forecast: Mapped[float | None] = mapped_column(Figure())
    backtest_naive: Mapped[float | None] = mapped_column(Figure())
    backtest_actual: Mapped[int | None] = mapped_column(Integer)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    __table_args__ = (
        CheckConstraint("need_rank IS NULL OR need_rank BETWEEN 0 AND 4", name="need_rank_known"),
        # The list's need and cover sorts and the need filter.
        Index("ix_product_forecasts_need_sort", "need_rank", "product_id"),
        Index("ix_product_forecasts_cover_sort", "days_of_cover", "product_id"),
    )


FORECAST_RUN_ROW_ID = 1


class ForecastRun(Base):
    """One row (id 1): the latest batch: when, by which method, over what, and its backtest figures
    (overall and per category, for the method, the naive baseline and the other candidates) as JSON."""

    __tablename__ = "forecast_runs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    method: Mapped[str] = mapped_column(String(40))
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    took_ms: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (CheckConstraint(f"id = {FORECAST_RUN_ROW_ID}", name="single_row"),)
