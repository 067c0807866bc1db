"""The per-process cache of checked API tokens: its bound is the TTL, this process forgets at once, and an
entry never outlives its token."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import httpx
import pytest
from sqlalchemy import update

from shopcrm.auth.models import ApiToken, Role
from shopcrm.auth.token_cache import TokenCache
from shopcrm.config import Settings
from shopcrm.db import Database
from shopcrm.main import create_app

# Long enough that the two requests inside it cannot straddle it on a slow CI machine.
TTL_S = 1.5


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"token_cache_seconds": TTL_S})


async def _revoke_behind_the_apps_back(database: Database) -> None:
    """As another server process would: straight in the database, so this process's cache is not told."""
    async with database.sessionmaker.begin() as session:
        await session.execute(update(ApiToken).values(revoked_at=dt.datetime.now(dt.UTC)))


async def test_a_token_revoked_elsewhere_stops_working_within_the_ttl(
    app_client: httpx.AsyncClient, make_user, database: Database
):
    user = await make_user(Role.marketer)
    headers = {"Authorization": f"Bearer {user.token}"}
    assert (await app_client.get("/api/auth/me", headers=headers)).status_code == 200
    await _revoke_behind_the_apps_back(database)
    # Within the TTL this process still trusts its check; after it, the database decides.
    assert (await app_client.get("/api/auth/me", headers=headers)).status_code == 200
    await asyncio.sleep(TTL_S + 0.1)
    assert (await app_client.get("/api/auth/me", headers=headers)).status_code == 401


async def test_revoking_or_deactivating_here_takes_effect_at_once(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    marketer = await make_user(Role.marketer)
    admin_headers = {"Authorization": f"Bearer {admin.token}"}
    headers = {"Authorization": f"Bearer {marketer.token}"}
    me = await app_client.get("/api/auth/me", headers=headers)
    assert me.status_code == 200  # now cached
    demoted = await app_client.patch(f"/api/users/{me.json()['id']}", json={"role": "viewer"}, headers=admin_headers)
    assert demoted.status_code == 200
    assert (await app_client.get("/api/auth/me", headers=headers)).json()["role"] == "viewer"

    created = await app_client.post("/api/auth/tokens", json={"name": "script"}, headers=admin_headers)
    token = created.json()["token"]
    assert (await app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})).status_code == 200
    revoked = await app_client.delete(f"/api/auth/tokens/{created.json()['id']}", headers=admin_headers)
    assert revoked.status_code == 204
    assert (await app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401


async def test_a_zero_ttl_checks_every_request(settings: Settings, database: Database, make_user):
    app = create_app(settings.model_copy(update={"token_cache_seconds": 0}), database)
    user = await make_user(Role.marketer)
    headers = {"Authorization": f"Bearer {user.token}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        assert (await client.get("/api/auth/me", headers=headers)).status_code == 200
        await _revoke_behind_the_apps_back(database)
        assert (await client.get("/api/auth/me", headers=headers)).status_code == 401


def test_an_entry_never_outlives_its_token():
    cache = TokenCache(ttl_s=60)
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.2)
    cache.put("a", {"id": 1}, token_expires_at=soon)
    cache.put("b", {"id": 2}, token_expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    cache.put("c", {"id": 3}, token_expires_at=None)
    assert cache.get("a") == {"id": 1}
    assert cache.get("b") is None  # already expired: never stored
    time.sleep(0.25)
    assert cache.get("a") is None
    assert cache.get("c") == {"id": 3}
