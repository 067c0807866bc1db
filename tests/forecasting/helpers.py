"""A catalog with known daily sales written straight into the daily rollup (its state row marks it current,
so the batch's rollup refresh leaves it as it is), and the series each product should be forecast from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert

from shopcrm.analytics.models import ROLLUP_STATE_ROW_ID, DailyProductSales, RollupState
from shopcrm.config import Settings
from shopcrm.db import Database, utcnow
from shopcrm.forecasting.jobs import HISTORY_DAYS
from shopcrm.inventory.models import Product
from tests.factories import make_product


@dataclass
class Known:
    product: Product
    series: list[float]  # units per day of its life in the window, oldest first (what it is forecast from)


def today() -> dt.date:
    return utcnow().date()  # the tests' store time zone is UTC


async def freeze_rollup(database: Database, settings: Settings) -> None:
    async with database.transaction() as session:
        session.add(
            RollupState(id=ROLLUP_STATE_ROW_ID, timezone=settings.store_timezone, event_watermark=0, built_at=utcnow())
        )


async def product_with_sales(
    database: Database, *, sku: str, age_days: int, units: dict[int, int], **fields: object
) -> Known:
    """A product created `age_days` ago that sold `units[k]` on the day k days ago (k >= 1)."""
    now = utcnow()
    product = await make_product(
        database, sku=sku, name=f"Product {sku}", created_at=now - dt.timedelta(days=age_days), **fields
    )
    day0 = today()
    rows = [
        {"day": day0 - dt.timedelta(days=k), "product_id": product.id, "units": u, "sales": Decimal(u) * 10}
        for k, u in units.items()
        if u
    ]
    if rows:
        async with database.transaction() as session:
            await session.execute(insert(DailyProductSales), rows)
    life = min(age_days, HISTORY_DAYS)
    series = [float(units.get(k, 0)) for k in range(life, 0, -1)]
    return Known(product, series)


async def catalog(database: Database, settings: Settings) -> dict[str, Known]:
    """steady: 3 a day for 200 days; intermittent: 4 every fifth day; young: 20 days old; dormant: nothing
    sold; recent: 60 days old (a forecast, but too young for the backtest); old: 2 a day for 2 years."""
    await freeze_rollup(database, settings)
    known = {
        "STEADY": await product_with_sales(
            database, sku="STEADY", age_days=200, units={k: 3 for k in range(1, 201)}, stock=50, reorder_lead_days=14
        ),
        "INTER": await product_with_sales(
            database,
            sku="INTER",
            age_days=300,
            units={k: 4 for k in range(1, 301) if k % 5 == 0},
            stock=3,
            reorder_lead_days=10,
            category="Kitchen",
        ),
        "YOUNG": await product_with_sales(database, sku="YOUNG", age_days=20, units={k: 1 for k in range(1, 21)}),
        "DORMANT": await product_with_sales(database, sku="DORMANT", age_days=400, units={}, stock=7),
        "RECENT": await product_with_sales(
            database, sku="RECENT", age_days=60, units={k: 1 for k in range(1, 61)}, stock=500, category="Kitchen"
        ),
        "OLD": await product_with_sales(
            database, sku="OLD", age_days=800, units={k: 2 for k in range(1, 800)}, stock=40, reorder_lead_days=30
        ),
    }
    return known
