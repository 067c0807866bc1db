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
from shopcrm.customers import service as customers_service
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.orders import service
from shopcrm.orders.models import UNCOUNTED_STATUSES, Order, OrderStatus
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
    statuses = [[STATUSES[(i * 3 + j * j) % len(STATUSES)] for j in range(3 + 2 * i)] for i in range(len(PEOPLE))]
    customers = [
        await make_customer(
            database,
            first_name=f,
            last_name=last,
            email=e,
            total_orders=sum(1 for s in statuses[i] if s not in UNCOUNTED_STATUSES),
        )
        for i, (f, last, e) in enumerate(PEOPLE)
    ]
    placed = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    made: list[tuple[Customer, str]] = []
    numbers = itertools.count(1)
    async with database.transaction() as session:
        for i, customer in enumerate(customers):
            for j, order_status in enumerate(statuses[i]):
                status = order_status.value
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
        assert page["status_counts_exact"] == dict.fromkeys(expected, True), (q, tab)
        assert page["total"] == expected[tab.value if tab else "all"]
        assert page["total_exact"] is True
        assert len(page["items"]) == page["total"]
        if tab is not None:
            assert {row["status"] for row in page["items"]} <= {tab.value}


# The search's two ways (orders/service.py): "exact" as configured; "few" lets fewer customers than "smith"
# matches count exactly; "light" lets fewer orders; "many" makes every search with more than one customer
# take the estimated way.
WAYS = {
    "exact": {},
    "few": {"SEARCH_CUSTOMERS": 1},
    "light": {"SEARCH_ORDERS": 8},
    "many": {"SEARCH_CUSTOMERS": 1, "SAMPLE_CUSTOMERS": 1},
}


