"""The inventory API on both engines: list filters and sorts, bad input, stats against an independent
calculation, the stock ledger (orders, cancels, adjustments), edits, the product page and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import httpx
import pytest

from shopcrm.auth.models import Role
from tests.factories import make_customer, make_product
from tests.inventory.helpers import ledger_mismatches


@pytest.fixture
async def writer(make_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def viewer(make_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


async def _catalog(database):  # type: ignore[no-untyped-def]
    specs = [
        ("Blue Mug", "MUG-1", "Kitchen", "12.00", "5.00", 40, 10),
        ("Red Mug", "MUG-2", "Kitchen", "14.50", "6.00", 8, 10),
        ("Teapot", "POT-1", "Kitchen", "35.00", None, 0, 5),
        ("Desk Lamp", "LAMP-1", "Home", "49.99", "20.00", 3, 5),
        ("=cmd|' /C calc'!A0", "EVIL-1", "Home", "1.00", "0.50", 100, 10),
        ("Candle", "CAN-1", "Home", "7.25", "2.10", 25, 10),
    ]
    out = {}
    for name, sku, category, price, cost, stock, threshold in specs:
        out[sku] = await make_product(
            database,
            name=name,
            sku=sku,
            category=category,
            price=Decimal(price),
            cost=Decimal(cost) if cost else None,
            stock=stock,
            low_stock_threshold=threshold,
        )
    return out


async def _all_pages(client: httpx.AsyncClient, headers, params) -> list[dict]:  # type: ignore[no-untyped-def]
    items: list[dict] = []
    cursor = None
    while True:
        response = await client.get(
            "/api/inventory", params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


async def test_list_filters_search_and_sorts(app_client, database, viewer):
    await _catalog(database)
    rows = await _all_pages(app_client, viewer, {"min_price": "10", "max_price": "40"})
    assert [r["sku"] for r in rows] == ["MUG-1", "MUG-2", "POT-1"]  # by name: Blue Mug, Red Mug, Teapot
    rows = await _all_pages(app_client, viewer, {"q": "mug"})
    assert {r["sku"] for r in rows} == {"MUG-1", "MUG-2"}
    rows = await _all_pages(app_client, viewer, {"q": "lamp-"})
    assert [r["sku"] for r in rows] == ["LAMP-1"]
    rows = await _all_pages(app_client, viewer, {"q": "%"})
    assert rows == []
    rows = await _all_pages(app_client, viewer, {"stock_state": ["low", "out"]})
    assert {r["sku"]: r["stock_state"] for r in rows} == {"MUG-2": "low", "POT-1": "out", "LAMP-1": "low"}
    rows = await _all_pages(app_client, viewer, {"stock_state": "in_stock", "category": "Home"})
    assert {r["sku"] for r in rows} == {"EVIL-1", "CAN-1"}
    for sort, key in [
        ("price", "price"),
        ("stock", "stock"),
        ("sku", "sku"),
        ("category", "category"),
        ("name", "name"),
    ]:
        for order in ("asc", "desc"):
            rows = await _all_pages(app_client, viewer, {"sort": sort, "order": order})
            values = [Decimal(r[key]) if key == "price" else r[key] for r in rows]
            assert values == sorted(values, reverse=order == "desc"), (sort, order)
            assert len(rows) == 6
    rows = await _all_pages(app_client, viewer, {"sort": "cost", "order": "asc"})
    assert rows[-1]["sku"] == "POT-1"  # no cost: last ascending
    costs = [Decimal(r["cost"]) for r in rows[:-1]]
    assert costs == sorted(costs)
    first = (await app_client.get("/api/inventory", params={"limit": 2}, headers=viewer)).json()
    assert first["total"] == 6
    assert first["total_exact"]


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"min_price": "50", "max_price": "10"}, "max_price"),
        ({"min_price": "-1"}, "min_price"),
        ({"max_price": "-0.01"}, "max_price"),
        ({"max_price": "1e30"}, "max_price"),
        ({"category": "Nope"}, "category"),
        ({"stock_state": "some"}, "stock_state"),
        ({"sort": "secret"}, "sort"),
        ({"cursor": "abc.def"}, "cursor"),
        ({"limit": "1000"}, "limit"),
        ({"q": "a\x00b"}, "q"),
    ],
)
async def test_bad_filters_are_a_422_naming_the_parameter(app_client, database, viewer, params, loc):
    await _catalog(database)
    for path in ("/api/inventory", "/api/inventory.csv"):
        if path.endswith(".csv") and loc in {"sort", "cursor", "limit"}:
            continue
        response = await app_client.get(path, params=params, headers=viewer)
        assert response.status_code == 422, (path, response.text)
        assert any(loc in d["loc"] for d in response.json()["error"]["details"]), response.text


async def test_stats_match_an_independent_calculation(app_client, database, viewer):
    await _catalog(database)
    specs = {
        "Kitchen": [("12.00", "5.00", 40, 10), ("14.50", "6.00", 8, 10), ("35.00", None, 0, 5)],
        "Home": [("49.99", "20.00", 3, 5), ("1.00", "0.50", 100, 10), ("7.25", "2.10", 25, 10)],
    }

    def figures(rows):  # type: ignore[no-untyped-def]
        return {
            "products": len(rows),
            "units": sum(r[2] for r in rows),
            "value_at_cost": str(
                sum((Decimal(r[1] or 0) * r[2] for r in rows), Decimal("0")).quantize(Decimal("0.01"))
            ),
            "value_at_price": str(sum((Decimal(r[0]) * r[2] for r in rows), Decimal("0")).quantize(Decimal("0.01"))),
            "without_cost": sum(1 for r in rows if r[1] is None),
            "low": sum(1 for r in rows if 0 < r[2] <= r[3]),
            "out": sum(1 for r in rows if r[2] == 0),
        }

    body = (await app_client.get("/api/inventory/stats", headers=viewer)).json()
    expected = figures(specs["Kitchen"] + specs["Home"])
    assert {k: body[k] for k in expected} == expected
    assert expected["value_at_price"] == "1027.22"  # 480 + 116 + 0 + 149.97 + 100 + 181.25
    for category in body["categories"]:
        want = figures(specs[category["category"]])
        assert {k: category[k] for k in want} == want
    assert [a["sku"] for a in body["alerts"]] == ["POT-1", "LAMP-1", "MUG-2"]  # out, then 3/5, then 8/10
    assert body["alerts_total"] == 3


async def test_orders_cancels_and_adjustments_write_the_ledger(app_client, database, writer):
    products = await _catalog(database)
    customer = await make_customer(database)
    mug = products["MUG-1"]
    body = {
        "order_number": "L-1",
        "customer_id": customer.id,
        "items": [{"sku": "MUG-1", "quantity": 3}, {"sku": "MUG-1", "quantity": 2}],
    }
    order = await app_client.post("/api/orders", json=body, headers=writer)
    assert order.status_code == 201, order.text
    response = await app_client.post(
        f"/api/inventory/{mug.id}/adjustments",
        json={"kind": "received", "quantity": 20, "reason": "PO 77"},
        headers=writer,
    )
    assert response.status_code == 201, response.text
    assert response.json()["product"]["stock"] == 55
    assert (
        await app_client.patch(f"/api/orders/{order.json()['id']}", json={"status": "cancelled"}, headers=writer)
    ).status_code == 200
    response = await app_client.post(
        f"/api/inventory/{mug.id}/adjustments",
        json={"kind": "correction", "counted": 57, "reason": "stocktake"},
        headers=writer,
    )
    assert response.status_code == 201, response.text
    assert response.json()["movement"]["quantity"] == -3

    moves = (await app_client.get(f"/api/inventory/{mug.id}/movements", headers=writer)).json()["items"]
    assert [(m["kind"], m["quantity"], m["stock_after"]) for m in moves] == [
        ("correction", -3, 57),
        ("order_returned", 5, 60),
        ("received", 20, 55),
        ("order_taken", -5, 35),
        ("opening", 40, 40),
    ]
    assert moves[1]["order_id"] == order.json()["id"]
    assert moves[1]["user_id"] is not None
    assert moves[2]["reason"] == "PO 77"
    assert await ledger_mismatches(database) == []
    # Paging through the movements
    page = (await app_client.get(f"/api/inventory/{mug.id}/movements", params={"limit": 2}, headers=writer)).json()
    nxt = (
        await app_client.get(
            f"/api/inventory/{mug.id}/movements", params={"limit": 2, "cursor": page["next_cursor"]}, headers=writer
        )
    ).json()
    assert [m["kind"] for m in page["items"] + nxt["items"]] == [
        "correction",
        "order_returned",
        "received",
        "order_taken",
    ]


async def test_a_refused_order_writes_no_movement(app_client, database, writer):
    products = await _catalog(database)
    customer = await make_customer(database)
    body = {
        "order_number": "L-2",
        "customer_id": customer.id,
        "items": [{"sku": "MUG-1", "quantity": 1}, {"sku": "POT-1", "quantity": 1}],
    }
    assert (await app_client.post("/api/orders", json=body, headers=writer)).status_code == 409
    moves = (await app_client.get(f"/api/inventory/{products['MUG-1'].id}/movements", headers=writer)).json()["items"]
    assert [m["kind"] for m in moves] == ["opening"]
    assert await ledger_mismatches(database) == []


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"kind": "received", "quantity": 0, "reason": "x"}, "quantity"),
        ({"kind": "received", "quantity": -5, "reason": "x"}, "quantity"),
        ({"kind": "received", "quantity": 10**30, "reason": "x"}, "quantity"),
        ({"kind": "received", "quantity": 2_000_000_000, "reason": "x"}, "quantity"),
        ({"kind": "received", "reason": "x"}, "quantity"),
        ({"kind": "correction", "counted": -1, "reason": "x"}, "counted"),
        ({"kind": "correction", "reason": "x"}, "counted"),
        ({"kind": "received", "quantity": 1, "reason": "   "}, "reason"),
        ({"kind": "received", "quantity": 1}, "reason"),
        ({"kind": "received", "quantity": 1, "reason": "a\u0000"}, "body"),
        ({"kind": "stolen", "quantity": 1, "reason": "x"}, "kind"),
    ],
)
async def test_bad_adjustments_are_refused_and_write_nothing(app_client, database, writer, body, loc):
    products = await _catalog(database)
    lamp = products["LAMP-1"]
    for _ in range(2):  # the second pushes 1,000,000,000 + 1,000,000,000 past the column
        response = await app_client.post(f"/api/inventory/{lamp.id}/adjustments", json=body, headers=writer)
        if body.get("quantity") == 2_000_000_000 and response.status_code == 201:
            continue
        assert response.status_code == 422, response.text
        assert any(loc in d["loc"] for d in response.json()["error"]["details"]), response.text
        break
    assert await ledger_mismatches(database) == []


async def test_adjustments_need_a_writer_and_a_product(app_client, database, viewer, writer):
    products = await _catalog(database)
    body = {"kind": "received", "quantity": 1, "reason": "x"}
    assert (
        await app_client.post(f"/api/inventory/{products['MUG-1'].id}/adjustments", json=body, headers=viewer)
    ).status_code == 403
    assert (await app_client.post("/api/inventory/999999/adjustments", json=body, headers=writer)).status_code == 404
    assert (
        await app_client.post("/api/inventory/99999999999999999999/adjustments", json=body, headers=writer)
    ).status_code == 422
    assert (await app_client.get("/api/inventory/999999", headers=writer)).status_code == 404
    assert (await app_client.get("/api/inventory/999999/movements", headers=writer)).status_code == 404


async def test_edit_price_cost_threshold_lead_time(app_client, database, writer, viewer):
    products = await _catalog(database)
    mug = products["MUG-2"]
    url = f"/api/inventory/{mug.id}"
    response = await app_client.patch(
        url, json={"price": "15.00", "cost": None, "low_stock_threshold": 5, "reorder_lead_days": 21}, headers=writer
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (
        body["price"],
        body["cost"],
        body["low_stock_threshold"],
        body["reorder_lead_days"],
        body["stock_state"],
    ) == ("15.00", None, 5, 21, "in_stock")
    assert (await app_client.patch(url, json={"price": "1"}, headers=viewer)).status_code == 403
    for bad, loc in [
        ({"price": "-1"}, "price"),
        ({"price": None}, "price"),
        ({"price": "1.001"}, "price"),
        ({"price": "1e20"}, "price"),
        ({"low_stock_threshold": -1}, "low_stock_threshold"),
        ({"reorder_lead_days": 100000}, "reorder_lead_days"),
        ({"stock": 5}, "stock"),
    ]:
        response = await app_client.patch(url, json=bad, headers=writer)
        assert response.status_code == 422, (bad, response.text)
        assert any(loc in d["loc"] for d in response.json()["error"]["details"]), response.text


async def test_product_page_has_its_daily_sales(app_client, database, writer):
    products = await _catalog(database)
    customer = await make_customer(database)
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=30, second=0, microsecond=0)
    placed = [
        (today, 2),
        (today - dt.timedelta(days=1), 3),
        (today - dt.timedelta(days=40), 4),
        (today - dt.timedelta(days=95), 5),
    ]
    for n, (when, qty) in enumerate(placed):
        body = {
            "order_number": f"S-{n}",
            "customer_id": customer.id,
            "placed_at": when.isoformat(),
            "items": [{"sku": "CAN-1", "quantity": qty}],
        }
        assert (await app_client.post("/api/orders", json=body, headers=writer)).status_code == 201
    cancelled = {
        "order_number": "S-X",
        "customer_id": customer.id,
        "placed_at": today.isoformat(),
        "items": [{"sku": "CAN-1", "quantity": 1}],
    }
    order_id = (await app_client.post("/api/orders", json=cancelled, headers=writer)).json()["id"]
    await app_client.patch(f"/api/orders/{order_id}", json={"status": "cancelled"}, headers=writer)

    body = (await app_client.get(f"/api/inventory/{products['CAN-1'].id}", headers=writer)).json()
    assert len(body["sales"]) == 90
    by_day = {s["day"]: s for s in body["sales"]}
    assert by_day[today.date().isoformat()]["units"] == 2
    assert by_day[today.date().isoformat()]["revenue"] == "14.50"
    assert by_day[(today - dt.timedelta(days=1)).date().isoformat()]["units"] == 3
    assert body["units_30d"] == 5
    assert body["units_90d"] == 9
    assert body["velocity_30d"] == round(5 / 30, 4)
    assert body["days_of_cover"] == round(body["product"]["stock"] / (5 / 30), 1)
    assert body["forecast_30d"] is None
    assert body["forecast_status"] == "not computed yet"
    stats = await app_client.get("/api/inventory/stats", headers=writer)
    assert stats.status_code == 200  # "stats" is not taken for a product id


async def test_csv_export_equals_the_filtered_list_and_neutralises_formulas(app_client, database, viewer):
    await _catalog(database)
    for params in (
        {},
        {"min_price": "5", "max_price": "20"},
        {"category": "Home", "stock_state": ["low", "in_stock"]},
        {"q": "="},
    ):
        response = await app_client.get("/api/inventory.csv", params=params, headers=viewer)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        listed = await _all_pages(app_client, viewer, params)
        assert [r["sku"] for r in rows] == [r["sku"] for r in listed]
        for row, item in zip(rows, listed, strict=True):
            assert row["price"] == item["price"]
            assert row["stock"] == str(item["stock"])
            assert row["cost"] == (item["cost"] or "")
            assert row["stock_state"] == item["stock_state"]
            name = item["name"]
            assert row["name"] == ("'" + name if name[0] in "=+-@\t\r" else name)
    response = await app_client.get("/api/inventory.csv", params={"q": "="}, headers=viewer)
    assert "'=cmd" in response.text
    assert (await app_client.get("/api/inventory.csv")).status_code == 401


def test_csv_cell_neutralises_every_formula_start():
    from shopcrm.core.csv_export import csv_cell, csv_lines

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}1+1") == f"'{start}1+1"
    assert csv_cell("plain") == "plain"
    assert csv_cell(None) == ""
    assert csv_cell(Decimal("1.50")) == "1.50"
    assert csv_lines([["a,b", 'q"']]) == '"a,b","q"""\r\n'


@pytest.mark.parametrize("path", ["/api/inventory", "/api/inventory.csv"])
async def test_a_one_value_parameter_given_twice_is_a_422_naming_it(app_client, writer, path):
    response = await app_client.get(path, params=[("q", "mug"), ("q", "cup")], headers=writer)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["loc"] == ["query", "q"]
    many = await app_client.get(path, params=[("category", "x"), ("category", "y")], headers=writer)
    assert many.status_code != 500  # a list parameter may repeat (an unknown category is its own 422)
