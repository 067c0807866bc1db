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


def test_a_terminal_gets_readable_lines_and_a_pipe_gets_json(monkeypatch):
    import io
    import json
    import sys

    from shopcrm.core.logging import configure_logging

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        for stream, is_json in ((Terminal(), False), (io.StringIO(), True)):
            monkeypatch.setattr(sys, "stderr", stream)
            configure_logging("INFO")
            logging.getLogger("shopcrm.request").info("request", extra={"route": "/api/customers", "status": 200})
            line = stream.getvalue().strip()
            if is_json:
                assert json.loads(line)["route"] == "/api/customers"
            else:
                assert line.endswith("INFO    shopcrm.request: request route=/api/customers status=200")
                assert not line.startswith("{")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
