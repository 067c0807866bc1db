"""Text no database can store (NUL, lone surrogates, bytes that are not UTF-8) is a 422 at the edge, naming
where it was, on both engines; emoji (surrogate pairs in JSON escapes, or plain UTF-8) pass untouched."""

from __future__ import annotations

import httpx
import pytest

from shopcrm.auth.models import Role


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


def assert_refused(response: httpx.Response, loc: list) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["loc"] == loc
    assert response.headers["x-content-type-options"] == "nosniff"


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [
        b'{"email": "a\\u0000@example.com", "password": "whatever-password"}',
        b'{"email": "a\\ud800@example.com", "password": "whatever-password"}',
        b'{"email": "a\\udc00\\ud800@example.com", "password": "whatever-password"}',  # a pair the wrong way round
        b'{"email": "a\xed\xa0\x80@example.com", "password": "whatever-password"}',  # a surrogate as raw bytes
    ],
    ids=["nul", "lone-high-surrogate", "reversed-pair", "raw-surrogate-bytes"],
)
async def test_unauthenticated_login_with_unstorable_email_is_422(app_client: httpx.AsyncClient, body: bytes):
    """The schemathesis finding: a NUL in the login email was a 500 on PostgreSQL."""
    response = await app_client.post("/api/auth/login", content=body, headers=JSON)
    loc = ["body"] if b"\xed" in body else ["body", "email"]
    assert_refused(response, loc)


async def test_login_with_nul_in_the_password_is_422(app_client: httpx.AsyncClient, make_user):
    user = await make_user()
    response = await app_client.post("/api/auth/login", json={"email": user.email, "password": "pass\x00word"})
    assert_refused(response, ["body", "password"])


async def test_keys_and_nested_values_are_checked(app_client: httpx.AsyncClient, writer):
    order = {
        "order_number": "N-1",
        "customer_id": 1,
        "items": [{"sku": "A", "quantity": 1}, {"sku": "B\x00", "quantity": 1}],
    }
    assert_refused(await app_client.post("/api/orders", json=order, headers=writer), ["body", "items", 1, "sku"])
    response = await app_client.post(
        "/api/customers", content=b'{"first_name\\u0000": "x"}', headers={**writer, **JSON}
    )
    assert_refused(response, ["body", "first_name\ufffd"])


async def test_emoji_in_json_escapes_and_raw_utf8_are_accepted(app_client: httpx.AsyncClient, writer):
    escaped = (
        b'{"first_name": "Zo\\u00eb \\ud83d\\ude00", "last_name": "K\xc3\xb6nig \xf0\x9f\x8e\x89",'
        b' "email": "zoe@example.com"}'
    )
    created = await app_client.post("/api/customers", content=escaped, headers={**writer, **JSON})
    assert created.status_code == 201, created.text
    assert created.json()["first_name"] == "Zoë 😀"
    assert created.json()["last_name"] == "König 🎉"
    found = await app_client.get("/api/customers", params={"q": "Zo"}, headers=writer)
    assert [c["first_name"] for c in found.json()["items"]] == ["Zoë 😀"]


async def test_emoji_email_login_is_an_ordinary_failed_login(app_client: httpx.AsyncClient):
    response = await app_client.post("/api/auth/login", json={"email": "😀@example.com", "password": "nope-nope"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ("q=%ED%A0%80", ["query", "q"]),  # a UTF-8-encoded surrogate: not UTF-8
        ("q=caf%E9", ["query", "q"]),  # Latin-1, not UTF-8 (once silently replaced by U+FFFD)
        ("sort=name&q=a%00b", ["query", "q"]),
        ("q%00=x", ["query", "q\ufffd"]),
    ],
)
async def test_query_strings_are_checked_after_percent_decoding(
    app_client: httpx.AsyncClient, writer, query: str, loc: list
):
    response = await app_client.get(f"/api/customers?{query}", headers=writer)
    assert_refused(response, loc)


async def test_plain_and_utf8_queries_still_work(app_client: httpx.AsyncClient, writer):
    for query in ("q=ada", "q=caf%C3%A9", "q=%F0%9F%98%80", "q=a+b&sort=name"):
        response = await app_client.get(f"/api/customers?{query}", headers=writer)
        assert response.status_code == 200, (query, response.text)


@pytest.mark.parametrize("path", ["/api/nothing%00here", "/api/customers/1%00/details", "/anything%ED%A0%80"])
async def test_paths_are_checked(app_client: httpx.AsyncClient, writer, path: str):
    assert_refused(await app_client.get(path, headers=writer), ["path"])


async def test_deeply_nested_json_is_not_a_500(app_client: httpx.AsyncClient):
    body = b'{"email": ' + b"[" * 100_000 + b'"\\u0041"' + b"]" * 100_000 + b', "password": "x"}'
    response = await app_client.post("/api/auth/login", content=body, headers=JSON)
    assert response.status_code in (400, 422)
