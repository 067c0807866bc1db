"""Customers over HTTP on both engines: list, filters, search, sorting, keyset pages, create, update."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from shopcrm.auth.models import Role
from shopcrm.customers.schemas import CustomerSort
from shopcrm.db import Database
from tests.factories import make_customer, utc


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def viewer(make_user) -> dict[str, str]:
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


NEW = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "Ada@Example.com",
    "phone": "+441234567890",
    "status": "active",
    "city": "London",
    "country": "GB",
    "email_consent": True,
}


async def test_create_read_and_update_a_customer(app_client: httpx.AsyncClient, writer):
    created = await app_client.post("/api/customers", json=NEW, headers=writer)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == "ada@example.com"  # stored in its one normalised form
    assert body["tier"] == "bronze"
    assert body["total_spend"] == "0.00" or Decimal(body["total_spend"]) == 0
    assert body["total_orders"] == 0

    update = {**NEW, "last_name": "King", "email_consent": False}
    updated = await app_client.put(f"/api/customers/{body['id']}", json=update, headers=writer)
    assert updated.status_code == 200
    assert updated.json()["last_name"] == "King"
    assert updated.json()["unsubscribed_at"] is not None  # withdrawing consent is an unsubscribe

    details = await app_client.get(f"/api/customers/{body['id']}/details", headers=writer)
    assert details.status_code == 200
    assert details.json()["customer"]["last_name"] == "King"
    assert details.json()["insights"]["rfm"]["group"] == "No orders yet"


async def test_duplicate_email_is_409_naming_the_field(app_client: httpx.AsyncClient, writer, database: Database):
    await make_customer(database, email="taken@example.com")
    response = await app_client.post("/api/customers", json={**NEW, "email": "TAKEN@example.com"}, headers=writer)
    assert response.status_code == 409
    assert response.json()["error"]["details"][0]["loc"] == ["body", "email"]


async def test_phones_are_checked_for_their_country_stored_as_e164_and_shown_grouped(
    app_client: httpx.AsyncClient, writer
):
    fake = await app_client.post("/api/customers", json={**NEW, "phone": "+1 555 123"}, headers=writer)
    assert fake.status_code == 422
    assert [d["loc"] for d in fake.json()["error"]["details"]] == [["body", "phone"]]
    assert "not a valid phone number" in fake.json()["error"]["message"]
    local = await app_client.post("/api/customers", json={**NEW, "phone": "0151 23456789"}, headers=writer)
    assert "country code" in local.json()["error"]["message"]
    created = await app_client.post("/api/customers", json={**NEW, "phone": "+1 (415) 555-2671"}, headers=writer)
    assert created.status_code == 201, created.text
    assert created.json()["phone"] == "+14155552671"
    details = await app_client.get(f"/api/customers/{created.json()['id']}/details", headers=writer)
    assert details.json()["customer"]["phone_display"] == "+1 415-555-2671"


async def test_emails_differing_only_in_non_ascii_case_are_one_email(app_client: httpx.AsyncClient, writer):
    """SQLite's lower() folds ASCII only; the email is normalised once in Python for both engines."""
    first = await app_client.post("/api/customers", json={**NEW, "email": " ÄÖmass@Example.com "}, headers=writer)
    assert first.status_code == 201, first.text
    assert first.json()["email"] == "äömass@example.com"
    second = await app_client.post("/api/customers", json={**NEW, "email": "äömass@example.com"}, headers=writer)
    assert second.status_code == 409
    assert second.json()["error"]["details"][0]["loc"] == ["body", "email"]
    # Decomposed umlauts (NFD, as some keyboards send them) are the same address too.
    nfd_email = "A\u0308O\u0308mass@example.com"
    nfd = await app_client.post("/api/customers", json={**NEW, "email": nfd_email}, headers=writer)
    assert nfd.status_code == 409
    found = await app_client.get("/api/customers", params={"q": "ÄÖMASS@"}, headers=writer)
    assert [c["email"] for c in found.json()["items"]] == ["äömass@example.com"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("phone", "0123 456"), ("status", "vip"), ("country", "Germany"), ("first_name", " ")],
)
async def test_invalid_fields_are_named(app_client: httpx.AsyncClient, writer, field: str, value: str):
    response = await app_client.post("/api/customers", json={**NEW, field: value}, headers=writer)
    assert response.status_code == 422
    assert ["body", field] in [d["loc"] for d in response.json()["error"]["details"]]


@pytest.mark.parametrize("field", ["total_spend", "total_orders", "tier", "id", "created_at"])
async def test_derived_fields_cannot_be_written(app_client: httpx.AsyncClient, writer, field: str):
    response = await app_client.post("/api/customers", json={**NEW, field: 1}, headers=writer)
    assert response.status_code == 422
    assert ["body", field] in [d["loc"] for d in response.json()["error"]["details"]]


async def test_viewer_reads_but_cannot_write(app_client: httpx.AsyncClient, viewer, database: Database):
    customer = await make_customer(database)
    assert (await app_client.get("/api/customers", headers=viewer)).status_code == 200
    assert (await app_client.post("/api/customers", json=NEW, headers=viewer)).status_code == 403
    put = await app_client.put(f"/api/customers/{customer.id}", json=NEW, headers=viewer)
    assert put.status_code == 403


async def test_unknown_customer_is_404(app_client: httpx.AsyncClient, writer):
    assert (await app_client.get("/api/customers/999999/details", headers=writer)).status_code == 404
    assert (await app_client.put("/api/customers/999999", json=NEW, headers=writer)).status_code == 404


