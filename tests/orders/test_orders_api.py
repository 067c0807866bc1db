"""Orders over HTTP on both engines: ingestion, idempotency, stock, customer figures, transitions, lists."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select, update

from shopcrm.auth.models import Role
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.inventory.models import Product
from shopcrm.orders.models import Order, OrderItem
from tests.factories import make_customer, make_product


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def shop(database: Database) -> dict:
    customer = await make_customer(database, first_name="Olga", last_name="Orders", email="olga@example.com")
    mug = await make_product(database, sku="MUG-1", name="Mug", price=Decimal("12.50"), stock=10, category="Kitchen")
    tee = await make_product(database, sku="TEE-1", name="Tee", price=Decimal("20.00"), stock=5, category="Apparel")
    return {"customer": customer, "mug": mug, "tee": tee}


def order_body(shop: dict, number: str = "1001", **extra: object) -> dict:
    return {
        "order_number": number,
        "customer_id": shop["customer"].id,
        "placed_at": "2026-11-01T10:00:00Z",
        "items": [{"sku": "MUG-1", "quantity": 2}, {"sku": "TEE-1", "quantity": 1, "unit_price": "18.00"}],
        "shipping": {"name": "Olga Orders", "address1": "1 Main St", "city": "Berlin", "country": "DE"},
        **extra,
    }


async def _state(database: Database, shop: dict) -> tuple[Customer, dict[str, int]]:
    async with database.sessionmaker() as session:
        customer = await session.get(Customer, shop["customer"].id)
        stock = dict((await session.execute(select(Product.sku, Product.stock))).all())
    assert customer is not None
    return customer, stock


async def test_ingestion_takes_stock_and_updates_the_customer(app_client: httpx.AsyncClient, writer, shop, database):
    response = await app_client.post("/api/orders", json=order_body(shop), headers=writer)
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["total_amount"] == "43.00"  # 2 x 12.50 + 1 x 18.00 (the price sent wins over the list price)
    assert [(i["sku"], i["quantity"], i["line_total"]) for i in order["items"]] == [
        ("MUG-1", 2, "25.00"),
        ("TEE-1", 1, "18.00"),
    ]
    assert order["customer"]["email"] == "olga@example.com"
    assert order["shipping"]["city"] == "Berlin"
    assert [(h["from_status"], h["to_status"]) for h in order["history"]] == [(None, "pending")]
    assert order["allowed_transitions"] == ["paid", "cancelled"]

    customer, stock = await _state(database, shop)
    assert customer.total_spend == Decimal("43.00")
    assert customer.total_orders == 1
    assert customer.first_order_at == customer.last_order_at
    assert stock == {"MUG-1": 8, "TEE-1": 4}


async def test_the_same_order_number_never_makes_a_second_order(app_client: httpx.AsyncClient, writer, shop, database):
    first = await app_client.post("/api/orders", json=order_body(shop), headers=writer)
    again = await app_client.post("/api/orders", json=order_body(shop), headers=writer)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    different = await app_client.post(
        "/api/orders", json={**order_body(shop), "items": [{"sku": "MUG-1", "quantity": 1}]}, headers=writer
    )
    assert different.status_code == 409
    assert different.json()["error"]["details"][0]["loc"] == ["body", "order_number"]
    customer, stock = await _state(database, shop)
    assert customer.total_orders == 1
    assert stock == {"MUG-1": 8, "TEE-1": 4}


async def test_a_repeat_is_answered_even_after_the_stock_ran_out(app_client: httpx.AsyncClient, writer, shop, database):
    first = await app_client.post("/api/orders", json=order_body(shop), headers=writer)
    assert first.status_code == 201
    async with database.sessionmaker() as session:
        await session.execute(update(Product).values(stock=0))
        await session.commit()
    again = await app_client.post("/api/orders", json=order_body(shop), headers=writer)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    customer, stock = await _state(database, shop)
    assert (customer.total_orders, customer.total_spend) == (1, Decimal("43.00"))
    assert stock == {"MUG-1": 0, "TEE-1": 0}
    another = await app_client.post("/api/orders", json=order_body(shop, "1002"), headers=writer)
    assert another.status_code == 409
    assert another.json()["error"]["details"][0]["loc"] == ["body", "items", 0, "quantity"]


@pytest.mark.parametrize(
    ("change", "status", "loc"),
    [
        ({"items": [{"sku": "NOPE", "quantity": 1}]}, 404, ["body", "items", 0, "sku"]),
        ({"customer_id": 987654}, 404, ["body", "customer_id"]),
        ({"items": [{"sku": "MUG-1", "quantity": -1}]}, 422, ["body", "items", 0, "quantity"]),
        ({"items": [{"sku": "MUG-1", "quantity": "2"}]}, 422, ["body", "items", 0, "quantity"]),
        ({"items": [{"sku": "MUG-1", "quantity": 1, "unit_price": 12.5}]}, 422, ["body", "items", 0, "unit_price"]),
        ({"items": []}, 422, ["body", "items"]),
        ({"placed_at": "2026-11-01T10:00:00"}, 422, ["body", "placed_at"]),
        ({"status": "delivered"}, 422, ["body", "status"]),
        ({"discount": "5.00"}, 422, ["body", "discount"]),
        (
            {"items": [{"sku": "TEE-1", "quantity": 3}, {"sku": "TEE-1", "quantity": 3}]},
            409,
            ["body", "items", 0, "quantity"],
        ),
        # Several things wrong: the first refusal in create_order's order is the one answered.
        ({"customer_id": 987654, "items": [{"sku": "TEE-1", "quantity": 50}]}, 404, ["body", "customer_id"]),
        (
            {"items": [{"sku": "TEE-1", "quantity": 50}, {"sku": "NOPE", "quantity": 1}]},
            404,
            ["body", "items", 1, "sku"],
        ),
        (
            {"items": [{"sku": "TEE-1", "quantity": 50, "unit_price": "9999999999.99"}]},
            422,
            ["body", "items"],
        ),
    ],
)
async def test_bad_orders_are_refused_and_change_nothing(
    app_client: httpx.AsyncClient, writer, shop, database, change: dict, status: int, loc: list
):
    response = await app_client.post("/api/orders", json={**order_body(shop), **change}, headers=writer)
    assert response.status_code == status, response.text
    assert loc in [d["loc"] for d in response.json()["error"]["details"]]
    customer, stock = await _state(database, shop)
    assert (customer.total_orders, customer.total_spend) == (0, Decimal("0"))
    assert stock == {"MUG-1": 10, "TEE-1": 5}
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Order)) == 0
        assert await session.scalar(select(func.count()).select_from(OrderItem)) == 0


async def test_transitions_follow_the_rules_and_cancel_gives_everything_back(
    app_client: httpx.AsyncClient, writer, shop, database
):
    early = await app_client.post(
        "/api/orders", json=order_body(shop, "A-1", placed_at="2026-01-01T00:00:00Z"), headers=writer
    )
    late = await app_client.post(
        "/api/orders",
        json=order_body(shop, "A-2", placed_at="2026-06-01T00:00:00Z", items=[{"sku": "MUG-1", "quantity": 1}]),
        headers=writer,
    )
    order_id = early.json()["id"]

    invalid = await app_client.patch(f"/api/orders/{order_id}", json={"status": "delivered"}, headers=writer)
    assert invalid.status_code == 409
    assert invalid.json()["error"]["details"][0]["loc"] == ["body", "status"]

    for status in ["paid", "processing", "shipped"]:
        response = await app_client.patch(f"/api/orders/{order_id}", json={"status": status}, headers=writer)
        assert response.status_code == 200, response.text
    customer, stock = await _state(database, shop)
    assert customer.total_orders == 2
    assert stock == {"MUG-1": 7, "TEE-1": 4}

    refunded = await app_client.patch(f"/api/orders/{order_id}", json={"status": "refunded"}, headers=writer)
    assert refunded.status_code == 200
    body = refunded.json()
    assert [h["to_status"] for h in body["history"]] == ["pending", "paid", "processing", "shipped", "refunded"]
    assert body["history"][-1]["changed_by"] == "Test marketer"
    assert body["allowed_transitions"] == []

    customer, stock = await _state(database, shop)
    assert customer.total_orders == 1
    assert customer.total_spend == Decimal("12.50")
    assert customer.first_order_at == customer.last_order_at  # only the June order still counts
    assert customer.first_order_at is not None
    assert customer.first_order_at.month == 6
    assert stock == {"MUG-1": 9, "TEE-1": 5}

    final = await app_client.patch(f"/api/orders/{order_id}", json={"status": "paid"}, headers=writer)
    assert final.status_code == 409

    cancel = await app_client.patch(f"/api/orders/{late.json()['id']}", json={"status": "cancelled"}, headers=writer)
    assert cancel.status_code == 200
    customer, stock = await _state(database, shop)
    assert (customer.total_orders, customer.total_spend) == (0, Decimal("0.00"))
    assert customer.first_order_at is None
    assert customer.last_order_at is None
    assert stock == {"MUG-1": 10, "TEE-1": 5}


async def test_list_has_status_counts_search_and_lookup(app_client: httpx.AsyncClient, writer, shop, database):
    other = await make_customer(database, first_name="Zed", last_name="Zulu", email="zed@example.com")
    for n in range(3):
        await app_client.post(
            "/api/orders", json=order_body(shop, f"W-{n}", items=[{"sku": "MUG-1", "quantity": 1}]), headers=writer
        )
    zed = await app_client.post(
        "/api/orders",
        json={**order_body(shop, "Z-9", items=[{"sku": "TEE-1", "quantity": 1}]), "customer_id": other.id},
        headers=writer,
    )
    await app_client.patch(f"/api/orders/{zed.json()['id']}", json={"status": "paid"}, headers=writer)

    everything = (await app_client.get("/api/orders", headers=writer)).json()
    assert everything["total"] == 4
    assert everything["status_counts"]["all"] == 4
    assert everything["status_counts"]["pending"] == 3
    assert everything["status_counts"]["paid"] == 1
    assert everything["status_counts"]["delivered"] == 0
    assert {row["item_count"] for row in everything["items"]} == {1}

    paid = (await app_client.get("/api/orders", params={"status": "paid"}, headers=writer)).json()
    assert [row["order_number"] for row in paid["items"]] == ["Z-9"]
    assert paid["status_counts"]["pending"] == 3  # counts ignore the tab itself

    by_customer = (await app_client.get("/api/orders", params={"q": "zul"}, headers=writer)).json()
    assert [row["customer_name"] for row in by_customer["items"]] == ["Zed Zulu"]
    by_email = (await app_client.get("/api/orders", params={"q": "olga@"}, headers=writer)).json()
    assert by_email["total"] == 3
    lookup = (await app_client.get("/api/orders", params={"order_number": "w-1"}, headers=writer)).json()
    assert [row["order_number"] for row in lookup["items"]] == ["W-1"]

    by_amount = await app_client.get("/api/orders", params={"sort": "total_amount", "order": "asc"}, headers=writer)
    amounts = [Decimal(row["total_amount"]) for row in by_amount.json()["items"]]
    assert amounts == sorted(amounts)


async def test_customer_details_reflect_orders(app_client: httpx.AsyncClient, writer, shop):
    for n, day in enumerate(["2026-08-01", "2026-09-01", "2026-10-01"]):
        await app_client.post(
            "/api/orders",
            json=order_body(shop, f"D-{n}", placed_at=f"{day}T12:00:00Z", items=[{"sku": "MUG-1", "quantity": 1}]),
            headers=writer,
        )
    details = (await app_client.get(f"/api/customers/{shop['customer'].id}/details", headers=writer)).json()
    assert details["stats"]["total_orders"] == 3
    assert details["stats"]["lifetime_spend"] == "37.50"
    assert details["stats"]["average_order_value"] == "12.50"
    assert [o["order_number"] for o in details["recent_orders"]] == ["D-2", "D-1", "D-0"]
    assert details["insights"]["favourite_category"]["category"] == "Kitchen"
    next_order = details["insights"]["next_order"]
    assert next_order["typical_gap_days"] in (30, 31)
    assert next_order["expected_at"].startswith("2026-10-31") or next_order["expected_at"].startswith("2026-11-01")
    assert details["insights"]["churn_risk"]["level"] in {"low", "medium", "high"}
    assert details["tier"]["name"] == "bronze"
    assert details["tier"]["next_tier"] == "silver"
