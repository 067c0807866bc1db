"""Schemathesis fuzzes every operation of the OpenAPI document, logged in as an admin.

No request may get a 500 or a response that breaks the schema; bad data must be refused; a route
must not answer without credentials. New endpoints are covered as soon as they are in the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.transport import Response
from schemathesis.generation.modes import GenerationMode

from shopcrm.auth import service as auth_service
from shopcrm.auth.models import ApiToken, Role
from shopcrm.auth.security import new_api_token, token_digest
from shopcrm.db import Database
from shopcrm.main import create_app
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


# The password policy (zxcvbn: common words, repeats, sequences) cannot be written in JSON Schema, and
# a changed password needs the current one: a schema-valid password may rightly be a 422 that names it.
PASSWORD_FIELDS = {"password", "new_password", "current_password"}


def _refuses_only_a_password(response: Response) -> bool:
    if response.status_code != 422:
        return False
    details = response.json()["error"]["details"]
    return bool(details) and all(d["loc"][:1] == ["body"] and d["loc"][-1] in PASSWORD_FIELDS for d in details)


# The schema does not depend on the database, so the app is built once at import; each test points
# it at that test's (parametrized, emptied) database.
APP = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture
def fuzz_app(settings, database: Database) -> None:
    APP.state.settings = settings
    APP.state.database = database


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case: schemathesis.Case, fuzz_app: None, fuzz_token: str) -> None:
    if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE and case.query:
        # A cursor is opaque: only the server can make a valid one, and a made-up one is rightly a 422
        # (tests/customers and tests/orders check that). Schema-valid requests go without it.
        case.query.pop("cursor", None)
    headers = {"Authorization": f"Bearer {fuzz_token}"}
    response = case.call(headers=headers)
    excluded = [positive_data_acceptance] if _refuses_only_a_password(response) else []
    case.validate_response(response, headers=headers, excluded_checks=excluded)
