"""GET /api/customers.csv on both engines: the file is the customers list (its filters and sort, every page),
in ShopCRM's customers format, spreadsheet-safe, streamed in constant memory."""

from __future__ import annotations

import asyncio
import csv
import io
import tracemalloc
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import insert

from shopcrm.auth.models import Role
from shopcrm.core import csv_formats
from shopcrm.core.engines import capabilities_of
from shopcrm.customers import service
from shopcrm.customers.models import Customer
from shopcrm.customers.schemas import CustomerFilters
from shopcrm.db import Database
from tests.factories import make_customer, utc


@pytest.fixture
async def viewer(make_user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


async def _people(database: Database) -> None:
    specs: list[dict[str, Any]] = [
        {
            "first_name": "Anna",
            "last_name": "Berg",
            "total_spend": Decimal("1200.50"),
            "total_orders": 4,
            "last_order_at": utc(2026, 10, 1, 9),
            "first_order_at": utc(2025, 1, 2),
            "country": "DE",
            "city": "Köln",
        },
        {
            "first_name": '=HYPERLINK("http://x")',
            "last_name": "Evil",
            "total_spend": Decimal("15.00"),
            "total_orders": 1,
            "last_order_at": utc(2026, 3, 1),
            "first_order_at": utc(2026, 3, 1),
            "city": "+49 calc",
        },
        {
            "first_name": "Bert",
            "last_name": "Berg",
            "status": "inactive",
            "email_consent": False,
            "phone": "+4915123456789",
        },
        {
            "first_name": "Cleo",
            "last_name": "Adams",
            "total_spend": Decimal("250.00"),
            "total_orders": 2,
            "last_order_at": utc(2026, 10, 1, 9),
            "first_order_at": utc(2026, 2, 1),
            "country": "FR",
            "city": "Lyon, Rhône",
        },
        {
            "first_name": "Dana",
            "last_name": "Berger",
            "status": "archived",
            "total_spend": Decimal("5000.00"),
            "total_orders": 9,
            "last_order_at": utc(2024, 12, 31, 23, 59),
            "first_order_at": utc(2020, 5, 5),
        },
    ]
    for n in range(12):  # more than a page of 5, spread over the sort keys, some with equal values
        specs.append(
            {
                "first_name": f"Filler{n:02d}",
                "last_name": "Zed" if n % 2 else "Berg",
                "total_spend": Decimal(n % 4) * 100,
                "total_orders": n % 4,
                "last_order_at": utc(2026, 1 + n % 3, 1) if n % 4 else None,
                "first_order_at": utc(2025, 12, 1) if n % 4 else None,
                "email_consent": n % 3 == 0,
                "country": "DE" if n % 2 else None,
            }
        )
    for n, spec in enumerate(specs):
        await make_customer(database, email=f"p{n:02d}@shop.example", created_at=utc(2026, 1, 1 + n % 5), **spec)


async def _listed(client: httpx.AsyncClient, headers: dict[str, str], params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await client.get(
            "/api/customers", params={**params, "limit": 5, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _z(moment: str | None) -> str:
    # The API writes +00:00; the CSV format writes Z.
    return "" if moment is None else moment.replace("+00:00", "Z")


FILTERS: list[dict[str, Any]] = [
    {},
    {"sort": "name", "order": "asc"},
    {"sort": "name", "order": "desc"},
    {"sort": "email", "order": "asc"},
    {"sort": "last_order_at", "order": "asc"},  # nullable: NULLs last
    {"sort": "last_order_at", "order": "desc"},  # NULLs first
    {"sort": "country", "order": "asc"},
    {"sort": "total_spend", "order": "desc", "status": ["active", "archived"]},
    {"sort": "tier", "order": "asc", "tier": ["bronze", "silver"]},
    {"q": "berg"},
    {"q": "berg", "sort": "total_orders", "order": "asc"},
    {"spend_min": "100", "spend_max": "1300", "email_consent": "true"},
    {"country": ["DE", "FR"], "last_order_from": "2026-01-01", "last_order_to": "2026-10-01"},
    {"created_from": "2026-01-02", "created_to": "2026-01-03", "orders_min": "1"},
    {"q": "nobody-has-this"},
]


@pytest.mark.parametrize("params", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
async def test_the_file_is_the_filtered_list_every_page(app_client, database, viewer, params):
    await _people(database)
    response = await app_client.get("/api/customers.csv", params=params, headers=viewer)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="customers.csv"' in response.headers["content-disposition"]
    reader = csv.reader(io.StringIO(response.text))
    assert tuple(next(reader)) == csv_formats.CUSTOMERS
    rows = [dict(zip(csv_formats.CUSTOMERS, r, strict=True)) for r in reader]
    listed = await _listed(app_client, viewer, params)
    assert [r["email"] for r in rows] == [c["email"] for c in listed]
    for row, c in zip(rows, listed, strict=True):
        assert row == {
            "email": c["email"],
            "first_name": _safe(c["first_name"]),
            "last_name": _safe(c["last_name"]),
            "phone": _safe(c["phone"] or ""),
            "status": c["status"],
            "city": _safe(c["city"] or ""),
            "country": c["country"] or "",
            "email_consent": "true" if c["email_consent"] else "false",
            "created_at": _z(c["created_at"]),
            "total_spend": c["total_spend"],
            "total_orders": str(c["total_orders"]),
            "first_order_at": _z(c["first_order_at"]),
            "last_order_at": _z(c["last_order_at"]),
        }


async def test_formats_and_injection_cells(app_client, database, viewer):
    await _people(database)
    text = (await app_client.get("/api/customers.csv", params={"sort": "email", "order": "asc"}, headers=viewer)).text
    rows = list(csv.DictReader(io.StringIO(text)))
    anna, evil, bert = rows[0], rows[1], rows[2]
    assert anna["total_spend"] == "1200.50"
    assert anna["last_order_at"] == "2026-10-01T09:00:00Z"
    assert anna["city"] == "Köln"
    assert anna["email_consent"] == "true"
    assert bert["email_consent"] == "false"
    assert evil["first_name"] == '\'=HYPERLINK("http://x")'
    assert evil["city"] == "'+49 calc"
    assert bert["phone"] == "'+4915123456789"  # a leading + is a formula start too
    assert rows[3]["city"] == "Lyon, Rhône"  # quoted, read back whole


async def test_roles_and_bad_input(app_client, database, make_user):
    assert (await app_client.get("/api/customers.csv")).status_code == 401
    for role in Role:  # whoever may read the list may export it
        user = await make_user(role)
        ok = await app_client.get("/api/customers.csv", headers={"Authorization": f"Bearer {user.token}"})
        assert ok.status_code == 200
    headers = {"Authorization": f"Bearer {user.token}"}
    for params, loc in [
        ({"sort": "nope"}, "sort"),
        ({"spend_min": "1e400"}, "spend_min"),
        ({"q": "a\x00b"}, "q"),
        ({"orders_min": "99999999999999999999"}, "orders_min"),
        ({"limit": "5"}, "limit"),  # the file has no pages
        ({"cursor": "abc.def"}, "cursor"),
    ]:
        response = await app_client.get("/api/customers.csv", params=params, headers=headers)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["error"]["details"][0]["loc"][-1] == loc
    twice = await app_client.get("/api/customers.csv", params=[("q", "a"), ("q", "b")], headers=headers)
    assert twice.status_code == 422


async def _bulk_customers(database: Database, count: int, start: int) -> None:
    rows = [
        {
            "first_name": f"Bulk{n}",
            "last_name": "Customer",
            "email": f"bulk{start + n}@load.example",
            "status": "active",
            "total_spend": Decimal("12.34"),
            "total_orders": 1,
            "email_consent": True,
            "city": "Somewhere",
        }
        for n in range(count)
    ]
    async with database.transaction() as session:
        await session.execute(insert(Customer), rows)


async def _export_peak(database: Database) -> tuple[int, int, int]:
    """(bytes written, chunks, peak bytes allocated while streaming), read the way the route reads."""
    statement = service.csv_query(CustomerFilters(), database.settings, capabilities_of(database.read_engine))
    size = chunks = 0
    tracemalloc.start()
    try:
        async with database.read_engine.connect() as conn:
            conn = await conn.execution_options(isolation_level=capabilities_of(conn).streaming_isolation)
            async with conn.begin():
                tracemalloc.reset_peak()
                async for chunk in service.customers_csv(conn, statement):
                    size += len(chunk)
                    chunks += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return size, chunks, peak


async def test_memory_stays_flat_whatever_the_length(app_client, database, viewer):
    await _bulk_customers(database, 2_000, 0)
    await _export_peak(database)  # once first: what a first run builds (compiled statements) is not the rows'
    small_size, small_chunks, small_peak = await _export_peak(database)
    await _bulk_customers(database, 10_000, 2_000)
    large_size, large_chunks, large_peak = await _export_peak(database)
    assert large_size > 5.5 * small_size
    assert (small_chunks, large_chunks) == (1 + 2, 1 + 12)  # the header, then one chunk per 1,000 rows
    # Six times the rows, about the same memory: one batch at a time, never the whole file.
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)

    # Over HTTP the body leaves as those chunks too (one ASGI message each): a stream, not one string built
    # first. Read at the ASGI level, since the test client joins what it receives.
    parts = await _body_messages(app_client.app, "/api/customers.csv", viewer)
    assert len(parts) == 13
    assert sum(len(p) for p in parts) == large_size  # ASCII data: bytes and characters agree


async def _body_messages(app: Any, path: str, headers: dict[str, str]) -> list[bytes]:
    """The non-empty `http.response.body` messages the app sends for a GET."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
        "client": ("203.0.113.7", 5000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    requested = False
    finished = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await finished.wait()  # the client stays connected until the answer is complete
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    finished.set()
    assert (sent[0]["type"], sent[0]["status"]) == ("http.response.start", 200), sent[0]
    return [m["body"] for m in sent if m["type"] == "http.response.body" and m.get("body")]
