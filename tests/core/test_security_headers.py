"""Issue 12 item 8: a Content-Security-Policy on every response, HSTS in production, API responses never
stored, hashed static files still cacheable, and the API docs behind a login in production."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from shopcrm.apidocs.router import DOCS_CONTENT_SECURITY_POLICY
from shopcrm.auth.deps import current_principal
from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.core.middleware import CONTENT_SECURITY_POLICY
from shopcrm.db import Database
from shopcrm.main import create_app
from tests.conftest import login, make_settings

DOCS_PATHS = ["/openapi.json", "/docs", "/redoc"]
HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture
def engine_name() -> str:
    """Headers do not depend on the database engine: SQLite only here."""
    return "sqlite"


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} given twice"
        parsed[name] = values
    return parsed


@pytest.fixture
def spa_dir(tmp_path: Path) -> Path:
    """A built SPA as Vite lays it out: index.html, a root file, content-hashed assets."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<!doctype html><div id="root"></div><script type="module" src="/assets/index-3f2a1b.js"></script>'
    )
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "assets" / "index-3f2a1b.js").write_text("console.log('app')")
    return tmp_path


def production(url: str, **overrides: object) -> Settings:
    return make_settings(url, environment="production", cookie_secure=True, secret_key="k" * 32, **overrides)


async def client_for(settings: Settings, database: Database) -> httpx.AsyncClient:
    app = create_app(settings, database)
    # https: production cookies are Secure, and httpx sends those over https only.
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver")


