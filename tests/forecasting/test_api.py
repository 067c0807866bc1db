"""Forecasts through the inventory API on both engines: the need filter (and bad values), the need and cover
sorts, the CSV's forecast columns, a product's forecast with its backtest, the stock alerts and the summary."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from shopcrm.auth.models import Role
from shopcrm.forecasting.jobs import refresh_forecasts
from tests.forecasting.helpers import Known, catalog


@pytest.fixture
async def viewer(make_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def known(database, settings) -> dict[str, Known]:  # type: ignore[no-untyped-def]
    products = await catalog(database, settings)
    assert await refresh_forecasts(database, settings=settings, force=True) is not None
    return products


async def _all(client: httpx.AsyncClient, headers, params) -> list[dict]:  # type: ignore[no-untyped-def]
    items: list[dict] = []
    cursor = None
    while True:
        page = await client.get(
            "/api/inventory", params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return items


async def _all_backwards(client: httpx.AsyncClient, headers, params) -> list[dict]:  # type: ignore[no-untyped-def]
    """The whole list read from its last page back to its first through `prev_cursor`, in list order."""
    page = None
    cursor = None
    while True:
        extra = {"cursor": cursor} if cursor else {}
        page = (await client.get("/api/inventory", params={**params, "limit": 2, **extra}, headers=headers)).json()
        cursor = page["next_cursor"]
        if not cursor:
            break
    items: list[dict] = list(page["items"])
    while page["prev_cursor"]:
        back = {"limit": 2, "cursor": page["prev_cursor"]}
        page = (await client.get("/api/inventory", params={**params, **back}, headers=headers)).json()
        items = page["items"] + items
    return items


async def test_list_items_carry_their_forecast_and_filter_by_need(app_client, known, viewer):
    rows = await _all(app_client, viewer, {})
    by_sku = {r["sku"]: r for r in rows}
    assert by_sku["YOUNG"]["forecast"]["status"] == "not_enough_history"
    assert by_sku["YOUNG"]["forecast"]["need"] is None
    needs = {sku: r["forecast"]["need"] for sku, r in by_sku.items()}
    assert needs["DORMANT"] == "none"
    assert needs["INTER"] == "critical"  # 3 in stock, 10 days of lead time
    assert by_sku["STEADY"]["forecast"]["forecast_30d"] == pytest.approx(90.0)
    for wanted in (["critical"], ["none", "medium"], ["high", "critical", "low"]):
        got = await _all(app_client, viewer, {"need": wanted})
        assert {r["sku"] for r in got} == {s for s, n in needs.items() if n in wanted}, wanted
        first = (await app_client.get("/api/inventory", params={"need": wanted}, headers=viewer)).json()
        assert first["total"] == len(got)
    both = await _all(app_client, viewer, {"need": "none", "category": "Home"})
    assert {r["sku"] for r in both} == {s for s, n in needs.items() if n == "none" and by_sku[s]["category"] == "Home"}


@pytest.mark.parametrize("bad", ["urgent", "", "CRITICAL", "a\x00"])
async def test_a_bad_need_is_a_422_naming_it(app_client, known, viewer, bad):
    for path in ("/api/inventory", "/api/inventory.csv"):
        response = await app_client.get(path, params={"need": bad}, headers=viewer)
        assert response.status_code == 422, (path, response.text)
        assert any("need" in d["loc"] for d in response.json()["error"]["details"]), response.text


async def test_sorts_by_need_and_by_days_of_cover(app_client, known, viewer):
    rank = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
    for order in ("asc", "desc"):
        rows = await _all(app_client, viewer, {"sort": "need", "order": order})
        assert len(rows) == len(known)
        ranked = [rank[r["forecast"]["need"]] for r in rows if r["forecast"]["need"] is not None]
        assert ranked == sorted(ranked, reverse=order == "desc")
        # No level (not enough history) last both ways: most urgent first descending, then the unknown.
        assert rows[-1]["sku"] == "YOUNG"
        backwards = await _all_backwards(app_client, viewer, {"sort": "need", "order": order})
        assert [r["sku"] for r in backwards] == [r["sku"] for r in rows]
        rows = await _all(app_client, viewer, {"sort": "days_of_cover", "order": order})
        covers = [r["forecast"]["days_of_cover"] for r in rows if r["forecast"]["days_of_cover"] is not None]
        assert covers == sorted(covers, reverse=order == "desc")
        assert len(rows) == len(known)


async def test_csv_has_the_forecast_columns_of_the_list(app_client, known, viewer):
    for params in ({}, {"need": ["critical", "medium"]}):
        response = await app_client.get("/api/inventory.csv", params=params, headers=viewer)
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.text)))
        listed = await _all(app_client, viewer, params)
        assert [r["sku"] for r in rows] == [r["sku"] for r in listed]
        for row, item in zip(rows, listed, strict=True):
            f = item["forecast"]
            assert row["forecast_status"] == f["status"]
            assert row["need"] == (f["need"] or "")
            assert row["need_reason"] == f["reason"]
            assert row["forecast_30d"] == ("" if f["forecast_30d"] is None else str(f["forecast_30d"]))
            assert (float(row["days_of_cover"]) if row["days_of_cover"] else None) == f["days_of_cover"]
            assert row["stockout_on"] == (f["stockout_on"] or "")
            assert row["reorder_qty"] == ("" if f["reorder_qty"] is None else str(f["reorder_qty"]))


async def test_a_product_page_has_its_forecast_advice_and_backtest(app_client, known, viewer):
    inter = known["INTER"]
    body = (await app_client.get(f"/api/inventory/{inter.product.id}", headers=viewer)).json()
    f = body["forecast"]
    assert body["forecast_status"] == "ok"
    assert body["forecast_30d"] == f["forecast_30d"]
    assert f["method"] == "tsb"
    assert f["service_level"] == 0.95
    assert f["lead_days"] == 10
    assert f["need"] == "critical"
    assert f["reason"].endswith("now")
    b = f["backtest"]
    held = inter.series[-30:]
    assert b["sold"] == sum(held)
    assert b["error"] == pytest.approx(abs(b["forecast"] - sum(held)) / sum(held))
    assert b["naive"] == pytest.approx(sum(inter.series[-60:-30]))
    young = (await app_client.get(f"/api/inventory/{known['YOUNG'].product.id}", headers=viewer)).json()
    assert young["forecast_status"] == "not enough history"
    assert young["forecast"]["backtest"] is None
    assert young["forecast_30d"] is None
    recent = (await app_client.get(f"/api/inventory/{known['RECENT'].product.id}", headers=viewer)).json()
    assert recent["forecast"]["forecast_30d"] is not None
    assert recent["forecast"]["backtest"] is None


async def test_stock_alerts_include_what_runs_out_before_its_lead_time(app_client, known, viewer):
    body = (await app_client.get("/api/inventory/stats", headers=viewer)).json()
    alerts = {a["sku"]: a for a in body["alerts"]}
    # INTER: 3 in stock at ~0.8 a day, lead time 10 days; OLD: 40 at 2 a day, lead time 30 days. Both above
    # their low-stock threshold (10 for OLD), so only the forecast flags OLD.
    assert alerts["OLD"]["runs_out_before_lead_time"] is True
    assert alerts["OLD"]["stock_state"] == "in_stock"
    assert alerts["OLD"]["days_of_cover"] == pytest.approx(20.0, abs=0.1)
    assert "less than its reorder lead time of 30 days" in alerts["OLD"]["reason"]
    assert "STEADY" not in alerts  # 16 days of cover, lead time 14
    assert body["alerts_total"] == len(body["alerts"])
    covers = [a["days_of_cover"] for a in body["alerts"] if a["stock"] > 0 and a["days_of_cover"] is not None]
    assert covers == sorted(covers)


async def test_the_forecast_summary(app_client, database, settings, viewer):
    empty = (await app_client.get("/api/inventory/forecast", headers=viewer)).json()
    assert empty["computed"] is False
    assert empty["methods"] == []
    await catalog(database, settings)
    await refresh_forecasts(database, settings=settings, force=True)
    body = (await app_client.get("/api/inventory/forecast", headers=viewer)).json()
    assert body["computed"] is True
    assert body["method"] == "tsb"
    assert next(m["method"] for m in body["methods"]) == "tsb"
    assert {m["method"] for m in body["methods"]} == {"tsb", "croston_sba", "ewma", "naive"}
    assert (body["products"], body["forecasted"], body["not_enough_history"], body["backtested"]) == (6, 5, 1, 4)
    assert {c["category"] for c in body["categories"]} == {"Home", "Kitchen"}
    assert sum(n["products"] for n in body["needs"]) == 5
    assert [n["need"] for n in body["needs"]] == ["critical", "high", "medium", "low", "none"]
    assert (await app_client.get("/api/inventory/forecast")).status_code == 401


async def test_received_stock_and_a_new_lead_time_change_the_advice_at_once(app_client, known, make_user, database):
    from shopcrm.inventory.models import NeedLevel
    from tests.forecasting import reference
    from tests.forecasting.helpers import today

    user = await make_user(Role.marketer)
    writer = {"Authorization": f"Bearer {user.token}"}
    inter = known["INTER"]
    url = f"/api/inventory/{inter.product.id}"
    before = (await app_client.get(url, headers=writer)).json()["forecast"]
    assert before["need"] == "critical"
    response = await app_client.post(
        f"{url}/adjustments", json={"kind": "received", "quantity": 500, "reason": "PO 9"}, headers=writer
    )
    assert response.status_code == 201, response.text
    after = (await app_client.get(url, headers=writer)).json()["forecast"]
    rate = reference.tsb(inter.series)
    from shopcrm.inventory.advice import advise, z_score

    a = advise(
        stock=503,
        daily_rate=rate,
        demand_sd=reference.sample_sd(inter.series[-90:]),
        lead_days=10,
        z=z_score(0.95),
        today=today(),
    )
    assert a.need == NeedLevel.none
    assert (after["need"], after["reason"], after["stock"]) == ("none", a.reason, 503)
    assert after["forecast_30d"] == before["forecast_30d"]  # the same forecast
    listed = (await app_client.get("/api/inventory", params={"need": "none", "q": "INTER"}, headers=writer)).json()
    assert [r["sku"] for r in listed["items"]] == ["INTER"]
    # A longer lead time: more to cover before a delivery.
    assert (await app_client.patch(url, json={"reorder_lead_days": 3000}, headers=writer)).status_code == 200
    longer = (await app_client.get(url, headers=writer)).json()["forecast"]
    assert longer["need"] == "critical"
    assert longer["lead_days"] == 3000
