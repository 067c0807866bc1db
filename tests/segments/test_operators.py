"""Every operator, and every way a tree is refused, through the API on both engines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import insert

from shopcrm.auth.models import Role
from shopcrm.db import Database
from shopcrm.orders.models import Order, OrderItem
from tests.factories import make_customer, make_product

NOW = dt.datetime.now(dt.UTC)


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def day(days_ago: int) -> str:
    return ago(days_ago).date().isoformat()


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def people(database: Database) -> dict[int, str]:
    """Three customers whose differences every operator below tells apart."""
    ann = await make_customer(
        database,
        first_name="Ann",
        last_name="Lee",
        email="ann@example.com",
        phone="+4915123456789",
        city="Paris",
        country="FR",
        status="active",
        email_consent=True,
        total_spend=Decimal("150"),
        total_orders=2,
        first_order_at=ago(40),
        last_order_at=ago(10),
        created_at=ago(400),
    )
    bob = await make_customer(
        database, first_name="Bob", last_name="Marsh", status="inactive", email_consent=False, created_at=ago(5)
    )
    cy = await make_customer(
        database,
        first_name="Cy",
        last_name="Paris-Smith",
        city="paris",
        country="DE",
        status="archived",
        email_consent=True,
        total_spend=Decimal("6000"),
        total_orders=3,
        first_order_at=ago(300),
        last_order_at=ago(100),
        created_at=ago(200),
    )
    shoes = await make_product(database, sku="S-1", category="Shoes")
    home = await make_product(database, sku="H-1", category="Home")
    orders = [
        (ann.id, ago(10), "paid", "100", shoes.id),
        (ann.id, ago(40), "delivered", "50", None),
        (ann.id, ago(5), "cancelled", "999", home.id),  # counts nowhere
        (cy.id, ago(100), "delivered", "1000", home.id),
        (cy.id, ago(200), "delivered", "2000", None),
        (cy.id, ago(300), "delivered", "3000", None),
    ]
    async with database.transaction() as session:
        for n, (customer_id, placed_at, status, amount, product_id) in enumerate(orders, 1):
            await session.execute(
                insert(Order).values(
                    id=n,
                    customer_id=customer_id,
                    order_number=f"O-{n}",
                    placed_at=placed_at,
                    status=status,
                    total_amount=Decimal(amount),
                )
            )
            if product_id is not None:
                await session.execute(
                    insert(OrderItem).values(
                        order_id=n, customer_id=customer_id, product_id=product_id, quantity=1, price=Decimal(amount)
                    )
                )
    return {ann.id: "ann", bob.id: "bob", cy.id: "cy"}


CASES: list[tuple[str, str, Any, set[str]]] = [
    ("first_name", "=", "Ann", {"ann"}),
    ("first_name", "=", "ann", set()),  # as stored: case counts
    ("first_name", "!=", "Ann", {"bob", "cy"}),
    ("email", "=", "ANN@example.com", {"ann"}),  # email ignores case
    ("email", "in", ["ANN@EXAMPLE.COM", "x@example.com"], {"ann"}),
    ("city", "!=", "Paris", {"bob", "cy"}),  # no city is "not Paris"; "paris" is another city as stored
    ("city", "in", ["Paris"], {"ann"}),
    ("city", "notIn", ["Paris", "paris"], {"bob"}),
    ("city", "contains", "PAR", {"ann", "cy"}),
    ("last_name", "beginsWith", "paris", {"cy"}),
    ("last_name", "endsWith", "SMITH", {"cy"}),
    ("city", "doesNotContain", "par", {"bob"}),
    ("last_name", "doesNotBeginWith", "l", {"bob", "cy"}),
    ("last_name", "doesNotEndWith", "h", {"ann"}),
    ("phone", "beginsWith", "+49", {"ann"}),
    ("city", "null", "", {"bob"}),
    ("city", "notNull", "", {"ann", "cy"}),
    ("country", "in", ["FR", "DE"], {"ann", "cy"}),
    ("country", "notIn", ["FR"], {"bob", "cy"}),
    ("country", "=", "DE", {"cy"}),
    ("status", "=", "archived", {"cy"}),
    ("status", "!=", "archived", {"ann", "bob"}),
    ("email_consent", "=", True, {"ann", "cy"}),
    ("email_consent", "!=", True, {"bob"}),
    ("total_spend", "between", ["100", "200"], {"ann"}),
    ("total_spend", "notBetween", ["100", "200"], {"bob", "cy"}),
    ("total_spend", "<", 150, {"bob"}),
    ("total_spend", ">", "150", {"cy"}),
    ("total_spend", "<=", "150.00", {"ann", "bob"}),
    ("total_spend", ">=", 150, {"ann", "cy"}),
    ("total_orders", "=", 0, {"bob"}),
    ("total_orders", "!=", "0", {"ann", "cy"}),
    ("tier", "=", "platinum", {"cy"}),
    ("tier", "in", ["bronze"], {"ann", "bob"}),
    ("tier", "!=", "bronze", {"cy"}),
    ("tier", "notIn", ["bronze", "silver"], {"cy"}),
    ("average_order_value", ">=", 75, {"ann", "cy"}),
    ("average_order_value", "<", 100, {"ann"}),
    ("average_order_value", "!=", "75", {"bob", "cy"}),  # no orders: no average, so "not 75"
    ("average_order_value", "null", "", {"bob"}),
    ("last_order_at", "inLastDays", 30, {"ann"}),
    ("last_order_at", "notInLastDays", 30, {"bob", "cy"}),
    ("last_order_at", "notNull", "", {"ann", "cy"}),
    ("first_order_at", "=", day(40), {"ann"}),
    ("created_at", "<", day(30), {"ann", "cy"}),
    ("created_at", ">", day(300), {"bob", "cy"}),
    ("created_at", "between", [day(250), day(10)], {"cy"}),
    ("created_at", "notBetween", [day(250), day(10)], {"ann", "bob"}),
    ("created_at", ">=", ago(6).isoformat(), {"bob"}),
    ("days_since_last_order", ">=", 90, {"cy"}),
    ("days_since_last_order", "<", 90, {"ann"}),
    ("days_since_last_order", "=", 10, {"ann"}),
    ("days_since_last_order", "!=", 10, {"bob", "cy"}),
    ("days_since_last_order", "between", [5, 15], {"ann"}),
    ("days_since_last_order", "null", "", {"bob"}),
    ("orders_in_last_days", "=", {"days": 30, "value": 1}, {"ann"}),  # the cancelled one does not count
    ("orders_in_last_days", "<", {"days": 30, "value": 1}, {"bob", "cy"}),
    ("orders_in_last_days", ">=", {"days": 365, "value": 2}, {"ann", "cy"}),
    ("orders_in_last_days", "between", {"days": 365, "value": [1, 2]}, {"ann"}),
    ("orders_in_last_days", "notBetween", {"days": 365, "value": [1, 2]}, {"bob", "cy"}),
    ("spend_in_last_days", ">", {"days": 60, "value": "120"}, {"ann"}),
    ("spend_in_last_days", "=", {"days": 60, "value": "0"}, {"bob", "cy"}),
    ("spend_in_last_days", "<=", {"days": 150, "value": 1000}, {"ann", "bob", "cy"}),
    ("bought_category", "=", "Shoes", {"ann"}),
    ("bought_category", "=", "Home", {"cy"}),  # Ann's Home item was in a cancelled order
    ("bought_category", "!=", "Shoes", {"bob", "cy"}),
    ("bought_category", "in", {"days": 30, "value": ["Home", "Shoes"]}, {"ann"}),
    ("bought_category", "notIn", {"days": 30, "value": ["Home", "Shoes"]}, {"bob", "cy"}),
    ("bought_sku", "notIn", ["S-1"], {"bob", "cy"}),
    ("bought_sku", "=", {"days": 150, "value": "H-1"}, {"cy"}),
]


async def _preview(client: httpx.AsyncClient, headers: dict[str, str], tree: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/segments/preview", json={"rules": tree}, headers=headers)


async def test_every_operator_matches_what_a_store_team_means(
    app_client: httpx.AsyncClient, writer, people: dict[int, str]
):
    seen_ops = set()
    for field, op, value, expected in CASES:
        seen_ops.add(op)
        response = await _preview(
            app_client, writer, {"combinator": "and", "rules": [{"field": field, "operator": op, "value": value}]}
        )
        assert response.status_code == 200, (field, op, value, response.text)
        body = response.json()
        found = {people[item["id"]] for item in body["items"]}
        assert found == expected, (field, op, value)
        assert body["count"] == len(expected)
    from shopcrm.segments.fields import Op

    assert seen_ops == {o.value for o in Op}


async def test_a_not_group_is_the_complement_of_the_group(
    app_client: httpx.AsyncClient, writer, people: dict[int, str]
):
    inner = {
        "combinator": "or",
        "rules": [
            {"field": "city", "operator": "=", "value": "Paris"},
            {"field": "total_spend", "operator": ">", "value": 1000},
        ],
    }
    tree = {"combinator": "and", "rules": [{**inner, "not": True}]}
    body = (await _preview(app_client, writer, tree)).json()
    assert {people[i["id"]] for i in body["items"]} == {"bob"}
    top = (await _preview(app_client, writer, {**inner, "not": True})).json()
    assert top["count"] == 1
    assert top["rule_counts"] == [{"alone": 1, "running": 1}, {"alone": 1, "running": 2}]
    everyone = (await _preview(app_client, writer, {"combinator": "and", "rules": []})).json()
    assert everyone["count"] == 3
    assert everyone["rule_counts"] == []


def _rule(field: str, operator: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value}


def _nested(depth: int) -> dict[str, Any]:
    tree: dict[str, Any] = {"combinator": "and", "rules": [_rule("total_orders", ">", 0)]}
    for _ in range(depth - 1):
        tree = {"combinator": "and", "rules": [tree]}
    return tree


BAD: list[tuple[dict[str, Any], list[Any]]] = [
    ({"combinator": "and", "rules": [_rule("shoe_size", "=", 42)]}, ["rules", 0, "field"]),
    ({"combinator": "and", "rules": [_rule("status", "contains", "act")]}, ["rules", 0, "operator"]),
    ({"combinator": "and", "rules": [_rule("status", "=", "gone")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("email_consent", "null", "")]}, ["rules", 0, "operator"]),
    ({"combinator": "and", "rules": [_rule("total_spend", ">", "lots")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_spend", ">", "1e400")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_spend", ">", 10**400)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_spend", ">", "NaN")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_spend", ">", "1.005")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_spend", ">", True)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_orders", "=", 10**30)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_orders", "=", -1)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("created_at", "<", "2026-13-01")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("created_at", "<", "2026-01-01T00:00:00")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("created_at", "<", "0001-01-01T00:00:00+01:00")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("created_at", "inLastDays", 0)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("created_at", "inLastDays", 10**9)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("total_spend", "between", [1])]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("country", "in", "DE")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("country", "in", [])]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("country", "=", "germany")]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("city", "=", "x" * 101)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("city", "=", 5)]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("orders_in_last_days", ">", 3)]}, ["rules", 0, "value"]),
    (
        {"combinator": "and", "rules": [_rule("orders_in_last_days", ">", {"days": 0, "value": 3})]},
        ["rules", 0, "value"],
    ),
    ({"combinator": "and", "rules": [_rule("spend_in_last_days", ">", {"days": 30})]}, ["rules", 0, "value"]),
    ({"combinator": "and", "rules": [_rule("bought_category", "=", {"days": 30})]}, ["rules", 0, "value"]),
    (
        {"combinator": "and", "rules": [{"field": "city", "operator": "=", "value": "a", "extra": 1}]},
        ["rules", 0, "extra"],
    ),
    ({"combinator": "xor", "rules": []}, ["combinator"]),
    ({"combinator": "and", "not": "yes", "rules": []}, ["not"]),
    ({"combinator": "and", "rules": "all"}, ["rules"]),
    ({"combinator": "and", "rules": [5]}, ["rules", 0]),
    (_nested(9), ["rules", 0] * 8),
    ({"combinator": "and", "rules": [_rule("total_orders", ">", 0)] * 101}, ["rules", 100]),
]


@pytest.mark.parametrize(("tree", "where"), BAD)
async def test_a_bad_tree_is_a_422_naming_the_rule_and_why(
    app_client: httpx.AsyncClient, writer, tree: dict[str, Any], where: list[Any]
):
    for path, body in (
        ("/api/segments/preview", {"rules": tree}),
        ("/api/segments", {"name": "Bad", "rules": tree}),
    ):
        response = await app_client.post(path, json=body, headers=writer)
        assert response.status_code == 422, (path, response.text)
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert error["details"][0]["loc"] == ["body", "rules", *where]
        assert error["details"][0]["message"]


async def test_nul_characters_in_a_rule_are_refused_at_their_place(app_client: httpx.AsyncClient, writer):
    tree = {"combinator": "and", "rules": [_rule("city", "=", "Pa\x00ris")]}
    response = await _preview(app_client, writer, tree)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"][:4] == ["body", "rules", "rules", 0]


async def test_a_viewer_may_read_but_not_write_segments(app_client: httpx.AsyncClient, make_user):
    viewer = await make_user(Role.viewer)
    headers = {"Authorization": f"Bearer {viewer.token}"}
    assert (await app_client.get("/api/segments", headers=headers)).status_code == 200
    assert (await app_client.get("/api/segments/fields", headers=headers)).status_code == 200
    created = await app_client.post("/api/segments", json={"name": "x", "rules": {"rules": []}}, headers=headers)
    assert created.status_code == 403