@pytest.mark.parametrize("way", list(WAYS))
@pytest.mark.parametrize("q", [None, "smith", "ann smi", "sj@", "+4915"])
@pytest.mark.parametrize("status", [None, "pending", "delivered"])
async def test_an_order_list_request_runs_at_most_three_statements(
    app_client: httpx.AsyncClient,
    database: Database,
    token,
    orders,
    monkeypatch: pytest.MonkeyPatch,
    q: str | None,
    status: str | None,
    way: str,
):
    for name, value in WAYS[way].items():
        monkeypatch.setattr(service, name, value)
    params = {k: v for k, v in {"q": q, "status": status}.items() if v}
    # The API token is looked up once, then cached; PostgreSQL's status shares are read once per process
    # every few minutes (core/counting.column_shares).
    await app_client.get("/api/orders", params=params, headers=token)
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engines = {database.engine.sync_engine, database.read_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", note)
    try:
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


def _expected(orders: list[tuple[Customer, str]], q: str) -> dict[str, int]:
    expected = {s.value: 0 for s in STATUSES}
    for customer, status in orders:
        if _matches(customer, q):
            expected[status] += 1
    expected["all"] = sum(expected.values())
    return expected


async def _newest_first(database: Database, q: str, status: str | None) -> list[int]:
    """The list's rows by hand: orders of matching customers, newest first."""
    async with database.read_sessionmaker() as session:
        found = (
            await session.execute(
                select(Order.id, Order.status, Order.placed_at, Customer).join(
                    Customer, Customer.id == Order.customer_id
                )
            )
        ).all()
    matching = [r for r in found if _matches(r.Customer, q) and (status is None or r.status == status)]
    return [r.id for r in sorted(matching, key=lambda r: (r.placed_at, r.id), reverse=True)]


@pytest.mark.parametrize("q", ["smith", "SMI", "ann smi", "van d", "nobody"])
async def test_a_search_of_few_customers_is_counted_exactly_whatever_the_cap(
    app_client: httpx.AsyncClient, database: Database, token, orders, monkeypatch: pytest.MonkeyPatch, q: str
):
    """Up to SEARCH_CUSTOMERS customers with up to SEARCH_ORDERS orders: every tab counted exactly, the rows
    the matching orders newest first."""
    expected = _expected(orders, q)
    monkeypatch.setattr(service, "SEARCH_CUSTOMERS", 5)  # "smi" matches 5 customers
    for tab in [None, "pending", "delivered"]:
        params = {k: v for k, v in {"q": q, "status": tab, "limit": 100}.items() if v}
        page = (await app_client.get("/api/orders", params=params, headers=token)).json()
        assert page["status_counts"] == expected, (q, tab)
        assert all(page["status_counts_exact"].values()), (q, tab)
        assert page["total"] == expected[tab or "all"]
        assert page["total_exact"] is True
        assert [row["id"] for row in page["items"]] == await _newest_first(database, q, tab)


@pytest.mark.parametrize("q", ["smith", "SMI", "ann smi", "smith."])
# SEARCH_CUSTOMERS alone: the customers listed by id (an array on PostgreSQL); with SEARCH_IDS too, more
# customers than can be listed: the search stays a subquery; with SEARCH_ORDERS as well, on SQLite the newest
# orders are walked for the matches' ones.
@pytest.mark.parametrize(
    "limit",
    [
        ("SEARCH_CUSTOMERS",),
        ("SEARCH_CUSTOMERS", "SEARCH_IDS"),
        ("SEARCH_CUSTOMERS", "SEARCH_IDS", "SEARCH_ORDERS"),
        ("SEARCH_ORDERS",),
    ],
)
async def test_a_search_past_the_limits_shows_estimates_and_the_right_rows(
    app_client: httpx.AsyncClient,
    database: Database,
    token,
    orders,
    monkeypatch: pytest.MonkeyPatch,
    q: str,
    limit: tuple[str, ...],
):
    """More customers than SEARCH_CUSTOMERS, or more orders than SEARCH_ORDERS: every count an estimate
    (flagged so), the rows still exactly the matching orders newest first, page after page."""
    expected = _expected(orders, q)
    for name in limit:
        monkeypatch.setattr(customers_service if name == "SEARCH_IDS" else service, name, 0)
    monkeypatch.setattr(service, "SAMPLE_CUSTOMERS", 1)
    for tab in [None, *(s.value for s in STATUSES)]:
        want = await _newest_first(database, q, tab)
        got: list[int] = []
        params: dict[str, Any] = {k: v for k, v in {"q": q, "status": tab, "limit": 2}.items() if v}
        while True:
            page = (await app_client.get("/api/orders", params=params, headers=token)).json()
            assert set(page["status_counts"]) == set(expected), (q, tab)
            current = tab or "all"
            whole = "cursor" not in params and not page["next_cursor"]  # a first page that is the whole tab
            others = {k: v for k, v in page["status_counts_exact"].items() if k != current}
            assert others == dict.fromkeys(others, False), (q, tab)
            assert page["status_counts_exact"][current] is whole
            assert page["total_exact"] is whole
            assert page["total"] == page["status_counts"][current]
            if whole:
                assert page["total"] == expected[current] == len(page["items"])
            elif "cursor" not in params:
                assert page["total"] > len(page["items"])  # an estimate never below the page in hand
            assert all(n >= 0 for n in page["status_counts"].values())
            got += [row["id"] for row in page["items"]]
            if not page["next_cursor"]:
                break
            params["cursor"] = page["next_cursor"]
        assert got == want, (q, tab)


async def test_the_unfiltered_tabs_estimated_from_table_statistics_count_the_small_ones_exactly(
    app_client: httpx.AsyncClient, database: Database, token, orders
):
    """With no filter, PostgreSQL's tabs are estimated from the table's row count times each status's share
    (no EXPLAIN); a tab estimated within the cap is counted, so every tab of this small store is exact."""
    from shopcrm.core import counting

    if database.engine.dialect.name == "postgresql":
        async with database.engine.connect() as conn:
            await conn.exec_driver_sql("ANALYZE orders")
        counting._ROWS.clear()
        counting._SHARES.clear()
        async with database.read_sessionmaker() as session:
            assert await counting.table_rows(session, "orders") == len(orders)
            assert await counting.table_rows(session, "no_such_table") is None
    response = await app_client.get("/api/orders", headers=token)
    assert response.status_code == 200, response.text
    body = response.json()
    truth = {s.value: sum(1 for _, st in orders if st == s.value) for s in STATUSES}
    truth["all"] = len(orders)
    assert body["status_counts"] == truth
    assert all(body["status_counts_exact"].values())
