"""Who is calling, and may they: the typed dependencies every /api route declares in its signature."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from shopcrm.auth import service
from shopcrm.auth.models import Role, User, UserSession
from shopcrm.auth.security import tokens_equal
from shopcrm.auth.token_cache import TokenCache
from shopcrm.core.deps import DbSession
from shopcrm.core.errors import Forbidden, NotAuthenticated
from shopcrm.core.params import refuse_repeated_query

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
WRITER_ROLES = frozenset({Role.admin, Role.marketer})

# Declared as security schemes so the OpenAPI document (and clients, and the fuzzer) know them.
bearer_scheme = HTTPBearer(auto_error=False, description="API token created at /api/auth/tokens")
cookie_scheme = APIKeyCookie(name="shopcrm_session", auto_error=False, description="Browser session")


@dataclass(frozen=True)
class Principal:
    user: User
    session: UserSession | None  # None when the caller used an API token


# Every /api route comes through here, so the rule against a repeated one-value query parameter is applied
# here too, once the caller is known: an anonymous caller gets its 401 first, whatever the query says.
async def current_principal(
    request: Request,
    db: DbSession,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Principal:
    if bearer is not None:
        user = await service.user_for_api_token(db, bearer.credentials, get_token_cache(request))
        if user is None:
            raise NotAuthenticated("Invalid or expired API token", headers={"WWW-Authenticate": "Bearer"})
        refuse_repeated_query(request)
        return Principal(user=user, session=None)
    if cookie:
        user_session = await service.session_for_token(db, cookie)
        if user_session is None:
            raise NotAuthenticated("Your session has expired; log in again")
        # A cookie rides along with any cross-site request; a write must also prove it came from our
        # page by echoing the CSRF token, which another site cannot read.
        if request.method not in SAFE_METHODS and not tokens_equal(
            request.headers.get(CSRF_HEADER, ""), user_session.csrf_token
        ):
            raise Forbidden("Missing or wrong CSRF token", details={"header": CSRF_HEADER})
        refuse_repeated_query(request)
        return Principal(user=user_session.user, session=user_session)
    raise NotAuthenticated("Log in or send an API token", headers={"WWW-Authenticate": "Bearer"})


def get_token_cache(request: Request) -> TokenCache:
    cache: TokenCache = request.app.state.token_cache
    return cache


async def current_user(principal: Annotated[Principal, Depends(current_principal)]) -> User:
    return principal.user


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    allowed = frozenset(roles)

    async def check(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in allowed:
            raise Forbidden(f"Your role ({user.role}) may not do this")
        return user

    check.__name__ = f"require_{'_or_'.join(sorted(allowed))}"
    return check


require_writer = require_role(*WRITER_ROLES)
require_admin = require_role(Role.admin)

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
CurrentUser = Annotated[User, Depends(current_user)]
WriterUser = Annotated[User, Depends(require_writer)]
AdminUser = Annotated[User, Depends(require_admin)]
# For the routes that change who may use a token: they clear this process's cache of checked tokens.
TokenCacheDep = Annotated[TokenCache, Depends(get_token_cache)]