@pytest.fixture
async def prod_client(settings: Settings, database: Database, spa_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with await client_for(production(settings.database_url, spa_dir=spa_dir), database) as client:
        yield client


@pytest.fixture
async def dev_client(settings: Settings, database: Database, spa_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with await client_for(make_settings(settings.database_url, spa_dir=spa_dir), database) as client:
        yield client


async def a_response_of_every_kind(client: httpx.AsyncClient) -> dict[str, httpx.Response]:
    return {
        "api 200": await client.get("/api/health"),
        "api 401": await client.get("/api/customers"),
        "api 404": await client.get("/api/no-such-thing"),
        "api 405": await client.delete("/api/health"),
        "api 413": await client.post(
            "/api/auth/login", content=b"x" * 1_000_001, headers={"Content-Type": "application/json"}
        ),
        "api 422": await client.post("/api/auth/login", json={"email": "not-an-email"}),
        "spa page": await client.get("/customers"),
        "spa root file": await client.get("/favicon.svg"),
        "hashed asset": await client.get("/assets/index-3f2a1b.js"),
    }


def test_the_spa_policy_says_what_the_issue_asks():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # Mantine injects <style> elements
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }


@pytest.mark.parametrize("environment", ["production", "development"])
async def test_every_response_carries_the_policy(environment: str, prod_client, dev_client):
    client = prod_client if environment == "production" else dev_client
    for kind, response in (await a_response_of_every_kind(client)).items():
        assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, kind
        assert response.headers["x-content-type-options"] == "nosniff", kind
        assert response.headers["x-frame-options"] == "DENY", kind
        assert response.headers.get_list("content-security-policy") == [CONTENT_SECURITY_POLICY], kind


async def test_hsts_in_production_only(prod_client, dev_client):
    for kind, response in (await a_response_of_every_kind(prod_client)).items():
        assert response.headers.get("strict-transport-security") == HSTS, kind
    for kind, response in (await a_response_of_every_kind(dev_client)).items():
        assert "strict-transport-security" not in response.headers, kind


async def test_api_responses_are_never_stored_and_static_files_keep_their_caching(prod_client, make_user):
    responses = await a_response_of_every_kind(prod_client)
    admin = await make_user(Role.admin)
    responses["api 200 with customer data"] = await prod_client.get(
        "/api/customers", headers={"Authorization": f"Bearer {admin.token}"}
    )
    assert responses["api 200 with customer data"].status_code == 200
    for kind, response in responses.items():
        if kind.startswith("api"):
            assert response.headers.get_list("cache-control") == ["no-store"], kind
    assert responses["spa page"].headers["cache-control"] == "no-cache"  # index.html: always revalidated
    for kind in ("spa root file", "hashed asset"):
        assert responses[kind].status_code == 200, kind
        assert "no-store" not in responses[kind].headers.get("cache-control", ""), kind


async def test_api_docs_need_a_login_in_production(prod_client, make_user):
    for path in DOCS_PATHS:
        response = await prod_client.get(path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "not_authenticated"
        assert response.headers["cache-control"] == "no-store"

    viewer = await make_user(Role.viewer)
    for path in DOCS_PATHS:
        response = await prod_client.get(path, headers={"Authorization": f"Bearer {viewer.token}"})
        assert response.status_code == 200, path
    await login(prod_client, viewer)  # the browser session works too
    for path in DOCS_PATHS:
        response = await prod_client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store"
    assert (await prod_client.get("/openapi.json")).json()["info"]["title"] == "ShopCRM"


async def test_a_setting_opens_the_api_docs_in_production(settings: Settings, database: Database):
    async with await client_for(production(settings.database_url, public_api_docs=True), database) as client:
        for path in DOCS_PATHS:
            assert (await client.get(path)).status_code == 200, path


async def test_api_docs_are_public_outside_production(dev_client):
    for path in DOCS_PATHS:
        assert (await dev_client.get(path)).status_code == 200, path
    document = (await dev_client.get("/openapi.json")).json()
    assert document == dev_client._transport.app.openapi()  # type: ignore[attr-defined]


def test_the_docs_routes_are_guarded_exactly_in_production():
    """Like tests/core/test_route_guards.py for /api: every route outside /api that FastAPI serves (the
    docs) requires a user in production, and none does elsewhere or once opened by the setting."""

    def non_api_routes(settings: Settings) -> dict[str, bool]:
        app = create_app(settings)
        found = {}
        for route in iter_route_contexts(app.routes):
            if isinstance(route.original_route, APIRoute) and route.path and not route.path.startswith("/api"):
                calls = {dep.call for dep in route.dependant.dependencies}
                found[route.path] = current_principal in calls
        return found

    url = "sqlite+aiosqlite:///:memory:"
    assert non_api_routes(production(url)) == dict.fromkeys(DOCS_PATHS, True)
    assert non_api_routes(production(url, public_api_docs=True)) == dict.fromkeys(DOCS_PATHS, False)
    assert non_api_routes(make_settings(url)) == dict.fromkeys(DOCS_PATHS, False)
    # `shopcrm openapi` and `make api` build the document in-process, with no login in any environment.
    assert create_app(production(url)).openapi()["info"]["title"] == "ShopCRM"


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_pages_bring_their_own_policy_that_allows_exactly_their_scripts(dev_client, path: str):
    """Swagger UI and ReDoc come from a CDN: their page's policy names that origin and the page's inline
    script by hash, and each external file is pinned by Subresource Integrity."""
    response = await dev_client.get(path)
    assert response.headers.get_list("content-security-policy") == [DOCS_CONTENT_SECURITY_POLICY]
    policy = directives(DOCS_CONTENT_SECURITY_POLICY)
    for name in ("frame-ancestors", "object-src", "base-uri", "form-action", "connect-src"):
        assert policy[name] == directives(CONTENT_SECURITY_POLICY)[name], name
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]

    html = response.text
    for inline in re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL):
        assert _sha256(inline) in policy["script-src"]
    external = re.findall(r"<(?:script|link)[^>]* (?:src|href)=\"(https://[^\"]+)\"([^>]*)>", html)
    assert external, "the page loads its UI from the CDN"
    for url, attributes in external:
        origin = "/".join(url.split("/")[:3])
        assert origin in policy["script-src"]
        assert origin in policy["style-src"]
        assert re.search(r'integrity="sha384-[A-Za-z0-9+/=]{64}"', attributes), url
        assert "@latest" not in url
        assert re.search(r"@\d+\.\d+\.\d+/", url), f"{url} is not pinned to one version"
