"""Login, sessions, CSRF, API tokens, roles and the failed-login throttle, through the HTTP API."""

from __future__ import annotations

import httpx
import pytest

from shopcrm.auth.models import Role
from tests.conftest import Creds, login


async def test_login_sets_httponly_samesite_cookie_and_me_returns_user(app_client: httpx.AsyncClient, make_user):
    user: Creds = await make_user(Role.marketer)
    response = await app_client.post("/api/auth/login", json={"email": user.email.upper(), "password": user.password})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == user.email
    assert body["user"]["role"] == "marketer"
    set_cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in set_cookies if c.startswith("shopcrm_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie
    csrf_cookie = next(c for c in set_cookies if c.startswith("shopcrm_csrf="))
    assert "HttpOnly" not in csrf_cookie
    assert body["csrf_token"] in csrf_cookie

    me = await app_client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json() == {
        "id": body["user"]["id"],
        "email": user.email,
        "full_name": "Test marketer",
        "role": "marketer",
    }


async def test_wrong_password_and_unknown_email_get_the_same_401(app_client: httpx.AsyncClient, make_user):
    user = await make_user()
    wrong = await app_client.post("/api/auth/login", json={"email": user.email, "password": "not-the-password"})
    unknown = await app_client.post("/api/auth/login", json={"email": "nobody@example.com", "password": "whatever"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "not_authenticated"
    assert "shopcrm_session" not in wrong.headers.get("set-cookie", "")


async def test_logout_ends_the_session(app_client: httpx.AsyncClient, make_user):
    user = await make_user()
    csrf = await login(app_client, user)
    response = await app_client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 204
    assert (await app_client.get("/api/auth/me")).status_code == 401


async def test_a_stolen_cookie_after_logout_is_useless(app_client: httpx.AsyncClient, make_user):
    user = await make_user()
    csrf = await login(app_client, user)
    cookie = app_client.cookies.get("shopcrm_session")
    await app_client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    app_client.cookies.set("shopcrm_session", cookie or "")
    replay = await app_client.get("/api/auth/me")
    assert replay.status_code == 401


async def test_cookie_writes_need_the_csrf_token(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    csrf = await login(app_client, admin)
    payload = {"email": "new@example.com", "full_name": "New Person", "role": "viewer", "password": "long-enough-pw"}
    missing = await app_client.post("/api/users", json=payload)
    assert missing.status_code == 403
    assert missing.json()["error"]["message"] == "Missing or wrong CSRF token"
    wrong = await app_client.post("/api/users", json=payload, headers={"X-CSRF-Token": "x" + csrf})
    assert wrong.status_code == 403
    ok = await app_client.post("/api/users", json=payload, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201, ok.text
    # Reads need no CSRF token.
    assert (await app_client.get("/api/users")).status_code == 200


async def test_bearer_token_works_without_csrf_and_can_be_revoked(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    headers = {"Authorization": f"Bearer {admin.token}"}
    created = await app_client.post("/api/auth/tokens", json={"name": "ci", "expires_in_days": 30}, headers=headers)
    assert created.status_code == 201
    new_token = created.json()["token"]
    assert new_token.startswith("scrm_")
    listed = await app_client.get("/api/auth/tokens", headers={"Authorization": f"Bearer {new_token}"})
    assert listed.status_code == 200
    assert {t["name"] for t in listed.json()["items"]} == {"tests", "ci"}
    assert all("token" not in t for t in listed.json()["items"])
    revoke = await app_client.delete(f"/api/auth/tokens/{created.json()['id']}", headers=headers)
    assert revoke.status_code == 204
    after = await app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {new_token}"})
    assert after.status_code == 401
    bogus = await app_client.get("/api/auth/me", headers={"Authorization": "Bearer scrm_not-a-token"})
    assert bogus.status_code == 401


async def test_viewer_can_read_but_not_write(app_client: httpx.AsyncClient, make_user):
    viewer = await make_user(Role.viewer)
    headers = {"Authorization": f"Bearer {viewer.token}"}
    assert (await app_client.get("/api/auth/me", headers=headers)).status_code == 200
    payload = {"email": "x@example.com", "full_name": "X", "role": "admin", "password": "long-enough-pw"}
    denied = await app_client.post("/api/users", json=payload, headers=headers)
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "forbidden"


async def test_deactivated_user_loses_sessions_and_tokens(app_client: httpx.AsyncClient, make_user):
    admin, marketer = await make_user(Role.admin), await make_user(Role.marketer)
    me = await app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {marketer.token}"})
    response = await app_client.patch(
        f"/api/users/{me.json()['id']}", json={"is_active": False}, headers={"Authorization": f"Bearer {admin.token}"}
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    again = await app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {marketer.token}"})
    assert again.status_code == 401
    relogin = await app_client.post("/api/auth/login", json={"email": marketer.email, "password": marketer.password})
    assert relogin.status_code == 401


async def test_reactivating_a_user_brings_back_neither_tokens_nor_sessions(app_client: httpx.AsyncClient, make_user):
    admin, marketer = await make_user(Role.admin), await make_user(Role.marketer)
    admin_headers, marketer_headers = (
        {"Authorization": f"Bearer {admin.token}"},
        {"Authorization": f"Bearer {marketer.token}"},
    )
    transport = httpx.ASGITransport(app=app_client.app, client=("198.51.100.9", 5000))  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        await login(browser, marketer)
        me = await app_client.get("/api/auth/me", headers=marketer_headers)
        assert me.status_code == 200
        for active in (False, True):
            response = await app_client.patch(
                f"/api/users/{me.json()['id']}", json={"is_active": active}, headers=admin_headers
            )
            assert response.status_code == 200
            assert response.json()["is_active"] is active

        assert (await app_client.get("/api/auth/me", headers=marketer_headers)).status_code == 401
        assert (await browser.get("/api/auth/me")).status_code == 401
        # The user may log in again and make new tokens; the old ones stay revoked.
        csrf = await login(browser, marketer)
        tokens = await browser.get("/api/auth/tokens", headers={"X-CSRF-Token": csrf})
        assert tokens.json()["items"] == []


async def test_admin_cannot_demote_self(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    headers = {"Authorization": f"Bearer {admin.token}"}
    me = (await app_client.get("/api/auth/me", headers=headers)).json()
    response = await app_client.patch(f"/api/users/{me['id']}", json={"role": "viewer"}, headers=headers)
    assert response.status_code == 403


async def test_duplicate_user_email_is_409(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    headers = {"Authorization": f"Bearer {admin.token}"}
    payload = {"email": admin.email.upper(), "full_name": "Dup", "role": "viewer", "password": "long-enough-pw"}
    response = await app_client.post("/api/users", json=payload, headers=headers)
    assert response.status_code == 409
    assert response.json()["error"]["details"][0]["loc"] == ["email"]


async def test_repeated_failures_slow_down_logins(app_client: httpx.AsyncClient, make_user, settings):
    user = await make_user()
    statuses = []
    for _ in range(settings.login_free_attempts):
        response = await app_client.post("/api/auth/login", json={"email": user.email, "password": "wrong-password"})
        statuses.append(response.status_code)
    assert statuses == [401] * settings.login_free_attempts
    # Now even the right password must wait.
    blocked = await app_client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    assert blocked.json()["error"]["code"] == "too_many_requests"


@pytest.mark.parametrize("path", ["/api/auth/me", "/api/auth/tokens", "/api/users"])
async def test_no_credentials_is_401(app_client: httpx.AsyncClient, path: str):
    response = await app_client.get(path)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}