async def test_search_is_a_case_insensitive_prefix_over_name_email_and_phone(
    app_client: httpx.AsyncClient, writer, database: Database
):
    ann = await make_customer(
        database, first_name="Ann", last_name="Smithson", email="ann.s@example.com", phone="+4915111111111"
    )
    await make_customer(database, first_name="Bob", last_name="Jones", email="bob@shop.example", phone="+4915222222222")
    await make_customer(database, first_name="Cy", last_name="Van Dyke", email="cy@example.com")

    async def ids(q: str) -> list[str]:
        response = await app_client.get("/api/customers", params={"q": q}, headers=writer)
        assert response.status_code == 200
        return [c["last_name"] for c in response.json()["items"]]

    assert await ids("smith") == ["Smithson"]
    assert await ids("ANN") == ["Smithson"]
    assert await ids("ann smi") == ["Smithson"]
    assert await ids("ann.s@") == ["Smithson"]
    assert await ids("+49151111") == ["Smithson"]
    assert await ids("van d") == ["Van Dyke"]
    assert await ids("son") == []  # a prefix search, not a substring one
    assert await ids("%") == []  # LIKE wildcards are taken literally
    assert ann.id


async def test_filters_combine(app_client: httpx.AsyncClient, writer, database: Database):
    await make_customer(
        database,
        last_name="Gold",
        total_spend=Decimal("1500"),
        total_orders=6,
        country="DE",
        last_order_at=utc(2026, 10, 1),
        status="active",
    )
    await make_customer(
        database,
        last_name="Silver",
        total_spend=Decimal("300"),
        total_orders=2,
        country="DE",
        last_order_at=utc(2026, 3, 1),
        status="inactive",
        email_consent=False,
    )
    await make_customer(database, last_name="None", country="FR")

    async def names(**params: object) -> set[str]:
        response = await app_client.get("/api/customers", params=params, headers=writer)
        assert response.status_code == 200, response.text
        return {c["last_name"] for c in response.json()["items"]}

    assert await names(tier="gold") == {"Gold"}
    assert await names(tier=["silver", "gold"]) == {"Gold", "Silver"}
    assert await names(spend_min="200", spend_max="400") == {"Silver"}
    assert await names(orders_min=3) == {"Gold"}
    assert await names(country="DE", status="inactive") == {"Silver"}
    assert await names(email_consent="false") == {"Silver"}
    assert await names(last_order_from="2026-09-01") == {"Gold"}
    assert await names(last_order_to="2026-03-01") == {"Silver"}
    assert await names(spend_min="500", spend_max="100") == set()  # upside-down range matches nothing


async def test_keyset_pages_walk_every_row_once_in_order_both_ways(
    app_client: httpx.AsyncClient, writer, database: Database
):
    # Ties and NULLs on purpose: equal spends, and customers who never ordered.
    for i in range(23):
        await make_customer(
            database,
            last_name=f"K{i:02d}",
            total_spend=Decimal(i % 4),
            country=None if i % 5 == 0 else "DE",
            last_order_at=None if i % 3 == 0 else utc(2026, 1, 1 + i),
        )
    for sort in [s.value for s in CustomerSort]:
        for order in ["asc", "desc"]:
            seen: list[int] = []
            pages: list[dict] = []
            cursor = None
            while True:
                params = {"sort": sort, "order": order, "limit": 5, **({"cursor": cursor} if cursor else {})}
                response = await app_client.get("/api/customers", params=params, headers=writer)
                assert response.status_code == 200, response.text
                page = response.json()
                assert page["total"] == 23
                pages.append(page)
                seen += [c["id"] for c in page["items"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert len(seen) == 23
            assert len(set(seen)) == 23, f"{sort} {order} repeats a row"
            # Walking back from the last page gives the same pages in reverse.
            back = pages[-1]
            for expected in reversed(pages[:-1]):
                response = await app_client.get(
                    "/api/customers",
                    params={"sort": sort, "order": order, "limit": 5, "cursor": back["prev_cursor"]},
                    headers=writer,
                )
                back = response.json()
                assert [c["id"] for c in back["items"]] == [c["id"] for c in expected["items"]]
            assert back["prev_cursor"] is None


async def test_sort_order_is_the_one_asked_for(app_client: httpx.AsyncClient, writer, database: Database):
    for spend in ["5", "50", "500"]:
        await make_customer(database, total_spend=Decimal(spend))
    response = await app_client.get("/api/customers", params={"sort": "total_spend", "order": "desc"}, headers=writer)
    spends = [Decimal(c["total_spend"]) for c in response.json()["items"]]
    assert spends == sorted(spends, reverse=True)
    by_tier = await app_client.get("/api/customers", params={"sort": "tier", "order": "asc"}, headers=writer)
    assert [c["tier"] for c in by_tier.json()["items"]] == ["bronze", "bronze", "silver"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 101},
        {"limit": 0},
        {"limit": "lots"},
        {"cursor": "garbage"},
        {"cursor": "eyJzIjoibmFtZSJ9"},  # valid base64 JSON, wrong shape
        {"sort": "password"},
        {"spend_min": "-1"},
        {"created_from": "0"},
        {"page": 950000},  # unknown parameter
        {"status": "vip"},
    ],
)
async def test_absurd_list_parameters_are_422(app_client: httpx.AsyncClient, writer, params: dict):
    response = await app_client.get("/api/customers", params=params, headers=writer)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


async def test_a_cursor_from_another_sort_is_refused(app_client: httpx.AsyncClient, writer, database: Database):
    for _ in range(3):
        await make_customer(database)
    first = (await app_client.get("/api/customers", params={"limit": 1, "sort": "name"}, headers=writer)).json()
    response = await app_client.get(
        "/api/customers", params={"limit": 1, "sort": "email", "cursor": first["next_cursor"]}, headers=writer
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["query", "cursor"]
