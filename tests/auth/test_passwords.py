"""The password policy, changing one's password, an admin's reset, and deactivation that lasts: through
the HTTP API on both engines (the policy's own rules also directly)."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator

import anyio
import httpx
import pytest

from shopcrm.auth import passwords
from shopcrm.auth.models import Role
from tests.conftest import Creds, login, make_settings

STRONG = "tulip-orbit-quarry-47"
TRIVIAL = ["          ", "aaaaaaaaaa", "1234567890", "password123", "qwertyuiop", "abcdefghij", "01011990xx"]


def bearer(user: Creds) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.token}"}


def field_errors(response: httpx.Response) -> dict[str, str]:
    """The 422's details as {field: message}."""
    assert response.status_code == 422, response.text
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    return {detail["loc"][-1]: detail["message"] for detail in body["details"]}


async def user_id(client: httpx.AsyncClient, user: Creds) -> int:
    me = await client.get("/api/auth/me", headers=bearer(user))
    found: int = me.json()["id"]
    return found


@pytest.fixture
async def other_client(app_client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser (its own cookie jar) on the same app."""
    transport = httpx.ASGITransport(app=app_client.app, client=("198.51.100.9", 5000))  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


# The policy itself


@pytest.mark.parametrize("password", TRIVIAL)
def test_the_policy_refuses_trivial_passwords_with_advice(password: str):
    problem = passwords.password_problem(password, user_inputs=passwords.user_words("ada@example.com", "Ada Admin"))
    assert problem is not None
    assert problem.startswith(("Too easy to guess.", "Must not be only spaces."))


def test_the_policy_names_what_is_wrong():
    assert passwords.password_problem("short") == "Must be at least 10 characters long."
    assert passwords.password_problem(" " * 12) == "Must not be only spaces."
    common = passwords.password_problem("1234567890")
    assert common is not None
    assert "common password" in common
    mine = passwords.password_problem("Ada.Lovelace-1", own_names=passwords.user_names("ada.lovelace@x.org", "Ada L"))
    assert mine == "Too easy to guess. It contains your name or email."


@pytest.mark.parametrize("password", [STRONG, "correct-horse-battery", secrets.token_urlsafe(12)])
def test_the_policy_accepts_strong_passwords(password: str):
    assert passwords.password_problem(password, user_inputs=passwords.user_words("ada@example.com", "Ada")) is None


def test_the_users_own_email_and_name_count_as_known_words():
    # Strong for anyone else; for Zyxquon Brevalt it is two words everyone around them knows.
    password = "brevaltzyxquon"
    passwords.check_new_password(password, field="password", email="someone@example.com", full_name="Some One")
    with pytest.raises(passwords.WeakPassword) as refused:
        passwords.check_new_password(password, field="password", email="zb@example.com", full_name="Zyxquon Brevalt")
    assert refused.value.details == [
        {"loc": ["body", "password"], "message": refused.value.problem, "type": "weak_password"}
    ]
    assert refused.value.problem.startswith("Too easy to guess.")


def test_long_passwords_are_judged_in_bounded_time():
    # zxcvbn alone takes minutes on 1,024 repeated characters; only the first 72 are scored.
    started = time.monotonic()
    assert passwords.password_problem("ab" * 512) is not None
    assert passwords.password_problem(secrets.token_urlsafe(800)[:1024]) is None
    assert time.monotonic() - started < 5


async def test_hashing_runs_off_the_event_loop():
    settings = make_settings("sqlite+aiosqlite:///:memory:", argon2_time_cost=3, argon2_memory_cost=65536)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await anyio.sleep(0.005)
            ticks += 1

    async with anyio.create_task_group() as group:
        group.start_soon(tick)
        started = time.monotonic()
        hashed = await passwords.hash_password(STRONG, settings)
        took = time.monotonic() - started
        group.cancel_scope.cancel()
    assert await passwords.verify_password(STRONG, hashed, settings)
    assert not await passwords.verify_password(STRONG + "x", hashed, settings)
    # While Argon2 worked, the loop kept running other tasks.
    assert took > 0.05
    assert ticks >= took / 0.005 / 4


# Creating a user


@pytest.mark.parametrize("password", ["          ", "aaaaaaaaaa", "1234567890"])
async def test_create_user_refuses_trivial_passwords_naming_the_field(
    app_client: httpx.AsyncClient, make_user, password
):
    admin = await make_user(Role.admin)
    payload = {"email": "new@example.com", "full_name": "New Person", "role": "viewer", "password": password}
    response = await app_client.post("/api/users", json=payload, headers=bearer(admin))
    errors = field_errors(response)
    assert list(errors) == ["password"]
    assert errors["password"].startswith(("Too easy to guess.", "Must not be only spaces."))
    assert response.json()["error"]["message"].startswith("password: ")
    listed = await app_client.get("/api/users", headers=bearer(admin))
    assert "new@example.com" not in {u["email"] for u in listed.json()["items"]}


async def test_create_user_refuses_a_password_made_of_the_users_own_email(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    payload = {"email": "grace.hopper@example.com", "full_name": "Grace Hopper", "role": "viewer"}
    refused = await app_client.post("/api/users", json={**payload, "password": "gracehopper1"}, headers=bearer(admin))
    assert list(field_errors(refused)) == ["password"]
    ok = await app_client.post("/api/users", json={**payload, "password": STRONG}, headers=bearer(admin))
    assert ok.status_code == 201, ok.text


# Changing one's own password


async def test_changing_ones_password_keeps_this_session_and_ends_the_others(
    app_client: httpx.AsyncClient, other_client: httpx.AsyncClient, make_user
):
    user = await make_user(Role.viewer)
    csrf = await login(app_client, user)
    await login(other_client, user)

    changed = await app_client.post(
        "/api/auth/password",
        json={"current_password": user.password, "new_password": STRONG},
        headers={"X-CSRF-Token": csrf},
    )
    assert changed.status_code == 204, changed.text
    assert (await app_client.get("/api/auth/me")).status_code == 200
    assert (await other_client.get("/api/auth/me")).status_code == 401
    # Scripts keep working: API tokens are not browser sessions.
    assert (await app_client.get("/api/auth/me", headers=bearer(user))).status_code == 200

    old = await other_client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert old.status_code == 401
    new = await other_client.post("/api/auth/login", json={"email": user.email, "password": STRONG})
    assert new.status_code == 200


async def test_wrong_current_passwords_are_422s_then_slowed_down_but_logins_are_not(
    app_client: httpx.AsyncClient, make_user, settings
):
    """A stolen session must not be a way to guess the password: the proofs are counted like logins, on
    their own counter, so the owner can still log in elsewhere."""
    user = await make_user(Role.marketer)
    csrf = await login(app_client, user)

    async def change(current: str) -> httpx.Response:
        return await app_client.post(
            "/api/auth/password",
            json={"current_password": current, "new_password": STRONG},
            headers={"X-CSRF-Token": csrf},
        )

    for _ in range(settings.login_free_attempts):
        assert field_errors(await change("not-my-password")) == {
            "current_password": "This is not your current password."
        }
    blocked = await change(user.password)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    # The password did not change, and logging in is not slowed down.
    again = await app_client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert again.status_code == 200, again.text


@pytest.mark.parametrize("weak", ["1234567890", "aaaaaaaaaa", "          "])
async def test_a_weak_new_password_is_refused_and_nothing_changes(
    app_client: httpx.AsyncClient, other_client: httpx.AsyncClient, make_user, weak: str
):
    user = await make_user(Role.viewer)
    csrf = await login(app_client, user)
    await login(other_client, user)
    response = await app_client.post(
        "/api/auth/password",
        json={"current_password": user.password, "new_password": weak},
        headers={"X-CSRF-Token": csrf},
    )
    assert list(field_errors(response)) == ["new_password"]
    assert (await other_client.get("/api/auth/me")).status_code == 200
    relogin = await other_client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert relogin.status_code == 200


async def test_the_new_password_must_differ_from_the_current_one(app_client: httpx.AsyncClient, make_user):
    user = await make_user(Role.viewer)
    response = await app_client.post(
        "/api/auth/password",
        json={"current_password": user.password, "new_password": user.password},
        headers=bearer(user),
    )
    assert field_errors(response) == {"new_password": "Must differ from your current password."}


async def test_changing_the_password_with_a_token_ends_every_browser_session(
    app_client: httpx.AsyncClient, other_client: httpx.AsyncClient, make_user
):
    user = await make_user(Role.viewer)
    await login(other_client, user)
    changed = await app_client.post(
        "/api/auth/password", json={"current_password": user.password, "new_password": STRONG}, headers=bearer(user)
    )
    assert changed.status_code == 204
    assert (await other_client.get("/api/auth/me")).status_code == 401


async def test_changing_the_password_needs_the_csrf_token(app_client: httpx.AsyncClient, make_user):
    user = await make_user(Role.viewer)
    await login(app_client, user)
    response = await app_client.post(
        "/api/auth/password", json={"current_password": user.password, "new_password": STRONG}
    )
    assert response.status_code == 403


# An admin's reset


async def test_an_admin_reset_sets_the_password_and_ends_all_the_users_sessions(
    app_client: httpx.AsyncClient, other_client: httpx.AsyncClient, make_user
):
    admin, marketer = await make_user(Role.admin), await make_user(Role.marketer)
    await login(other_client, marketer)
    target = await user_id(app_client, marketer)

    reset = await app_client.post(f"/api/users/{target}/password", json={"new_password": STRONG}, headers=bearer(admin))
    assert reset.status_code == 204, reset.text
    assert (await other_client.get("/api/auth/me")).status_code == 401
    old = await other_client.post("/api/auth/login", json={"email": marketer.email, "password": marketer.password})
    assert old.status_code == 401
    new = await other_client.post("/api/auth/login", json={"email": marketer.email, "password": STRONG})
    assert new.status_code == 200
    # Without revoke_tokens the user's scripts go on.
    assert (await app_client.get("/api/auth/me", headers=bearer(marketer))).status_code == 200


async def test_an_admin_reset_can_revoke_the_users_tokens(app_client: httpx.AsyncClient, make_user):
    admin, marketer = await make_user(Role.admin), await make_user(Role.marketer)
    target = await user_id(app_client, marketer)
    reset = await app_client.post(
        f"/api/users/{target}/password", json={"new_password": STRONG, "revoke_tokens": True}, headers=bearer(admin)
    )
    assert reset.status_code == 204
    assert (await app_client.get("/api/auth/me", headers=bearer(marketer))).status_code == 401


async def test_an_admin_reset_refuses_a_weak_password(app_client: httpx.AsyncClient, make_user):
    admin, viewer = await make_user(Role.admin), await make_user(Role.viewer)
    target = await user_id(app_client, viewer)
    reset = await app_client.post(
        f"/api/users/{target}/password", json={"new_password": "1234567890"}, headers=bearer(admin)
    )
    assert list(field_errors(reset)) == ["new_password"]
    relogin = await app_client.post("/api/auth/login", json={"email": viewer.email, "password": viewer.password})
    assert relogin.status_code == 200


async def test_an_admin_reset_of_an_unknown_user_is_404_and_of_oneself_403(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    missing = await app_client.post("/api/users/999999/password", json={"new_password": STRONG}, headers=bearer(admin))
    assert missing.status_code == 404
    own = await user_id(app_client, admin)
    itself = await app_client.post(f"/api/users/{own}/password", json={"new_password": STRONG}, headers=bearer(admin))
    assert itself.status_code == 403
    assert "current" in itself.json()["error"]["message"]


async def test_only_an_admin_may_reset_a_password(app_client: httpx.AsyncClient, make_user):
    marketer, viewer = await make_user(Role.marketer), await make_user(Role.viewer)
    target = await user_id(app_client, viewer)
    denied = await app_client.post(
        f"/api/users/{target}/password", json={"new_password": STRONG}, headers=bearer(marketer)
    )
    assert denied.status_code == 403
