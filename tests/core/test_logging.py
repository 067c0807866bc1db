"""Logs carry no customer data: no emails, no query strings, no bodies."""

from __future__ import annotations

import logging

import httpx

from shopcrm.core.logging import JsonFormatter


async def test_request_log_has_route_template_and_no_personal_data(app_client: httpx.AsyncClient, make_user, caplog):
    user = await make_user()
    caplog.set_level(logging.INFO)
    await app_client.post("/api/auth/login", json={"email": user.email, "password": "wrong-password"})
    await app_client.get("/api/auth/tokens/?search=secret.person@example.com")
    await app_client.patch("/api/users/42", json={"full_name": "Jane Secret"})

    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records if record.name.startswith("shopcrm")]
    request_lines = [line for line in lines if '"msg": "request"' in line]
    assert len(request_lines) == 3
    assert any('"route": "/api/users/{user_id}"' in line for line in request_lines)
    text = "\n".join(lines)
    for secret in (user.email, "secret.person", "Jane Secret", "wrong-password", "search="):
        assert secret not in text
