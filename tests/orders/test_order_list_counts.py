"""The order list's cost and its counts: at most 3 statements per request, with or without a search and a
status tab, and status counts under a search equal to counting by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select

from shopcrm.auth.models import Role
from shopcrm.core.counting import capped_counts
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.orders.models import Order, OrderStatus
from tests.factories import make_customer

STATUSES = list(OrderStatus)
PEOPLE = [
    ("Ann", "Smith", "ann.smith@example.com"),
    ("Bob", "Smithson", "bob@example.com"),
    ("Ann", "Smi_th", "weird@example.com"),
    ("Smitty", "Jones", "sj@example.com"),
    ("Cy", "Van Dyke", "smith.cy@example.com"),
    ("Zoë", "Öztürk", "zoe@example.com"),
    ("Dan", "Other", "dan@example.com"),
]


@pytest.fixture
async def token(make_user) -> dict[str, str]:
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def orders(database: Database) -> list[tuple[Customer, str]]:
    """Orders of every status spread unevenly over the customers: (customer, status) per order."""
    customers = [await make_customer(database, first_name=f, last_name=last, email=e) for f, last, e in PEOPLE]
    placed = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    made: list[tuple[Customer, str]] = []
    numbers = itertools.count(1)
    async with database.transaction() as session:
        for i, customer in enumerate(customers):
            for j in range(3 + 2 * i):
                status = STATUSES[(i * 3 + j * j) % len(STATUSES)].value
                session.add(
                    Order(
                        customer_id=customer.id,
                        order_number=f"C-{next(numbers)}",
                        placed_at=placed + dt.timedelta(hours=i * 10 + j),
                        status=status,
                        total_amount=Decimal("10.00"),
                    )
                )
                made.append((customer, status))
    return made


def _matches(customer: Customer, q: str) -> bool:
    """The search's meaning, by hand: a prefix of last, first name or email; "first last" two ways."""
    q = " ".join(q.split()).lower()
    first, last, email = customer.first_name.lower(), customer.last_name.lower(), customer.email.lower()
    if "@" in q:
        return email.startswith(q)
    head, _, rest = q.partition(" ")
    if rest:
        return (first == head and last.startswith(rest)) or last.startswith(q)
    return last.startswith(q) or first.startswith(q) or email.startswith(q)


@pytest.mark.parametrize("q", [None, "smith", "SMI", "smi_", "ann smi", "smith.", "van d", "zoë", "nobody"])
async def test_status_counts_under_a_search_equal_counting_by_hand(
    app_client: httpx.AsyncClient, token, orders, q: str | None
):
    expected = {s.value: 0 for s in STATUSES}
    for customer, status in orders:
        if q is None or _matches(customer, q):
            expected[status] += 1
    expected["all"] = sum(expected.values())
    for tab in [None, *STATUSES]:
        params = {k: v for k, v in {"q": q, "status": tab.value if tab else None, "limit": 100}.items() if v}
        page = (await app_client.get("/api/orders", params=params, headers=token)).json()
        assert page["status_counts"] == expected, (q, tab)
        assert page["total"] == expected[tab.value if tab else "all"]
        assert page["total_exact"] is True
        assert len(page["items"]) == page["total"]
        if tab is not None:
            assert {row["status"] for row in page["items"]} <= {tab.value}


@pytest.mark.parametrize("q", [None, "smith", "ann smi", "sj@", "+4915"])
@pytest.mark.parametrize("status", [None, "pending", "delivered"])
async def test_an_order_list_request_runs_at_most_three_statements(
    app_client: httpx.AsyncClient, database: Database, token, orders, q: str | None, status: str | None
):
    await app_client.get("/api/orders", headers=token)  # the API token is looked up once, then cached
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engines = {database.engine.sync_engine, database.read_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", note)
    try:
        params = {k: v for k, v in {"q": q, "status": status}.items() if v}
        response = await app_client.get("/api/orders", params=params, headers=token)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200, response.text
    # The pool's checkout ping and the authentication (a cached token costs none) are not the list's.
    listing = [s for s in statements if "orders" in s]
    assert 1 <= len(listing) <= 3, listing
    assert len(statements) - len(listing) <= 2, statements


async def test_counts_are_exact_up_to_the_cap_then_a_lower_bound(database: Database, orders):
    """`capped_counts` with a tiny cap: exact at or below it; above it never exact, and never below cap+1."""
    truth = {s.value: sum(1 for _, st in orders if st == s.value) for s in STATUSES}
    cap = 4
    async with database.read_sessionmaker() as session:
        counts = await capped_counts(session, {s: select(Order.id).where(Order.status == s) for s in truth}, cap=cap)
    for status, (n, exact) in counts.items():
        if exact:
            assert n == truth[status] <= cap
        else:
            assert n > cap
        if truth[status] > cap:
            assert not exact
        elif database.engine.dialect.name == "sqlite":  # no estimates there: counted, so exact
            assert exact
            assert n == truth[status]
