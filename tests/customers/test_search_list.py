"""A search in the customers list: its customers found once (customers/service.found_customers), then paged by
id. Whichever way a search is answered, the pages are the customers the search condition finds, in the sort
asked for, and the total is theirs: exact while every match is listed, an estimate above SEARCH_IDS."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from shopcrm.auth.models import Role
from shopcrm.core.engines import capabilities_of
from shopcrm.customers import service
from shopcrm.customers.models import Customer
from shopcrm.customers.search import search_condition
from shopcrm.db import Database
from tests.factories import make_customer

NAMES = [("Ann", "Smith"), ("Smitty", "Jones"), ("Bo", "Smithers"), ("Cy", "Brown"), ("Di", "Smith")]


@pytest.fixture
async def reader(make_user) -> dict[str, str]:
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def customers(database: Database) -> None:
    for i in range(30):
        first, last = NAMES[i % len(NAMES)]
        # Some emails start with the name too, so a customer is found by two branches of one search.
        email = f"{last.lower()}.{i}@example.com" if i % 3 else f"x{i}@example.com"
        await make_customer(database, first_name=first, last_name=last, email=email, total_spend=i * 7 % 50)


async def _by_hand(database: Database, q: str, sort: str, order: str) -> list[int]:
    async with database.read_sessionmaker() as session:
        column = {"created_at": Customer.created_at, "total_spend": Customer.total_spend}[sort]
        keys = [column.asc(), Customer.id.asc()] if order == "asc" else [column.desc(), Customer.id.desc()]
        condition = search_condition(q, capabilities_of(session))
        return list(await session.scalars(select(Customer.id).where(condition).order_by(*keys)))


@pytest.mark.parametrize("ids_limit", [None, 3])  # as configured; or fewer than the matches
@pytest.mark.parametrize("q", ["smith", "smi", "ann smi", "nobody"])
@pytest.mark.parametrize(("sort", "order"), [("created_at", "desc"), ("total_spend", "asc")])
async def test_search_pages_are_the_matching_customers_in_order(
    app_client: httpx.AsyncClient,
    reader,
    database: Database,
    customers,
    monkeypatch: pytest.MonkeyPatch,
    ids_limit: int | None,
    q: str,
    sort: str,
    order: str,
):
    if ids_limit is not None:
        monkeypatch.setattr(service, "SEARCH_IDS", ids_limit)
    want = await _by_hand(database, q, sort, order)
    got: list[int] = []
    params: dict[str, Any] = {"q": q, "sort": sort, "order": order, "limit": 4}
    first = None
    while True:
        response = await app_client.get("/api/customers", params=params, headers=reader)
        assert response.status_code == 200, response.text
        page = response.json()
        first = first or page
        got += [c["id"] for c in page["items"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert got == want
    listed_all = ids_limit is None or len(want) <= ids_limit or not capabilities_of(database.engine).array_parameters
    if listed_all:
        assert (first["total"], first["total_exact"]) == (len(want), True)
    else:  # past SEARCH_IDS on PostgreSQL: never exact, never below what is known to be there
        assert first["total_exact"] is False
        assert first["total"] > ids_limit


async def test_a_search_with_other_filters_counts_them_all(
    app_client: httpx.AsyncClient, reader, database: Database, customers
):
    response = await app_client.get(
        "/api/customers", params={"q": "smith", "spend_min": "20", "limit": 100}, headers=reader
    )
    async with database.read_sessionmaker() as session:
        condition = search_condition("smith", capabilities_of(session))
        want = set(await session.scalars(select(Customer.id).where(condition, Customer.total_spend >= 20)))
    page = response.json()
    assert {c["id"] for c in page["items"]} == want
    assert (page["total"], page["total_exact"]) == (len(want), True)
