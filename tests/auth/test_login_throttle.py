"""The failed-login throttle under attack: parallel guesses, a burst next to other users' reads, an
attacker trying to lock the owner out, an office behind one address, and spoofed client addresses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy import select, update

from shopcrm.auth.login_throttle import _key
from shopcrm.auth.models import LoginThrottle, Role
from shopcrm.config import Settings
from shopcrm.db import Database
from shopcrm.main import create_app
from tests.conftest import Creds, make_settings

WRONG = "not-the-password"


@asynccontextmanager
async def clients(settings: Settings, database: Database) -> AsyncIterator[Callable[[str], httpx.AsyncClient]]:
    """One app; a client per address, each with its own cookie jar (its own browser)."""
    app = create_app(settings, database)
    opened: list[httpx.AsyncClient] = []

    def at(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 5000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        opened.append(client)
        return client

    try:
        yield at
    finally:
        for client in opened:
            await client.aclose()


async def attempt(client: httpx.AsyncClient, email: str, password: str, **kwargs: object) -> int:
    response = await client.post("/api/auth/login", json={"email": email, "password": password}, **kwargs)  # type: ignore[arg-type]
    return response.status_code


async def test_parallel_guesses_check_no_more_passwords_than_allowed(settings, database, make_user):
    user: Creds = await make_user()
    async with clients(settings, database) as at:
        attacker = at("198.51.100.1")
        codes = await asyncio.gather(*(attempt(attacker, user.email, WRONG) for _ in range(40)))
    # Each attempt is counted before its password is checked, so exactly the free ones were checked.
    assert codes.count(401) == settings.login_free_attempts
    assert codes.count(429) == 40 - settings.login_free_attempts


async def test_a_login_burst_does_not_stall_other_users(migrated_urls, engine_name, database, make_user):
    """40 logins at the real Argon2 cost while a logged-in viewer reads the customer list."""
    settings = make_settings(
        migrated_urls[engine_name],
        argon2_time_cost=3,
        argon2_memory_cost=65536,
        login_free_attempts=100,
        login_address_free_attempts=100,
        login_account_free_attempts=100,
    )
    viewer: Creds = await make_user(Role.viewer)
    async with clients(settings, database) as at:
        reader, attacker = at("198.51.100.2"), at("198.51.100.3")
        headers = {"Authorization": f"Bearer {viewer.token}"}
        assert (await reader.get("/api/customers", headers=headers)).status_code == 200
        latencies: list[float] = []
        burst = asyncio.gather(*(attempt(attacker, f"nobody{n}@example.com", WRONG) for n in range(40)))
        started = time.perf_counter()
        while not burst.done():
            t0 = time.perf_counter()
            assert (await reader.get("/api/customers", headers=headers)).status_code == 200
            latencies.append(time.perf_counter() - t0)
            await asyncio.sleep(0.02)
        codes = await burst
        elapsed = time.perf_counter() - started
    assert set(codes) <= {401, 503}, codes
    assert codes.count(401) >= 30  # the bounded queue turns away only what would wait too long
    assert len(latencies) >= 5, f"burst took {elapsed:.1f} s"
    # One hash at this cost is ~0.15 s of CPU; on the event loop each read waited for many of them.
    assert max(latencies) < 1.0, f"slowest read {max(latencies):.2f} s during a {elapsed:.1f} s burst"


async def test_an_attacker_elsewhere_cannot_lock_the_owner_out(settings, database, make_user):
    user: Creds = await make_user()
    async with clients(settings, database) as at:
        attacker, owner = at("198.51.100.4"), at("192.0.2.10")
        for _ in range(30):
            await attempt(attacker, user.email, WRONG)
        assert await attempt(attacker, user.email, user.password) == 429
        # Another address, no cookie from earlier: the account counter holds only the attacker's few checked
        # guesses (blocked ones are not counted), so the owner gets in.
        assert await attempt(owner, user.email, user.password) == 200


async def test_behind_the_attackers_address_a_known_browser_still_logs_in(settings, database, make_user):
    """An office NAT: the attacker and the owner share one address. The owner's browser has logged in
    before and holds the device cookie; a browser that never has is indistinguishable from the attacker."""
    user: Creds = await make_user()
    async with clients(settings, database) as at:
        owner, attacker, new_browser = at("203.0.113.50"), at("203.0.113.50"), at("203.0.113.50")
        assert await attempt(owner, user.email, user.password) == 200
        assert owner.cookies.get(settings.device_cookie)
        for _ in range(40):
            await attempt(attacker, user.email, WRONG)
        assert await attempt(attacker, user.email, user.password) == 429
        assert await attempt(new_browser, user.email, user.password) == 429
        for _ in range(3):
            assert await attempt(owner, user.email, user.password) == 200


async def test_a_stolen_device_cookie_buys_no_more_guesses(settings, database, make_user):
    user: Creds = await make_user()
    async with clients(settings, database) as at:
        owner = at("192.0.2.20")
        assert await attempt(owner, user.email, user.password) == 200
        thief = at("198.51.100.5")
        thief.cookies.set(settings.device_cookie, owner.cookies[settings.device_cookie], path="/api/auth")
        codes = [await attempt(thief, user.email, WRONG) for _ in range(settings.login_free_attempts + 3)]
        assert codes[: settings.login_free_attempts] == [401] * settings.login_free_attempts
        assert set(codes[settings.login_free_attempts :]) == {429}


async def test_a_device_cookie_counts_only_for_its_own_account_and_cannot_be_forged(settings, database, make_user):
    owner_user, other_user = await make_user(), await make_user()
    async with clients(settings, database) as at:
        owner = at("192.0.2.30")
        assert await attempt(owner, owner_user.email, owner_user.password) == 200
        cookie = owner.cookies[settings.device_cookie]
        attacker = at("198.51.100.6")
        for _ in range(10):
            await attempt(attacker, other_user.email, WRONG)
        # The owner's cookie names the owner's account: for another account it is an unknown browser.
        attacker.cookies.set(settings.device_cookie, cookie, path="/api/auth")
        assert await attempt(attacker, other_user.email, other_user.password) == 429
        attacker.cookies.set(settings.device_cookie, cookie[:-2] + "xx", path="/api/auth")
        assert await attempt(attacker, owner_user.email, WRONG) in (401, 429)


async def test_an_office_behind_one_address_is_never_blocked_by_its_own_logins(settings, database, make_user):
    users = [await make_user() for _ in range(8)]
    async with clients(settings, database) as at:
        office = [at("203.0.113.99") for _ in users]
        for _ in range(5):  # 40 successful logins from one address, more than its free attempts
            for browser, user in zip(office, users, strict=True):
                assert await attempt(browser, user.email, user.password) == 200
        # A few typos along the way do not add up to a block either.
        for browser, user in zip(office, users, strict=True):
            assert await attempt(browser, user.email, WRONG) == 401
            assert await attempt(browser, user.email, user.password) == 200


async def test_guesses_spread_over_many_addresses_slow_down_new_browsers_only(
    migrated_urls, engine_name, database, make_user
):
    settings = make_settings(migrated_urls[engine_name], trusted_proxies="10.0.0.1")
    user: Creds = await make_user()
    async with clients(settings, database) as at:
        owner = at("192.0.2.40")
        assert await attempt(owner, user.email, user.password) == 200
        proxy = at("10.0.0.1")
        for n in range(settings.login_account_free_attempts + 5):
            await attempt(proxy, user.email, WRONG, headers={"X-Forwarded-For": f"198.51.{n // 250}.{n % 250}"})
        fresh = await attempt(proxy, user.email, user.password, headers={"X-Forwarded-For": "192.0.2.200"})
        assert fresh == 429
        assert await attempt(owner, user.email, user.password) == 200


@pytest.mark.parametrize("trusted", ["", "203.0.113.7"])
async def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(
    migrated_urls, engine_name, database, make_user, trusted: str
):
    settings = make_settings(migrated_urls[engine_name], trusted_proxies=trusted)
    user: Creds = await make_user()
    async with clients(settings, database) as at:
        client = at("203.0.113.7")
        codes = [
            await attempt(client, user.email, WRONG, headers={"X-Forwarded-For": f"198.51.100.{n}"})
            for n in range(settings.login_free_attempts + 2)
        ]
    if trusted:  # each guess from its own (forwarded) address: a fresh pair every time
        assert set(codes) == {401}
    else:  # the header is ignored: one address, blocked after the free attempts
        assert set(codes[settings.login_free_attempts :]) == {429}


async def test_the_throttle_stores_no_email_or_address_and_takes_the_longest_email(settings, database, make_user):
    user: Creds = await make_user()
    longest = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example"  # 254 characters, the most LoginIn takes
    async with clients(settings, database) as at:
        guesser = at("2001:db8:85a3:8d3:1319:8a2e:370:7348")
        assert await attempt(guesser, longest[:254], WRONG) == 401
        assert await attempt(guesser, user.email, WRONG) == 401
    async with database.engine.connect() as conn:
        keys = [row[0] for row in await conn.execute(select(LoginThrottle.key))]
    assert len(keys) == 5  # two pairs, one address, two accounts
    assert not [k for k in keys if "@" in k or "2001" in k or "example" in k]


async def test_a_burst_from_an_office_address_locks_its_other_users_out_for_a_minute_at_most(
    settings, database, make_user
):
    """The outside check saw everyone behind one NAT locked for 896 s after a burst. Each account's own
    counters still stop the guessing; the address alone never makes anyone wait more than a minute."""
    colleague: Creds = await make_user()
    office = "203.0.113.80"
    async with clients(settings, database) as at:
        sprayer, new_browser = at(office), at(office)
        for n in range(settings.login_address_free_attempts):
            assert await attempt(sprayer, f"someone{n}@example.com", WRONG) == 401
        # As if the sprayer had kept going for a while, each guess after the last wait ran out.
        async with database.transaction() as session:
            await session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == _key("addr", office))
                .values(failures=settings.login_address_free_attempts + 14, blocked_until=None)
            )
        assert await attempt(sprayer, "someone-else@example.com", WRONG) == 401  # the 15th doubling: 32,768 s
        response = await new_browser.post(
            "/api/auth/login", json={"email": colleague.email, "password": colleague.password}
        )
    assert response.status_code == 429
    assert 30 < int(response.headers["Retry-After"]) <= settings.login_address_max_delay_s == 60
