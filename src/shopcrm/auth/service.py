"""Users, logins, sessions and API tokens: the rules, with no HTTP in sight."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from shopcrm.auth import login_throttle, passwords
from shopcrm.auth.login_throttle import Claim
from shopcrm.auth.models import ApiToken, Role, User, UserSession
from shopcrm.auth.security import (
    new_api_token,
    new_session_token,
    password_hasher,
    token_digest,
)
from shopcrm.auth.token_cache import TokenCache
from shopcrm.config import Settings
from shopcrm.core.driver import DriverQuery
from shopcrm.core.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from shopcrm.core.types import normalize_email
from shopcrm.db import utcnow

T = TypeVar("T")


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    """The one lookup of a user by their (globally unique, case-insensitive) email."""
    return await session.scalar(select(User).where(User.email == normalize_email(email)))


async def create_user(
    session: AsyncSession, *, email: str, full_name: str, role: Role, password: str, settings: Settings
) -> User:
    """A new user; the password must meet the policy (auth/passwords.py), whoever creates the user."""
    await passwords.check_new_password_async(
        password, field="password", email=email, full_name=full_name, settings=settings
    )
    if await get_user_by_email(session, email) is not None:
        raise Conflict("A user with this email already exists", details=[{"loc": ["email"], "message": "taken"}])
    password_hash = await passwords.hash_password(password, settings)
    user = User(email=normalize_email(email), full_name=full_name, role=role, password_hash=password_hash)
    session.add(user)
    await session.flush()
    return user


async def set_password(
    session: AsyncSession,
    *,
    user_id: int,
    new_password: str,
    settings: Settings,
    field: str = "new_password",
    keep_session_id: int | None = None,
    revoke_tokens: bool = False,
) -> User:
    """Give a user a new password (checked against the policy) and end their browser sessions, all but
    `keep_session_id`; with `revoke_tokens`, their API tokens stop working too. No check of who asks."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    await passwords.check_new_password_async(
        new_password, field=field, email=user.email, full_name=user.full_name, settings=settings
    )
    user.password_hash = await passwords.hash_password(new_password, settings)
    ended = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_session_id is not None:
        ended = ended.where(UserSession.id != keep_session_id)
    await session.execute(ended)
    if revoke_tokens:
        await _revoke_all_api_tokens(session, user.id)
    await session.flush()
    return user


async def count_password_change(session: AsyncSession, *, user_id: int, settings: Settings) -> Claim:
    """Count an attempt to prove the current password (raises TooManyRequests while it must wait), as
    logins are counted: a stolen session must not become a way to guess the password. The caller commits
    before `change_password`."""
    counters = login_throttle.password_change_counters(user_id, settings)
    return await login_throttle.claim_attempt(session, counters, settings=settings, now=utcnow())


async def change_password(
    session: AsyncSession,
    *,
    user_id: int,
    current_password: str,
    new_password: str,
    settings: Settings,
    keep_session_id: int | None,
    claim: Claim,
) -> User:
    """A user changing their own password, proving it with the current one. Their other browser sessions
    end (`keep_session_id`, the one asking, stays); their API tokens are left alone."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    if not await passwords.verify_password(current_password, user.password_hash, settings):
        raise passwords.WrongPassword("current_password")
    await login_throttle.give_back(session, claim, now=utcnow())
    if new_password == current_password:
        raise passwords.WeakPassword("new_password", "Must differ from your current password.")
    return await set_password(
        session, user_id=user.id, new_password=new_password, settings=settings, keep_session_id=keep_session_id
    )


async def reset_password(
    session: AsyncSession,
    *,
    acting: User,
    user_id: int,
    new_password: str,
    revoke_tokens: bool,
    settings: Settings,
) -> User:
    """An admin setting another user's password: every session of that user ends."""
    if user_id == acting.id:
        # Resetting skips the current-password check; one's own password is changed by proving it.
        raise Forbidden("Change your own password with your current one (Change password), not by a reset")
    return await set_password(
        session, user_id=user_id, new_password=new_password, settings=settings, revoke_tokens=revoke_tokens
    )


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class LoginAttempt:
    """An attempt counted by the throttle, waiting for its password check."""

    email: str
    user: User | None
    claim: Claim
    known_device: bool  # a valid device cookie for this account came with the attempt


async def begin_login(
    session: AsyncSession, *, email: str, client_ip: str, device_cookie: str | None, settings: Settings
) -> LoginAttempt:
    """Count the attempt (raises TooManyRequests while it must wait) and find the user.

    The caller commits before `finish_login`: the attempt must count even if the request dies while its
    password is being checked, and no database connection should be held through the hash.
    """
    email = normalize_email(email)
    device_id = login_throttle.device_from_cookie(settings, email, device_cookie)
    counters = login_throttle.counters_for(email, client_ip, device_id, settings)
    claim = await login_throttle.claim_attempt(session, counters, settings=settings, now=utcnow())
    user = await get_user_by_email(session, email)
    return LoginAttempt(email=email, user=user, claim=claim, known_device=device_id is not None)


async def finish_login(session: AsyncSession, attempt: LoginAttempt, *, password: str, settings: Settings) -> User:
    """Check the password off the event loop. Raises NotAuthenticated for a wrong email or password (the
    attempt stays counted) and ServiceUnavailable when too many checks are already waiting."""
    user = attempt.user
    if user is None:
        # Spend the same time as a real check, so response times do not reveal which emails exist.
        await passwords.off_loop(_verify_against_dummy, password, settings, settings=settings)
        valid, new_hash = False, None
    else:
        hasher = password_hasher(settings.argon2_time_cost, settings.argon2_memory_cost)
        valid, new_hash = await passwords.off_loop(
            hasher.verify_and_update, password, user.password_hash, settings=settings
        )
    if not valid or user is None or not user.is_active:
        raise NotAuthenticated("Invalid email or password")
    if new_hash:
        user.password_hash = new_hash
    await login_throttle.give_back(session, attempt.claim, now=utcnow())
    user.last_login_at = utcnow()
    return user


