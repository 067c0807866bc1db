"""Segments over HTTP on both engines: catalog, preview with per-rule counts, CRUD with exact round trips."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from shopcrm.auth.models import Role
from shopcrm.db import Database
from tests.factories import make_customer


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


TREE = {
    "combinator": "and",
    "not": False,
    "rules": [
        {"field": "total_spend", "operator": ">=", "value": "100"},
        {
            "combinator": "or",
            "not": False,
            "rules": [
                {"field": "city", "operator": "=", "value": "Paris"},
                {"field": "country", "operator": "in", "value": ["DE", "AT"]},
            ],
        },
    ],
}


async def test_catalog_lists_fields_with_values_from_the_data(app_client: httpx.AsyncClient, writer, database):
    await make_customer(database, country="DE")
    response = await app_client.get("/api/segments/fields", headers=writer)
    assert response.status_code == 200, response.text
    fields = {f["id"]: f for f in response.json()["fields"]}
    assert fields["country"]["values"] == ["DE"]
    assert fields["tier"]["values"] == ["bronze", "silver", "gold", "platinum"]
    assert "inLastDays" in fields["last_order_at"]["operators"]


async def test_preview_counts_the_tree_and_each_top_level_rule(
    app_client: httpx.AsyncClient, writer, database: Database
):
    await make_customer(database, total_spend=Decimal("150"), city="Paris")
    await make_customer(database, total_spend=Decimal("150"), country="DE")
    await make_customer(database, total_spend=Decimal("50"), city="Paris")
    await make_customer(database, total_spend=Decimal("500"))
    response = await app_client.post("/api/segments/preview", json={"rules": TREE}, headers=writer)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 2
    assert len(body["items"]) == 2
    assert body["rule_counts"] == [{"alone": 3, "running": 3}, {"alone": 3, "running": 2}]


async def test_a_saved_segment_reads_back_unchanged(app_client: httpx.AsyncClient, writer):
    created = await app_client.post(
        "/api/segments", json={"name": "Big spenders", "description": "d", "rules": TREE}, headers=writer
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["rules"] == TREE
    assert body["member_count"] is None
    again = await app_client.get(f"/api/segments/{body['id']}", headers=writer)
    assert again.json()["rules"] == TREE
    dup = await app_client.post("/api/segments", json={"name": "Big spenders", "rules": TREE}, headers=writer)
    assert dup.status_code == 409
    assert dup.json()["error"]["details"][0]["loc"] == ["body", "name"]
    listed = await app_client.get("/api/segments", headers=writer)
    assert [s["name"] for s in listed.json()["items"]] == ["Big spenders"]
    changed = {**TREE, "combinator": "or"}
    updated = await app_client.put(
        f"/api/segments/{body['id']}", json={"name": "Renamed", "rules": changed}, headers=writer
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["rules"] == changed
    deleted = await app_client.delete(f"/api/segments/{body['id']}", headers=writer)
    assert deleted.status_code == 204
    assert (await app_client.get(f"/api/segments/{body['id']}", headers=writer)).status_code == 404


async def test_a_bad_rule_is_422_at_its_path(app_client: httpx.AsyncClient, writer):
    bad = {
        "combinator": "and",
        "rules": [
            {"field": "total_spend", "operator": ">=", "value": "1"},
            {"field": "total_spend", "operator": ">=", "value": "lots"},
            {"combinator": "or", "rules": [{"field": "nope", "operator": "=", "value": 1}]},
        ],
    }
    response = await app_client.post("/api/segments/preview", json={"rules": bad}, headers=writer)
    assert response.status_code == 422, response.text
    locs = [d["loc"] for d in response.json()["error"]["details"]]
    assert locs == [["body", "rules", "rules", 1, "value"], ["body", "rules", "rules", 2, "rules", 0, "field"]]
