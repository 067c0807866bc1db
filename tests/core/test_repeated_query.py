"""A one-value query parameter given twice (`?q=a&q=b`) is a 422 naming it on every route, where the framework
would keep the last value; list parameters still take many values, and an anonymous caller still gets 401."""

from __future__ import annotations

import httpx
import pytest

from shopcrm.auth.models import Role
from shopcrm.core.params import _single_names
from tests.core.test_route_guards import PUBLIC, _api_routes, _concrete


@pytest.fixture
async def admin_headers(make_user) -> dict[str, str]:
    admin = await make_user(Role.admin)
    return {"Authorization": f"Bearer {admin.token}"}


def _reads_with_single_params() -> list[tuple[str, str]]:
    found = []
    for method, path, route in _api_routes():
        if method != "GET" or (method, path) in PUBLIC:
            continue
        for name in sorted(_single_names(route.dependant)):
            found.append((_concrete(path), name))
    return found


def test_the_lists_single_parameters_are_found():
    pairs = set(_reads_with_single_params())
    assert ("/api/customers", "q") in pairs
    assert ("/api/orders", "status") in pairs
    assert ("/api/inventory", "min_price") in pairs
    assert ("/api/dashboard", "period") in pairs
    # list-typed ones take many values
    assert ("/api/customers", "country") not in pairs
    assert ("/api/inventory", "category") not in pairs


async def test_every_single_parameter_given_twice_is_a_422_naming_it(app_client: httpx.AsyncClient, admin_headers):
    pairs = _reads_with_single_params()
    assert len(pairs) >= 20
    for path, name in pairs:
        response = await app_client.get(path, params=[(name, "1"), (name, "2")], headers=admin_headers)
        assert response.status_code == 422, f"{path}?{name} twice -> {response.status_code}"
        detail = response.json()["error"]["details"][0]
        assert (detail["loc"], detail["message"]) == (["query", name], "is given more than once"), (path, detail)


async def test_list_parameters_take_many_values(app_client: httpx.AsyncClient, admin_headers):
    response = await app_client.get(
        "/api/customers", params=[("status", "active"), ("status", "inactive"), ("q", "x")], headers=admin_headers
    )
    assert response.status_code == 200, response.text


async def test_an_anonymous_caller_gets_401_first(app_client: httpx.AsyncClient):
    response = await app_client.get("/api/customers", params=[("q", "a"), ("q", "b")])
    assert response.status_code == 401
