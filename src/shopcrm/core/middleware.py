"""ASGI middleware: request size limit, a request log that carries no customer data, security headers."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Collection

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopcrm.core.errors import error_payload

log = logging.getLogger("shopcrm.request")


class BodySizeLimit:
    """Refuse bodies over `max_bytes` with a 413, by Content-Length up front or by counting a stream."""

    def __init__(self, app: ASGIApp, max_bytes: int, exempt: Collection[tuple[str, str]] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # (method, path) of routes that stream a large body and enforce a limit of their own (file uploads).
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) in self.exempt:
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_large = int(value) > self.max_bytes
                except ValueError:
                    too_large = False
                if too_large:
                    await self._reject(send)
                    return
        received = 0
        rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request" and not rejected:
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer now and tell the app the client went away; frameworks catch exceptions
                    # raised while reading a body, so raising here would become their own 400.
                    rejected = True
                    await self._reject(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not rejected:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not rejected:
                raise

    async def _reject(self, send: Send) -> None:
        body = json.dumps(
            error_payload("payload_too_large", f"Request body is larger than {self.max_bytes} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RequestLog:
    """One line per request: method, route template (never the raw path or query), status, duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or ("/api/<unmatched>" if scope["path"].startswith("/api") else "<spa>")
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": path,
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )


# The SPA's policy, on every response that does not bring its own: everything from this origin; inline
# styles allowed because Mantine injects <style> elements; `data:` images for icons; no plugins, no framing,
# no <base> or form posts elsewhere. The API docs pages bring their own (apidocs/router.py).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
# Never stored by a browser or a proxy: everything under /api (customer data, errors included) and the API
# description and docs pages (behind a login in production). Static files keep their own caching.
NO_STORE_PATHS = frozenset({"/openapi.json", "/docs", "/redoc"})


def _never_stored(path: str) -> bool:
    return path == "/api" or path.startswith("/api/") or path in NO_STORE_PATHS


class SecurityHeaders:
    """Headers every response carries: no MIME sniffing, no framing, no referrer leaks, a
    Content-Security-Policy (CONTENT_SECURITY_POLICY unless the response set its own), HSTS when the app's
    settings say production (cookies are HTTPS-only there), and `Cache-Control: no-store` on the API."""

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
        hsts = getattr(settings, "environment", None) == "production"
        no_store = _never_stored(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
                if hsts:
                    headers["strict-transport-security"] = HSTS
                if no_store:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