_DUMMY_HASHES: dict[tuple[int, int], str] = {}


def _verify_against_dummy(password: str, settings: Settings) -> bool:
    key = (settings.argon2_time_cost, settings.argon2_memory_cost)
    hasher = password_hasher(*key)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(16))
    return hasher.verify(password, _DUMMY_HASHES[key])


def new_device_cookie(settings: Settings, attempt: LoginAttempt) -> str | None:
    """A device cookie to set after a successful login, or None when the browser already has a valid one."""
    return None if attempt.known_device else login_throttle.new_device_cookie(settings, attempt.email)


async def start_session(session: AsyncSession, user: User, settings: Settings) -> NewSession:
    token, csrf = new_session_token(), secrets.token_urlsafe(32)
    expires_at = utcnow() + dt.timedelta(hours=settings.session_ttl_hours)
    session.add(UserSession(user_id=user.id, token_hash=token_digest(token), csrf_token=csrf, expires_at=expires_at))
    # Expired sessions are swept here rather than by a job: logins are frequent enough.
    await session.execute(delete(UserSession).where(UserSession.expires_at < utcnow()))
    await session.flush()
    return NewSession(token=token, csrf_token=csrf, expires_at=expires_at)


# The two lookups behind every authenticated request, built once: constructing them per request cost
# more CPU than running them (measured with py-spy under the ingestion load).
_SESSION_BY_DIGEST = select(UserSession).where(
    UserSession.token_hash == bindparam("digest"), UserSession.expires_at > bindparam("now")
)
_USER_COLUMNS = tuple(User.__table__.c)
_USER_BY_API_TOKEN_DIGEST = DriverQuery(
    select(
        *_USER_COLUMNS,
        ApiToken.id.label("token_id"),
        ApiToken.last_used_at.label("token_used_at"),
        ApiToken.expires_at.label("token_expires_at"),
    )
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked_at.is_(None),
        (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > bindparam("now")),
        User.is_active.is_(True),
    ),
    name="auth.user_by_api_token_digest",
)


async def session_for_token(session: AsyncSession, token: str) -> UserSession | None:
    found = await session.scalar(_SESSION_BY_DIGEST, {"digest": token_digest(token), "now": utcnow()})
    if found is None or not found.user.is_active:
        return None
    return found


async def end_session(session: AsyncSession, user_session: UserSession) -> None:
    await session.execute(delete(UserSession).where(UserSession.id == user_session.id))


async def user_for_api_token(session: AsyncSession, token: str, cache: TokenCache | None = None) -> User | None:
    """The active user behind a valid API token. Runs on every scripted request: one statement on the
    driver (see core/driver.py), or none while `cache` remembers the token (see auth/token_cache.py)."""
    digest = token_digest(token)
    row = cache.get(digest) if cache is not None else None
    if row is None:
        now = utcnow()
        conn = await session.connection()
        row = await _USER_BY_API_TOKEN_DIGEST.first(conn, {"digest": digest, "now": now})
        if row is None:
            return None
        # Recording every use would turn each read into a write; once a minute is enough to audit.
        last_used_at = row["token_used_at"]
        if last_used_at is None or now - last_used_at > dt.timedelta(minutes=1):
            await session.execute(update(ApiToken).where(ApiToken.id == row["token_id"]).values(last_used_at=now))
        if cache is not None:
            cache.put(digest, row, token_expires_at=row["token_expires_at"])
    # A detached User of the request's own: through the ORM, loading it cost about a fifth of an ingestion
    # request's CPU.
    user = User(**{column.key: row[column.key] for column in _USER_COLUMNS})
    make_transient_to_detached(user)
    return user


async def create_api_token(
    session: AsyncSession, *, user: User, name: str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    token = new_api_token()
    expires_at = utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days else None
    row = ApiToken(user_id=user.id, name=name, token_hash=token_digest(token), prefix=token[:12], expires_at=expires_at)
    session.add(row)
    await session.flush()
    return row, token


async def list_api_tokens(session: AsyncSession, *, user: User) -> list[ApiToken]:
    rows = await session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(rows)


async def revoke_api_token(session: AsyncSession, *, user: User, token_id: int) -> None:
    result = await session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if getattr(result, "rowcount", 0) == 0:
        raise NotFound("No such API token")


async def _revoke_all_api_tokens(session: AsyncSession, user_id: int) -> None:
    await session.execute(
        update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )


async def count_users(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def list_users(session: AsyncSession) -> list[User]:
    return list(await session.scalars(select(User).order_by(User.email)))


async def update_user(
    session: AsyncSession,
    *,
    acting: User,
    user_id: int,
    full_name: str | None,
    role: Role | None,
    is_active: bool | None,
) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    demotes_self = user.id == acting.id and ((role is not None and role != Role.admin) or is_active is False)
    if demotes_self:
        # Otherwise the last admin could lock everyone out of user management.
        raise Forbidden("You cannot remove your own admin role or deactivate yourself")
    if full_name is not None:
        user.full_name = full_name
    if role is not None:
        user.role = role
    if is_active is not None:
        user.is_active = is_active
        if not is_active:
            # For good: reactivating the user later brings back neither a session nor a token.
            await session.execute(delete(UserSession).where(UserSession.user_id == user.id))
            await _revoke_all_api_tokens(session, user.id)
    await session.flush()
    return user
