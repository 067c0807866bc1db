"""List cursors are signed, and what a signed cursor carries is still checked against its column's type.

Each crafted value below once reached the database and came back a 500 (or would have): here each rides
in a *validly signed* cursor, so the check behind the signature is what is tested, through HTTP on both
engines and on both lists. A cursor changed by a byte, signed with another key, or in the old unsigned
format is refused before its payload is even read.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.core.pagination import MAX_CURSOR_LENGTH, CursorCodec
from tests.factories import make_customer

TIMES = [
    "0001-01-01T00:00:00+01:00",  # before year 1 once in UTC: OverflowError
    "9999-12-31T23:59:59-01:00",  # after 9999 once in UTC
    "2024-01-01T00:00:00",  # no offset
    "2024-13-01T00:00:00+00:00",
    "not a time",
    "2024-01-01T00:00:00+00:00" + " " * 40,  # too long
    1_700_000_000,
]
DECIMALS = ["1e999999", "1e-999999", "NaN", "sNaN", "-Infinity", "10000000000.00", "0.001", 12.5, 5, "x"]
STRINGS = ["a\x00b", "\ud800", "x\udfff", 7, None, ["a"]]
INT32 = [2**31, -(2**31) - 1, 2**63, 2**64, 10**30, 1.5, True, "5", None]

# (list path, sort, number of sort columns, crafted values for one of them)
CASES: list[tuple[str, str, int, list[Any]]] = [
    ("/api/customers", "created_at", 1, TIMES),
    ("/api/customers", "last_order_at", 1, TIMES),
    ("/api/customers", "total_spend", 1, DECIMALS),
    ("/api/customers", "total_orders", 1, INT32),
    ("/api/customers", "name", 2, [*STRINGS, "x" * 101]),
    ("/api/customers", "email", 1, [*STRINGS, "x" * 255]),
    ("/api/customers", "country", 1, ["a\x00", "\udc00", "ABC"]),
    ("/api/customers", "status", 1, ["\x00", "\ud83d", "x" * 17]),
    ("/api/orders", "placed_at", 1, TIMES),
    ("/api/orders", "total_amount", 1, DECIMALS),
    ("/api/orders", "order_number", 1, [*STRINGS, "x" * 65]),
]
PLAUSIBLE = {
    "created_at": "2024-01-01T00:00:00+00:00",
    "last_order_at": "2024-01-01T00:00:00+00:00",
    "placed_at": "2024-01-01T00:00:00+00:00",
    "total_spend": "10.00",
    "total_amount": "10.00",
    "total_orders": 3,
    "name": "Smith",
    "email": "a@example.com",
    "country": "DE",
    "status": "active",
    "order_number": "1001",
}


@pytest.fixture
async def viewer(make_user) -> dict[str, str]:
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}


def signed(settings: Settings, sort: str, values: list[Any], *, row_id: Any = 5, order: str = "asc") -> str:
    payload = {"s": sort, "o": order, "v": values, "i": row_id, "b": False}
    return CursorCodec(settings.signing_key).sign(json.dumps(payload).encode())


def assert_cursor_refused(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["loc"] == ["query", "cursor"]
    assert "start again from the first page" in error["message"]


@pytest.mark.parametrize(("path", "sort", "width", "crafted"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
async def test_signed_cursors_with_values_their_column_cannot_hold_are_422(
    app_client: httpx.AsyncClient, viewer, settings: Settings, path: str, sort: str, width: int, crafted: list[Any]
):
    for value in crafted:
        if value is None and sort in ("last_order_at", "country"):
            continue  # NULL is a real position in a nullable sort
        for position in range(width):
            values = [PLAUSIBLE[sort]] * width
            values[position] = value
            for order in ("asc", "desc"):
                cursor = signed(settings, sort, values, order=order)
                response = await app_client.get(
                    path, params={"sort": sort, "order": order, "cursor": cursor}, headers=viewer
                )
                assert_cursor_refused(response)


@pytest.mark.parametrize("path", ["/api/customers", "/api/orders"])
async def test_signed_cursor_ids_outside_the_id_range_are_422(
    app_client: httpx.AsyncClient, viewer, settings: Settings, path: str
):
    sort = "created_at" if path == "/api/customers" else "placed_at"
    for row_id in (0, -1, 2**53, 2**63, 2**64, "5", True, 1.0, None):
        response = await app_client.get(
            path,
            params={"sort": sort, "cursor": signed(settings, sort, [PLAUSIBLE[sort]], row_id=row_id)},
            headers=viewer,
        )
        assert_cursor_refused(response)


@pytest.mark.parametrize("path", ["/api/customers", "/api/orders"])
async def test_plausible_signed_cursors_are_accepted(app_client: httpx.AsyncClient, viewer, settings: Settings, path):
    """The checks refuse what a column cannot hold, not what the server issues."""
    sorts = {c[1] for c in CASES if c[0] == path}
    for sort in sorts:
        width = 2 if sort == "name" else 1
        for order in ("asc", "desc"):
            cursor = signed(settings, sort, [PLAUSIBLE[sort]] * width, order=order)
            response = await app_client.get(
                path, params={"sort": sort, "order": order, "cursor": cursor}, headers=viewer
            )
            assert response.status_code == 200, (sort, response.text)
    nulls_first = signed(settings, "last_order_at", [None], order="desc") if path == "/api/customers" else None
    if nulls_first:
        response = await app_client.get(
            path, params={"sort": "last_order_at", "order": "desc", "cursor": nulls_first}, headers=viewer
        )
        assert response.status_code == 200


def _flip(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


async def test_a_tampered_or_foreign_cursor_is_refused(app_client: httpx.AsyncClient, viewer, database, settings):
    for _ in range(3):
        await make_customer(database)
    for sort in ("name", "created_at", "total_spend"):
        params = {"sort": sort, "limit": 1}
        first = (await app_client.get("/api/customers", params=params, headers=viewer)).json()
        cursor = first["next_cursor"]
        assert (
            await app_client.get("/api/customers", params={**params, "cursor": cursor}, headers=viewer)
        ).status_code == 200

        body, mac = cursor.split(".")
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        forged_body = base64.urlsafe_b64encode(json.dumps({**payload, "i": 1}).encode()).decode().rstrip("=")
        foreign = CursorCodec(b"another server's key").encode(sort, "desc", [], 1, backwards=False)
        unsigned = body  # the old format: the payload alone
        for bad in (_flip(cursor, 3), _flip(cursor, len(cursor) - 2), f"{forged_body}.{mac}", foreign, unsigned):
            response = await app_client.get("/api/customers", params={**params, "cursor": bad}, headers=viewer)
            assert response.status_code == 422, (sort, bad)
            assert response.json()["error"]["details"][0]["loc"] == ["query", "cursor"]


async def test_orders_refuse_a_tampered_cursor(app_client: httpx.AsyncClient, viewer, settings):
    good = CursorCodec(settings.signing_key).encode("order_number", "asc", ["1001"], 5, backwards=False)
    assert (
        await app_client.get(
            "/api/orders", params={"sort": "order_number", "order": "asc", "cursor": good}, headers=viewer
        )
    ).status_code == 200
    response = await app_client.get(
        "/api/orders", params={"sort": "order_number", "order": "asc", "cursor": _flip(good, 0)}, headers=viewer
    )
    assert_cursor_refused(response)


async def test_cursors_for_the_longest_names_fit_the_cursor_limit(app_client: httpx.AsyncClient, viewer, database):
    """Two 100-character names of 4-byte characters: the cursor is long, and still taken back."""
    for i in range(3):
        await make_customer(database, first_name="😀" * 100, last_name="\U0001d518" * 99 + str(i))
    seen = []
    params: dict[str, Any] = {"sort": "name", "limit": 1}
    while True:
        page = await app_client.get("/api/customers", params=params, headers=viewer)
        assert page.status_code == 200, page.text
        seen += [c["id"] for c in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
        assert 500 < len(cursor) <= MAX_CURSOR_LENGTH
        params["cursor"] = cursor
    assert len(seen) == len(set(seen)) == 3


async def test_orders_refuse_a_tampered_cursor_when_the_search_finds_nobody(
    app_client: httpx.AsyncClient, viewer, settings
):
    """A search matching no customer answers without reading orders, but still checks the cursor it was sent."""
    good = CursorCodec(settings.signing_key).encode("order_number", "asc", ["1001"], 5, backwards=False)
    params = {"sort": "order_number", "order": "asc", "q": "nobody-at-all"}
    ok = await app_client.get("/api/orders", params={**params, "cursor": good}, headers=viewer)
    assert ok.status_code == 200
    assert ok.json()["items"] == []
    response = await app_client.get("/api/orders", params={**params, "cursor": _flip(good, 0)}, headers=viewer)
    assert_cursor_refused(response)
