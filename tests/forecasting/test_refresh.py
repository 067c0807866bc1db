"""The forecasting batch on both engines: a row for every product, figures equal to the one-series reference
and the advice rules, the backtest and its summary against a hand calculation, "not enough history", the
schedule and single-flight."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from shopcrm.db import Database
from shopcrm.forecasting.jobs import HOLDOUT_DAYS, refresh_forecasts
from shopcrm.inventory.advice import advise, z_score
from shopcrm.inventory.models import ForecastRun, ProductForecast
from tests.forecasting import reference
from tests.forecasting.helpers import catalog, today


async def _stored(database: Database) -> dict[int, ProductForecast]:
    async with database.sessionmaker() as session:
        return {f.product_id: f for f in (await session.scalars(select(ProductForecast))).all()}


async def test_the_batch_stores_every_product_with_figures_from_its_series(database, settings):
    known = await catalog(database, settings)
    done = await refresh_forecasts(database, settings=settings, force=True)
    assert done is not None
    assert done.products == len(known)
    assert done.forecasted == len(known) - 1  # YOUNG has 20 days
    stored = await _stored(database)
    assert set(stored) == {k.product.id for k in known.values()}
    z = z_score(settings.forecast_service_level)

    young = stored[known["YOUNG"].product.id]
    assert (young.status, young.need_rank, young.forecast_30d) == ("not_enough_history", None, None)
    assert young.reason == "not enough history: 20 days of sales history, a forecast needs 56"

    for sku in ("STEADY", "INTER", "DORMANT", "RECENT", "OLD"):
        k = known[sku]
        f = stored[k.product.id]
        rate = reference.tsb(k.series)
        sd = reference.sample_sd(k.series[-90:])
        assert f.status == "ok", sku
        assert f.history_days == len(k.series), sku
        assert f.daily_rate == pytest.approx(rate, abs=1e-4), sku
        assert f.forecast_30d == pytest.approx(rate * 30, abs=1e-3), sku
        assert f.demand_sd == pytest.approx(sd, abs=1e-4), sku
        a = advise(
            stock=k.product.stock,
            daily_rate=rate,
            demand_sd=sd,
            lead_days=k.product.reorder_lead_days,
            z=z,
            today=today(),
        )
        assert (f.need_rank, f.reorder_qty, f.reason) == (int(a.need), a.reorder_qty, a.reason), sku
        assert f.stockout_on == a.stockout_on, sku
        if len(k.series) - HOLDOUT_DAYS >= 56:
            train, held = k.series[:-HOLDOUT_DAYS], k.series[-HOLDOUT_DAYS:]
            assert f.backtest_actual == sum(held), sku
            assert f.backtest_forecast == pytest.approx(reference.tsb(train) * 30, abs=1e-3), sku
            assert f.backtest_naive == pytest.approx(sum(train[-30:]), abs=1e-3), sku
        else:
            assert (f.backtest_actual, f.backtest_forecast) == (None, None), sku

    steady = stored[known["STEADY"].product.id]
    assert steady.forecast_30d == pytest.approx(90.0)
    assert steady.reason.startswith("16 days of cover")  # 50 units at 3 a day, lead time 14: not yet critical
    dormant = stored[known["DORMANT"].product.id]
    assert (dormant.need_rank, dormant.reason) == (0, "no sales expected in the next 30 days")

    # The run's summary: the overall backtest against a hand calculation over the products with enough history.
    async with database.sessionmaker() as session:
        run = await session.get(ForecastRun, 1)
    assert run is not None
    assert run.method == "tsb"
    tested = [k.series for s, k in known.items() if s in ("STEADY", "INTER", "DORMANT", "OLD")]
    sold = sum(sum(s[-30:]) for s in tested)
    tsb = [reference.tsb(s[:-30]) * 30 for s in tested]
    naive = [sum(s[-60:-30]) for s in tested]
    by_method = {m["method"]: m for m in run.summary["methods"]}
    assert by_method["tsb"]["wape"] == pytest.approx(
        sum(abs(f - sum(s[-30:])) for f, s in zip(tsb, tested, strict=True)) / sold, abs=1e-6
    )
    assert by_method["tsb"]["bias"] == pytest.approx((sum(tsb) - sold) / sold, abs=1e-6)
    assert by_method["naive"]["wape"] == pytest.approx(
        sum(abs(f - sum(s[-30:])) for f, s in zip(naive, tested, strict=True)) / sold, abs=1e-6
    )
    assert by_method["tsb"]["products"] == 4
    assert set(by_method) == {"tsb", "croston_sba", "ewma", "naive"}
    kitchen = next(c for c in run.summary["categories"] if c["category"] == "Kitchen")
    inter = known["INTER"].series
    assert kitchen["products"] == 1  # RECENT is too young for the backtest
    assert kitchen["wape"] == pytest.approx(abs(reference.tsb(inter[:-30]) * 30 - sum(inter[-30:])) / sum(inter[-30:]))
    assert run.summary["not_enough_history"] == 1


async def test_a_refresh_is_due_only_after_the_interval(database, settings):
    await catalog(database, settings)
    assert await refresh_forecasts(database, settings=settings) is not None  # none stored yet: due
    assert await refresh_forecasts(database, settings=settings) is None  # fresh
    stale = settings.model_copy(update={"forecast_refresh_seconds": 0})
    assert await refresh_forecasts(database, settings=stale) is None  # 0: only the first
    async with database.transaction() as session:
        run = await session.get(ForecastRun, 1)
        assert run is not None
        run.computed_at = run.computed_at - dt.timedelta(seconds=settings.forecast_refresh_seconds + 1)
    assert await refresh_forecasts(database, settings=settings) is not None


async def test_a_new_product_and_new_sales_show_at_the_next_batch(database, settings, app_client, make_user):
    """The whole chain: orders through the API, the rollup, the batch."""
    from tests.factories import make_customer, make_product

    user = await make_user()
    headers = {"Authorization": f"Bearer {user.token}"}
    product = await make_product(database, sku="CHAIN", stock=1000)
    customer = await make_customer(database)
    base = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for k in range(1, 61):
        body = {
            "order_number": f"C-{k}",
            "customer_id": customer.id,
            "placed_at": (base - dt.timedelta(days=k)).isoformat(),
            "items": [{"sku": "CHAIN", "quantity": 2}],
        }
        assert (await app_client.post("/api/orders", json=body, headers=headers)).status_code == 201
    # The product row was made just now: its life in the window starts at its first sale, 60 days ago.
    done = await refresh_forecasts(database, settings=settings, force=True)
    assert done is not None
    f = (await _stored(database))[product.id]
    assert f.status == "ok"
    assert f.history_days == 60
    assert f.forecast_30d == pytest.approx(60.0)


@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
async def test_one_batch_at_a_time_on_postgresql(database, settings):
    await catalog(database, settings)
    async with database.engine.connect() as other:
        await other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": 0x53686F70466F7265})
        try:
            assert await refresh_forecasts(database, settings=settings, force=True) is None
        finally:
            await other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": 0x53686F70466F7265})
            await other.commit()
    assert await refresh_forecasts(database, settings=settings, force=True) is not None
