"""GET /api/orders.csv and /api/products.csv on both engines: the orders list's filters and order, one row
per order line with the order repeated; the inventory list's products in the products format."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from itertools import groupby
from typing import Any

import httpx
import pytest

from shopcrm.auth.models import Role
from shopcrm.core import csv_formats
from shopcrm.db import Database
from tests.factories import make_customer, make_product


@pytest.fixture
async def writer(make_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


async def _shop(client: httpx.AsyncClient, database: Database, writer: dict[str, str]) -> None:
    olga = await make_customer(database, first_name="Olga", last_name="Orders", email="olga@example.com")
    zed = await make_customer(database, first_name="Zed", last_name="Zulu", email="zed@example.com")
    await make_product(database, sku="MUG-1", name="Mug", price=Decimal("12.50"), stock=500, category="Kitchen")
    await make_product(database, sku="TEE-1", name="-Tee, large", price=Decimal("20.00"), stock=500, category="Apparel")
    await make_product(database, sku="POT-1", name="Pot", price=Decimal("7.05"), stock=500, category="Kitchen")
    lines = [
        [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1, "unit_price": "18.00"}],
        [{"sku": "POT-1", "quantity": 3}],
        [{"sku": "TEE-1", "quantity": 1}, {"sku": "POT-1", "quantity": 1}, {"sku": "MUG-1", "quantity": 5}],
    ]
    for n in range(14):
        customer = olga if n % 3 else zed
        body = {
            "order_number": f"W-{n:03d}",
            "customer_id": customer.id,
            "placed_at": f"2026-{1 + n % 6:02d}-{1 + n % 4:02d}T10:{n:02d}:00Z",
            "items": lines[n % 3],
            "shipping": {
                "name": "=cmd|' /C calc'!A0" if n == 5 else f"{customer.first_name} {customer.last_name}",
                "address1": f"{n} Main St, Flat 2",
                "city": "Berlin",
                "postal_code": "10115",
                "country": "DE",
            },
        }
        created = await client.post("/api/orders", json=body, headers=writer)
        assert created.status_code == 201, created.text
        if n % 4 == 1:
            await client.patch(f"/api/orders/{created.json()['id']}", json={"status": "paid"}, headers=writer)
        if n % 7 == 3:
            await client.patch(f"/api/orders/{created.json()['id']}", json={"status": "cancelled"}, headers=writer)


async def _listed(client: httpx.AsyncClient, headers: dict[str, str], params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await client.get(
            "/api/orders", params={**params, "limit": 4, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


FILTERS: list[dict[str, Any]] = [
    {},
    {"status": "paid"},
    {"status": "cancelled", "sort": "order_number", "order": "asc"},
    {"q": "zul"},
    {"q": "olga@", "sort": "total_amount", "order": "asc"},
    {"order_number": "w-00"},
    {"placed_from": "2026-02-01", "placed_to": "2026-04-30", "sort": "placed_at", "order": "asc"},
    {"sort": "total_amount", "order": "desc"},
    {"q": "nobody"},
]


@pytest.mark.parametrize("params", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
async def test_orders_file_is_the_filtered_list_one_row_per_line(app_client, database, writer, params):
    await _shop(app_client, database, writer)
    response = await app_client.get("/api/orders.csv", params=params, headers=writer)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    reader = csv.reader(io.StringIO(response.text))
    assert tuple(next(reader)) == csv_formats.ORDERS
    rows = [dict(zip(csv_formats.ORDERS, r, strict=True)) for r in reader]
    listed = await _listed(app_client, writer, params)
    grouped = [(number, list(lines)) for number, lines in groupby(rows, key=lambda r: r["order_number"])]
    assert [number for number, _ in grouped] == [o["order_number"] for o in listed]
    for (_, lines), order in zip(grouped, listed, strict=True):
        details = (await app_client.get(f"/api/orders/{order['id']}", headers=writer)).json()
        assert len(lines) == order["item_count"] == len(details["items"])
        for line, item in zip(lines, details["items"], strict=True):
            shipping = details["shipping"]
            assert line == {
                "order_number": order["order_number"],
                "placed_at": order["placed_at"].replace("+00:00", "Z"),
                "status": order["status"],
                "currency": "USD",
                "customer_email": order["customer_email"],
                "total_amount": order["total_amount"],
                "sku": item["sku"],
                "product_name": _safe(item["product_name"]),
                "quantity": str(item["quantity"]),
                "price": item["unit_price"],
                "shipping_name": _safe(shipping["name"]),
                "shipping_address1": shipping["address1"],
                "shipping_address2": "",
                "shipping_city": "Berlin",
                "shipping_postal_code": "10115",
                "shipping_country": "DE",
            }
        # The lines add up to the order's total.
        total = sum(Decimal(line["price"]) * int(line["quantity"]) for line in lines)
        assert total == Decimal(order["total_amount"])


async def test_orders_file_neutralises_formulas_and_needs_a_login(app_client, database, writer, make_user):
    await _shop(app_client, database, writer)
    text = (await app_client.get("/api/orders.csv", params={"order_number": "W-005"}, headers=writer)).text
    assert "'=cmd|' /C calc'!A0" in text
    assert "'-Tee, large" in text
    assert "\n=" not in text
    assert ",=" not in text
    assert (await app_client.get("/api/orders.csv")).status_code == 401
    viewer = await make_user(Role.viewer)
    assert (
        await app_client.get("/api/orders.csv", headers={"Authorization": f"Bearer {viewer.token}"})
    ).status_code == 200
    for params, loc in [
        ({"status": "lost"}, "status"),
        ({"placed_from": "2026-13-01"}, "placed_from"),
        ({"customer_id": "0"}, "customer_id"),
        ({"cursor": "x.y"}, "cursor"),
    ]:
        response = await app_client.get("/api/orders.csv", params=params, headers=writer)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"][0]["loc"][-1] == loc


async def test_products_file_is_the_inventory_list_in_the_products_format(app_client, database, writer):
    await make_product(
        database,
        sku="B-1",
        name="Bowl",
        price=Decimal("9.90"),
        cost=Decimal("3.10"),
        stock=4,
        category="Kitchen",
        low_stock_threshold=5,
        reorder_lead_days=14,
    )
    await make_product(database, sku="A-1", name="@Apron", price=Decimal("15.00"), stock=0, category="Apparel")
    await make_product(database, sku="C-1", name="Cup", price=Decimal("4.00"), stock=50, category="Kitchen")
    for params in ({}, {"category": "Kitchen"}, {"stock_state": ["low", "out"]}):
        response = await app_client.get("/api/products.csv", params=params, headers=writer)
        assert response.status_code == 200
        reader = csv.reader(io.StringIO(response.text))
        assert tuple(next(reader)) == csv_formats.PRODUCTS
        rows = [dict(zip(csv_formats.PRODUCTS, r, strict=True)) for r in reader]
        listed = (await app_client.get("/api/inventory", params={**params, "limit": 100}, headers=writer)).json()
        assert [r["sku"] for r in rows] == [p["sku"] for p in listed["items"]]
        by_sku = defaultdict(dict, {p["sku"]: p for p in listed["items"]})
        for row in rows:
            p = by_sku[row["sku"]]
            assert row == {
                "sku": p["sku"],
                "name": _safe(p["name"]),
                "category": p["category"],
                "price": p["price"],
                "cost": p["cost"] or "",
                "stock": str(p["stock"]),
                "low_stock_threshold": str(p["low_stock_threshold"]),
                "reorder_lead_days": str(p["reorder_lead_days"]),
            }
    assert (await app_client.get("/api/products.csv")).status_code == 401


async def test_the_products_file_takes_the_need_level_filter(app_client: httpx.AsyncClient, writer):
    """The list's need filter names a forecast column: the file joins the forecasts for it (none computed
    here, so no product has a need level yet), and a level that does not exist is a 422 naming `need`."""
    response = await app_client.get("/api/products.csv", params={"need": "none"}, headers=writer)
    assert response.status_code == 200, response.text
    assert response.text.splitlines()[1:] == []
    bad = await app_client.get("/api/products.csv", params={"need": "urgent"}, headers=writer)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["loc"][-2:] in (["query", "need"], ["need", 0])
