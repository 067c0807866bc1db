"""Every /api route declares who may call it, and the declaration holds over HTTP."""

from __future__ import annotations

import re

import httpx
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from shopcrm.auth.deps import current_principal, require_admin, require_writer
from shopcrm.auth.models import Role
from shopcrm.main import create_app
from tests.conftest import make_settings

# Reachable without logging in.
PUBLIC = {("POST", "/api/auth/login"), ("GET", "/api/health")}
# Writes a viewer may do because they touch only the caller's own account.
SELF_SERVICE_WRITES = {
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/password"),
    ("POST", "/api/auth/tokens"),
    ("DELETE", "/api/auth/tokens/{token_id}"),
}
# POSTs that write nothing (a question whose body is too big for a query string): any signed-in user.
READ_ONLY_POSTS = {("POST", "/api/segments/preview")}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _calls(dependant: Dependant) -> set[object]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def _api_routes() -> list[tuple[str, str, RouteContext]]:
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    return [
        (method, route.path, route)
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, APIRoute) and route.path and route.path.startswith("/api")
        for method in sorted(route.methods or ())
    ]


def test_every_route_is_public_by_name_or_guarded():
    routes = _api_routes()
    assert len(routes) >= 9
    for method, path, route in routes:
        calls = _calls(route.dependant)
        if (method, path) in PUBLIC:
            assert current_principal not in calls, f"{method} {path} is listed public but requires a user"
            continue
        assert current_principal in calls, f"{method} {path} has no user dependency"
        if method in WRITE_METHODS and (method, path) not in SELF_SERVICE_WRITES | READ_ONLY_POSTS:
            assert calls & {require_writer, require_admin}, f"{method} {path} lets a viewer write"


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def test_without_credentials_every_guarded_route_answers_401(app_client: httpx.AsyncClient):
    for method, path, _ in _api_routes():
        if (method, path) in PUBLIC:
            continue
        response = await app_client.request(method, _concrete(path), json={})
        assert response.status_code == 401, f"{method} {path} -> {response.status_code}"
        assert response.json()["error"]["code"] == "not_authenticated"


async def test_a_viewer_gets_403_on_every_write(app_client: httpx.AsyncClient, make_user):
    viewer = await make_user(Role.viewer)
    headers = {"Authorization": f"Bearer {viewer.token}"}
    allowed = PUBLIC | SELF_SERVICE_WRITES | READ_ONLY_POSTS
    writes = [(m, p) for m, p, _ in _api_routes() if m in WRITE_METHODS and (m, p) not in allowed]
    assert writes, "there must be role-guarded writes to check"
    for method, path in writes:
        response = await app_client.request(method, _concrete(path), json={}, headers=headers)
        assert response.status_code == 403, f"{method} {path} -> {response.status_code}"
