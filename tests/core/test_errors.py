"""One error shape everywhere, fields named in 422s, limits on body size, commits before responses."""

from __future__ import annotations

import httpx
from fastapi import APIRouter

from shopcrm.auth.models import Role, UserSession
from shopcrm.core.deps import DbSession
from shopcrm.db import utcnow


def _assert_error_shape(body: dict, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code


async def test_unknown_api_path_is_a_json_404(app_client: httpx.AsyncClient):
    response = await app_client.get("/api/nothing-here")
    assert response.status_code == 404
    _assert_error_shape(response.json(), "not_found")


async def test_422_names_the_field(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    payload = {"email": "not-an-email", "full_name": "A", "role": "viewer", "password": "long-enough-pw"}
    response = await app_client.post("/api/users", json=payload, headers={"Authorization": f"Bearer {admin.token}"})
    assert response.status_code == 422
    body = response.json()
    _assert_error_shape(body, "validation_error")
    assert body["error"]["details"][0]["loc"] == ["body", "email"]
    assert body["error"]["message"].startswith("email:")


async def test_unknown_fields_are_refused(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    payload = {"email": "a@example.com", "full_name": "A", "role": "viewer", "password": "long-enough-pw", "id": 1}
    response = await app_client.post("/api/users", json=payload, headers={"Authorization": f"Bearer {admin.token}"})
    assert response.status_code == 422
    assert ["body", "id"] in [d["loc"] for d in response.json()["error"]["details"]]


async def test_malformed_json_is_a_shaped_error(app_client: httpx.AsyncClient):
    response = await app_client.post(
        "/api/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"] in ("bad_request", "validation_error")


async def test_oversized_body_is_413(app_client: httpx.AsyncClient, settings):
    big = b'{"email": "' + b"a" * (settings.max_body_bytes + 10) + b'"}'
    response = await app_client.post("/api/auth/login", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    _assert_error_shape(response.json(), "payload_too_large")


async def test_streamed_oversized_body_is_413(app_client: httpx.AsyncClient, settings):
    async def chunks():
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"x" * 65536

    response = await app_client.post("/api/auth/login", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


async def test_oversized_path_id_is_422_not_a_database_error(app_client: httpx.AsyncClient, make_user):
    admin = await make_user(Role.admin)
    response = await app_client.patch(
        f"/api/users/{2**70}", json={"full_name": "x"}, headers={"Authorization": f"Bearer {admin.token}"}
    )
    assert response.status_code == 422


async def test_a_failing_commit_is_not_a_success(app_client: httpx.AsyncClient):
    """The session dependency commits before the response goes out, so a commit error reaches the client."""
    router = APIRouter()

    @router.post("/api/_test/broken-commit")
    async def broken(db: DbSession) -> dict[str, str]:
        # No flush here: the foreign-key violation surfaces only at commit time.
        db.add(UserSession(user_id=987654321, token_hash="x" * 64, csrf_token="y", expires_at=utcnow()))
        return {"status": "ok"}

    app = app_client.app  # type: ignore[attr-defined]
    app.include_router(router)
    response = await app_client.post("/api/_test/broken-commit")
    assert response.status_code == 409
    _assert_error_shape(response.json(), "conflict")


async def test_security_headers_and_request_id(app_client: httpx.AsyncClient):
    response = await app_client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert len(response.headers["x-request-id"]) == 16
