"""Schemathesis fuzzes every operation of the OpenAPI document, logged in as an admin.

No request may get a 500 or a response that breaks the schema; bad data must be refused; a route
must not answer without credentials. New endpoints are covered as soon as they are in the schema.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.transport import Response
from schemathesis.generation.modes import GenerationMode

from shopcrm.auth import service as auth_service
from shopcrm.auth.models import ApiToken, Role
from shopcrm.auth.security import new_api_token, token_digest
from shopcrm.core.pagination import CursorCodec
from shopcrm.customers.schemas import CustomerSort
from shopcrm.db import Database
from shopcrm.main import create_app
from shopcrm.orders.schemas import OrderSort
from tests.conftest import make_settings

# Far above any id the fuzzer's own requests create, so DELETE /api/auth/tokens/{id} cannot hit it.
FUZZ_TOKEN_ID = 10**12


@pytest.fixture
async def fuzz_token(database: Database, settings) -> str:
    async with database.sessionmaker.begin() as session:
        user = await auth_service.create_user(
            session,
            email="fuzz-admin@example.com",
            full_name="Fuzz Admin",
            role=Role.admin,
            password="fuzz-password-123",
            settings=settings,
        )
        token = new_api_token()
        session.add(
            ApiToken(id=FUZZ_TOKEN_ID, user_id=user.id, name="fuzz", token_hash=token_digest(token), prefix="x")
        )
    return token


# Rules JSON Schema cannot state: the password policy (zxcvbn: common words, repeats, sequences), a changed
# password needing the current one, a phone number being real for its country (phonenumbers), and a segment's
# rule tree obeying the field catalog (segments/tree.py: which operators and values each field takes), and an
# import's uploaded file being CSV text (imports/reader.py). A schema-valid value there may rightly be a 422
# that names the field (for a rule tree, a path inside it; an import's mapping must name the uploaded file's
# own columns, which only the file knows).
UNSCHEMATIC_FIELDS = {"password", "new_password", "current_password", "phone", "file"}
# The same for query parameters: the inventory filters' category must be one a product has (the data
# decides), a price range must not be upside down (max_price below min_price), and an adjustment names
# quantity or counted by its kind; each is a 422 naming the parameter.
UNSCHEMATIC_PARAMETERS = {("query", "category"), ("query", "max_price"), ("body", "quantity"), ("body", "counted")}
# The dashboard's period: `from` and `to` only with period=custom, from <= to, at most 366 days apart.
UNSCHEMATIC_QUERY = {"from", "to"}


def _refuses_only_unschematic_fields(response: Response) -> bool:
    if response.status_code != 422:
        return False
    details = response.json()["error"]["details"]
    return bool(details) and all(
        (
            d["loc"][:1] == ["body"]
            and (d["loc"][-1] in UNSCHEMATIC_FIELDS or d["loc"][:2] in (["body", "rules"], ["body", "mapping"]))
        )
        or tuple(d["loc"][:2]) in UNSCHEMATIC_PARAMETERS
        or (d["loc"][:1] == ["query"] and d["loc"][-1] in UNSCHEMATIC_QUERY)
        for d in details
    )


# The schema does not depend on the database, so the app is built once at import; each test points
# it at that test's (parametrized, emptied) database.
APP = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture
def fuzz_app(settings, database: Database) -> None:
    APP.state.settings = settings
    APP.state.database = database


# Generated requests per operation: 40 on SQLite; on PostgreSQL (what production runs, and where most
# crafted input once became a 500) FUZZ_EXAMPLES, by default 300: about 5 minutes of the suite on a busy
# 2-core machine (40 took about 1; 150 at first found the NUL-in-login 500 that 40 never reached).
SQLITE_EXAMPLES = 40
POSTGRES_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ_SETTINGS = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": True}


def fuzz_one(case: schemathesis.Case, token: str) -> None:
    if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE and case.query:
        # A cursor is opaque: only the server can sign one, so a made-up one is rightly a 422 even when it
        # matches the schema's pattern. Schema-valid requests go without it; negative ones keep theirs, and
        # test_signed_cursors_carrying_anything_are_never_a_500 fuzzes what hides behind a valid signature.
        case.query.pop("cursor", None)
    headers = {"Authorization": f"Bearer {token}"}
    # A negative case may be negative only by its made-up Authorization header, which this call replaces with
    # a real token: what is sent then need not be wrong at all, so its acceptance proves nothing. (Bad
    # credentials are a 401 on every route: tests/core/test_route_guards.py.)
    replaced_auth = (
        case.meta is not None
        and case.meta.generation.mode == GenerationMode.NEGATIVE
        and any(name.lower() == "authorization" for name in (case.headers or {}))
    )
    response = case.call(headers=headers)
    excluded = [positive_data_acceptance] if _refuses_only_unschematic_fields(response) else []
    if replaced_auth:
        excluded.append(negative_data_rejection)
    case.validate_response(response, headers=headers, excluded_checks=excluded)


@schema.parametrize()
@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
@settings(max_examples=SQLITE_EXAMPLES, **FUZZ_SETTINGS)
def test_api_conforms_to_its_schema_on_sqlite(case: schemathesis.Case, fuzz_app: None, fuzz_token: str) -> None:
    fuzz_one(case, fuzz_token)


@schema.parametrize()
@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
@settings(max_examples=POSTGRES_EXAMPLES, **FUZZ_SETTINGS)
def test_api_conforms_to_its_schema_on_postgresql(case: schemathesis.Case, fuzz_app: None, fuzz_token: str) -> None:
    fuzz_one(case, fuzz_token)


# --- what hides behind a valid signature --------------------------------------------------------------
# The cursor's signature keeps out what the server did not issue; if the key leaked, each value is still
# checked against its column. Here any JSON at all rides in validly signed cursors: a 200 or a 422 naming
# `cursor`, never a 500.

CURSOR_EXAMPLES = 300
LIST_SORTS = {"/api/customers": [s.value for s in CustomerSort], "/api/orders": [s.value for s in OrderSort]}

_characters = st.characters() | st.characters(categories=["Cs"]) | st.just("\x00")
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(_characters, max_size=300),
    st.decimals().map(str),
    st.from_regex(r"\A-?[0-9]{1,12}(\.[0-9]{1,4})?([eE][-+]?[0-9]{1,7})?\Z"),
    # Aware times anywhere in Python's range with any offset: the edges overflow once in UTC.
    st.builds(
        lambda moment, minutes: moment.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes))).isoformat(),
        st.datetimes(),
        st.integers(-1439, 1439),
    ),
    st.datetimes().map(dt.datetime.isoformat),
)
_json_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
)


@st.composite
def signed_cursor_requests(draw: Any) -> tuple[str, dict[str, str], dict[str, Any]]:
    path = draw(st.sampled_from(sorted(LIST_SORTS)))
    sort = draw(st.sampled_from(LIST_SORTS[path]))
    order = draw(st.sampled_from(["asc", "desc"]))
    width = 2 if sort == "name" else 1
    payload = {
        "s": draw(st.just(sort) | st.sampled_from(LIST_SORTS[path])),
        "o": draw(st.just(order) | st.sampled_from(["asc", "desc"])),
        "v": draw(st.lists(_json_values, min_size=width, max_size=width) | st.lists(_json_values, max_size=3)),
        "i": draw(st.integers(min_value=1, max_value=2**53) | st.integers() | _json_values),
        "b": draw(st.booleans() | _json_values),
    }
    return path, {"sort": sort, "order": order}, payload


@pytest.fixture
async def fuzz_client(fuzz_app: None, fuzz_token: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=APP)
    headers = {"Authorization": f"Bearer {fuzz_token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=headers) as client:
        yield client


@given(drawn=signed_cursor_requests())
@settings(max_examples=CURSOR_EXAMPLES, **FUZZ_SETTINGS)
async def test_signed_cursors_carrying_anything_are_never_a_500(
    fuzz_client: httpx.AsyncClient, drawn: tuple[str, dict[str, str], dict[str, Any]]
) -> None:
    path, params, payload = drawn
    cursor = CursorCodec(APP.state.settings.signing_key).sign(json.dumps(payload).encode())
    response = await fuzz_client.get(path, params={**params, "cursor": cursor})
    assert response.status_code in (200, 422), (payload, response.text)
    if response.status_code == 422:
        assert response.json()["error"]["details"][0]["loc"] == ["query", "cursor"]
