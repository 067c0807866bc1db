"""Named SQL of the forecasting batch: two reads (every product, every daily sales row of the window) and
the writes that replace the stored forecasts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select

from shopcrm.analytics.models import DailyProductSales
from shopcrm.core.driver import named_sql
from shopcrm.inventory.models import FORECAST_RUN_ROW_ID, ForecastRun, Product, ProductForecast


def products() -> Any:
    """Every product with what its advice depends on, by id (the order of the batch's columns)."""
    return select(Product.id, Product.category, Product.stock, Product.reorder_lead_days, Product.created_at).order_by(
        Product.id
    )


def daily_units(first: dt.date, last: dt.date) -> Any:
    """Units sold per (product, store-local day) from the daily rollup, days first..last (no row: none sold)."""
    return select(DailyProductSales.product_id, DailyProductSales.day, DailyProductSales.units).where(
        DailyProductSales.day >= first, DailyProductSales.day <= last
    )


# `daily_units` as three arrays in one row (engines with `array_aggregates`, run on the driver: SQLAlchemy's
# per-element array processing cost more than the query): product ids, days since $1, units; days $1..$2.
DAILY_UNIT_ARRAYS_SQL = named_sql(
    "forecast_daily_unit_arrays",
    "SELECT array_agg(product_id), array_agg(day - $1::date), array_agg(units) FROM daily_product_sales "
    "WHERE day >= $1 AND day <= $2",
)


def latest_run() -> Any:
    return select(ForecastRun.computed_at).where(ForecastRun.id == FORECAST_RUN_ROW_ID)


def clear_forecasts() -> Any:
    return delete(ProductForecast)


def clear_run() -> Any:
    return delete(ForecastRun).where(ForecastRun.id == FORECAST_RUN_ROW_ID)
