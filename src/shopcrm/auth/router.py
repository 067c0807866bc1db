"""HTTP for login, logout, the current user and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from shopcrm.auth import service
from shopcrm.auth.deps import AdminUser, CurrentPrincipal, CurrentUser, TokenCacheDep
from shopcrm.auth.schemas import (
    ApiTokenCreated,
    ApiTokenIn,
    ApiTokenList,
    ApiTokenOut,
    LoginIn,
    LoginOut,
    PasswordChange,
    PasswordReset,
    UserAdminOut,
    UserCreate,
    UserList,
    UserOut,
    UserUpdate,
)
from shopcrm.core.deps import AppSettings, DbSession
from shopcrm.core.params import IdPath

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login", response_model=LoginOut, name="login")
async def login(body: LoginIn, request: Request, response: Response, db: DbSession, settings: AppSettings) -> LoginOut:
    attempt = await service.begin_login(
        db,
        email=body.email,
        client_ip=request.client.host if request.client else "unknown",
        device_cookie=request.cookies.get(settings.device_cookie),
        settings=settings,
    )
    # The one route that commits twice: the attempt is counted before the password is checked (see
    # service.begin_login), and the hash runs with no database connection held.
    await db.commit()
    user = await service.finish_login(db, attempt, password=body.password, settings=settings)
    new = await service.start_session(db, user, settings)
    max_age = settings.session_ttl_hours * 3600
    response.set_cookie(
        settings.session_cookie,
        new.token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    response.set_cookie(
        settings.csrf_cookie,
        new.csrf_token,
        max_age=max_age,
        httponly=False,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    device = service.new_device_cookie(settings, attempt)
    if device is not None:
        response.set_cookie(
            settings.device_cookie,
            device,
            max_age=settings.device_cookie_days * 86400,
            httponly=True,
            samesite="lax",
            secure=settings.cookie_secure,
            path="/api/auth",
        )
    return LoginOut(user=UserOut.model_validate(user), csrf_token=new.csrf_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, name="logout")
async def logout(principal: CurrentPrincipal, db: DbSession, settings: AppSettings) -> Response:
    if principal.session is not None:
        await service.end_session(db, principal.session)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(settings.session_cookie, path="/")
    response.delete_cookie(settings.csrf_cookie, path="/")
    return response


@router.get("/me", response_model=UserOut, name="me")
async def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, name="change_password")
async def change_password(
    body: PasswordChange, principal: CurrentPrincipal, db: DbSession, settings: AppSettings
) -> Response:
    """Change your own password. Your other browser sessions end; this one and your API tokens stay."""
    claim = await service.count_password_change(db, user_id=principal.user.id, settings=settings)
    await db.commit()  # counted before the current password is checked, as a login is
    await service.change_password(
        db,
        claim=claim,
        user_id=principal.user.id,
        current_password=body.current_password,
        new_password=body.new_password,
        settings=settings,
        keep_session_id=principal.session.id if principal.session is not None else None,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/tokens", response_model=ApiTokenList, name="list_tokens")
async def list_tokens(user: CurrentUser, db: DbSession) -> ApiTokenList:
    rows = await service.list_api_tokens(db, user=user)
    return ApiTokenList(items=[ApiTokenOut.model_validate(r) for r in rows], total=len(rows))


@router.post("/tokens", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED, name="create_token")
async def create_token(body: ApiTokenIn, user: CurrentUser, db: DbSession) -> ApiTokenCreated:
    row, token = await service.create_api_token(db, user=user, name=body.name, expires_in_days=body.expires_in_days)
    return ApiTokenCreated(**ApiTokenOut.model_validate(row).model_dump(), token=token)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, name="revoke_token")
async def revoke_token(token_id: IdPath, user: CurrentUser, db: DbSession, checked: TokenCacheDep) -> Response:
    await service.revoke_api_token(db, user=user, token_id=token_id)
    checked.clear()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


users_router = APIRouter(prefix="/api/users", tags=["users"])


@users_router.get("", response_model=UserList, name="list")
async def list_users(_: AdminUser, db: DbSession) -> UserList:
    rows = await service.list_users(db)
    return UserList(items=[UserAdminOut.model_validate(r) for r in rows], total=len(rows))


@users_router.post("", response_model=UserAdminOut, status_code=status.HTTP_201_CREATED, name="create")
async def create_user(body: UserCreate, _: AdminUser, db: DbSession, settings: AppSettings) -> UserAdminOut:
    user = await service.create_user(
        db, email=body.email, full_name=body.full_name, role=body.role, password=body.password, settings=settings
    )
    return UserAdminOut.model_validate(user)


@users_router.patch("/{user_id}", response_model=UserAdminOut, name="update")
async def update_user(
    user_id: IdPath, body: UserUpdate, admin: AdminUser, db: DbSession, checked: TokenCacheDep
) -> UserAdminOut:
    user = await service.update_user(
        db, acting=admin, user_id=user_id, full_name=body.full_name, role=body.role, is_active=body.is_active
    )
    checked.clear()  # the user's tokens may no longer carry the role or the access they had
    return UserAdminOut.model_validate(user)


@users_router.post("/{user_id}/password", status_code=status.HTTP_204_NO_CONTENT, name="reset_password")
async def reset_password(
    user_id: IdPath, body: PasswordReset, admin: AdminUser, db: DbSession, settings: AppSettings, checked: TokenCacheDep
) -> Response:
    """Set another user's password: all their sessions end, and with `revoke_tokens` their API tokens."""
    await service.reset_password(
        db,
        acting=admin,
        user_id=user_id,
        new_password=body.new_password,
        revoke_tokens=body.revoke_tokens,
        settings=settings,
    )
    if body.revoke_tokens:
        checked.clear()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
