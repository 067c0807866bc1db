"""Failed-login throttling that slows a guesser down without locking the account's owner out.

Every attempt is counted *before* its password is checked, under a row lock, so parallel guesses cannot
slip past the count while the (slow, off-loop) hash runs. A success gives the attempt back. Which
counters an attempt meets depends on who it seems to come from:

- A browser that has logged in to this account before carries a signed *device cookie* for it
  (the OWASP "device cookie" scheme). Its attempts meet only that device's own counter: an attacker
  elsewhere, or behind the same office address, cannot lock the owner out of their usual browser, and a
  stolen cookie buys no more guesses than anyone gets.
- Any other attempt meets three counters: the (account, address) pair, the address across all accounts
  (generous, since one address may front a whole office), and the account across all addresses (so
  guesses spread over many addresses are slowed too).

A counter allows `free` attempts in a row; from then on each attempt makes the next wait 1, 2, 4, ...
seconds, up to `login_max_delay_s`. A counter untouched for `THROTTLE_WINDOW` starts again from zero.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.auth.models import LoginThrottle
from shopcrm.config import Settings
from shopcrm.core.engines import capabilities_of
from shopcrm.core.errors import TooManyRequests

THROTTLE_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Counter:
    key: str
    free: int
    shared: bool = False  # spans many people (an address, an account): a success only takes its own attempt off
    max_delay: int | None = None  # the longest wait it imposes; settings.login_max_delay_s when None


@dataclass(frozen=True)
class Claim:
    """The counters one attempt was counted against; given back if the password was right."""

    counters: tuple[Counter, ...]


def _key(kind: str, *parts: str) -> str:
    """A counter's key: its kind and a digest of what it counts, so the table holds no email or address
    (and no key outgrows its column, whatever an email's length)."""
    return f"{kind}:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()[:40]}"


def counters_for(email: str, client_ip: str, device_id: str | None, settings: Settings) -> tuple[Counter, ...]:
    if device_id is not None:
        return (Counter(_key("device", device_id), settings.login_free_attempts),)
    return (
        Counter(_key("pair", email, client_ip), settings.login_free_attempts),
        # One address may front a whole office: its counter slows a sprayer to a guess a minute, but never
        # locks everyone there out for long (each account's own counters still do for that account).
        Counter(
            _key("addr", client_ip),
            settings.login_address_free_attempts,
            shared=True,
            max_delay=settings.login_address_max_delay_s,
        ),
        Counter(_key("account", email), settings.login_account_free_attempts, shared=True),
    )


def password_change_counters(user_id: int, settings: Settings) -> tuple[Counter, ...]:
    """A logged-in user proving their current password: a stolen session must not be a guessing oracle."""
    return (Counter(_key("change", str(user_id)), settings.login_free_attempts),)


async def claim_attempt(
    session: AsyncSession, counters: tuple[Counter, ...], *, settings: Settings, now: dt.datetime
) -> Claim:
    """Count one attempt against every counter it meets, or raise TooManyRequests (counting nothing more)
    while any of them makes it wait. The caller commits at once, before checking the password."""
    # Keys locked in one order, so two attempts meeting the same counters cannot deadlock.
    ordered = sorted(counters, key=lambda c: c.key)
    await session.execute(
        capabilities_of(session)
        .insert(LoginThrottle)
        .values([{"key": c.key, "failures": 0, "last_failed_at": now} for c in ordered])
        .on_conflict_do_nothing(index_elements=["key"])
    )
    rows = {
        row.key: row
        for row in await session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.key.in_([c.key for c in ordered]))
            .order_by(LoginThrottle.key)
            .with_for_update()
        )
    }
    waits = [
        (until - now).total_seconds()
        for until in (rows[c.key].blocked_until for c in ordered)
        if until is not None and until > now
    ]
    if waits:
        retry = max(1, math.ceil(max(waits)))
        raise TooManyRequests(
            f"Too many failed attempts; try again in {retry} seconds", headers={"Retry-After": str(retry)}
        )
    for counter in ordered:
        row = rows[counter.key]
        failures = (0 if row.last_failed_at < now - THROTTLE_WINDOW else row.failures) + 1
        row.failures = failures
        row.last_failed_at = now
        longest = counter.max_delay or settings.login_max_delay_s
        row.blocked_until = (
            now + dt.timedelta(seconds=min(2 ** (failures - counter.free), longest))
            if failures >= counter.free
            else None
        )
    await session.flush()
    return Claim(counters=counters)


async def give_back(session: AsyncSession, claim: Claim, *, now: dt.datetime) -> None:
    """The password was right: the attempt no longer counts. The pair and device counters start again;
    the shared ones (address, account) only lose this attempt, so an office's logins never add up to a
    block while a guesser's failures elsewhere still do. Counters that no longer matter are swept here,
    as logins are frequent enough."""
    await session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failed_at < now - THROTTLE_WINDOW,
            (LoginThrottle.blocked_until.is_(None)) | (LoginThrottle.blocked_until < now),
        )
    )
    for counter in claim.counters:
        stmt = update(LoginThrottle).where(LoginThrottle.key == counter.key, LoginThrottle.failures > 0)
        if counter.shared:
            stmt = stmt.values(failures=LoginThrottle.failures - 1)
        else:
            stmt = stmt.values(failures=0, blocked_until=None)
        await session.execute(stmt)


# --- device cookies --------------------------------------------------------------------------------------


def _device_mac(settings: Settings, email: str, device_id: str) -> str:
    mac = hmac.new(settings.signing_key, f"login-device|{email}|{device_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:18]).decode()


def new_device_cookie(settings: Settings, email: str) -> str:
    """A cookie naming this browser as one that has logged in to `email`, signed so it cannot be forged."""
    device_id = secrets.token_urlsafe(12)
    return f"{device_id}.{_device_mac(settings, email, device_id)}"


def device_from_cookie(settings: Settings, email: str, cookie: str | None) -> str | None:
    """The device id in `cookie` if it was issued for `email` by this server, else None."""
    if not cookie or len(cookie) > 100:
        return None
    device_id, _, mac = cookie.partition(".")
    if not device_id or not mac:
        return None
    return device_id if hmac.compare_digest(mac, _device_mac(settings, email, device_id)) else None
