"""Named SQL of the forecasting batch: two reads (every product, every daily sales row of the window) and
the writes that replace the stored forecasts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select

from shopcrm.analytics.models import DailyProductSales
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


def latest_run() -> Any:
    return select(ForecastRun.computed_at).where(ForecastRun.id == FORECAST_RUN_ROW_ID)


def clear_forecasts() -> Any:
    return delete(ProductForecast)


def clear_run() -> Any:
    return delete(ForecastRun).where(ForecastRun.id == FORECAST_RUN_ROW_ID)
