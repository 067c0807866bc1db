"""ASGI middleware: text no database can store is refused at the edge, before any route sees it.

A NUL character (PostgreSQL refuses it in text, so it surfaced as a 500) and a lone UTF-16 surrogate (no
UTF-8 encoder takes one) are a 422 in the usual shape naming where they were: in the path, in a query
parameter (after percent-decoding; bytes that are not UTF-8 are refused too, rather than silently
replaced), or in a JSON body (keys and values, at any depth). A surrogate *pair* such as "\\ud83d\\ude00"
is one character (an emoji) and is fine.

The common request pays almost nothing: a query string with no `%` is plain ASCII, and a JSON body is
parsed here only when its raw bytes hold a `\\u` escape or a NUL; otherwise a strict UTF-8 check of its
bytes (done in C) is all.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopcrm.core.errors import error_payload
from shopcrm.core.text import is_storable
from shopcrm.core.types import NO_NUL

_MESSAGE = "must not contain NUL characters or unpaired surrogates"
_NOT_UTF8 = "must be UTF-8 text"


class _Refused(Exception):
    def __init__(self, loc: list[str | int], message: str = _MESSAGE) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


def _printable(name: str) -> str:
    """A name safe to echo in an error (the bad characters themselves would break the JSON answer)."""
    return "".join(c if is_storable(c) else "\ufffd" for c in name)


def _check_path(scope: Scope) -> None:
    raw = scope.get("raw_path")
    if not isinstance(raw, bytes):  # a server that gives only the decoded path
        if not is_storable(scope["path"]):
            raise _Refused(["path"])
        return
    data = raw.split(b"?", 1)[0]  # some clients put the query in raw_path too
    if b"%" in data:
        data = unquote_to_bytes(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(["path"], _NOT_UTF8) from None
    if not is_storable(text):
        raise _Refused(["path"])


def _check_query(query: bytes) -> None:
    if b"%" not in query and query.isascii() and b"\x00" not in query:
        return
    for part in query.split(b"&"):
        if not part:
            continue
        raw_name, _, raw_value = part.partition(b"=")
        name_bytes = unquote_to_bytes(raw_name.replace(b"+", b" "))
        name = _printable(name_bytes.decode("utf-8", "replace"))
        for data in (name_bytes, unquote_to_bytes(raw_value.replace(b"+", b" "))):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise _Refused(["query", name], _NOT_UTF8) from None
            if not is_storable(text):
                raise _Refused(["query", name])


def _check_json(body: bytes) -> None:
    if not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused(["body"], _NOT_UTF8) from None
    if b"\x00" in body:
        raise _Refused(["body"])  # a raw NUL is no valid JSON anywhere
    if b"\\u" not in body:
        return
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the route's own parsing answers that
    # Walked with a stack, not recursion: the parser accepts nesting deeper than a recursive walk could go.
    stack: list[tuple[Any, list[str | int]]] = [(document, ["body"])]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            if not is_storable(value):
                raise _Refused(loc)
        elif isinstance(value, dict):
            for key, item in value.items():
                if not is_storable(key):
                    raise _Refused([*loc, _printable(key)])
                stack.append((item, [*loc, key]))
        elif isinstance(value, list):
            stack.extend((item, [*loc, index]) for index, item in enumerate(value))


def _is_json(scope: Scope) -> bool:
    """Whether the framework would parse the body as JSON (it does when no content type is given)."""
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return True


class InputGuard:
    """Refuse NUL characters and lone surrogates in the path, the query string and JSON bodies (a 422)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _check_path(scope)
            _check_query(scope.get("query_string", b""))
        except _Refused as refused:
            await _refuse(send, refused)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS") or not _is_json(scope):
            await self.app(scope, receive, send)
            return

        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left, or a size limit outside already answered
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            _check_json(body)
        except _Refused as refused:
            await _refuse(send, refused)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send, refused: _Refused) -> None:
    field = ".".join(str(p) for p in refused.loc[1:]) or refused.loc[0]
    detail = {"loc": refused.loc, "message": refused.message, "type": "value_error"}
    body = json.dumps(error_payload("validation_error", f"{field}: {refused.message}", [detail])).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def state_rules_in_openapi(app: FastAPI) -> None:
    """Say in the OpenAPI document what the guard refuses: every request string that states no pattern,
    format or choices of its own gets the no-NUL pattern, so clients and the fuzzer know NUL is refused.
    (Lone surrogates need no word: JSON text that is valid UTF-8 cannot hold one.)"""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _add_no_nul_patterns(build())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_no_nul_patterns(document: dict[str, Any]) -> None:
    components = document.get("components", {}).get("schemas", {})
    stack: list[Any] = []
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict):
                stack.extend(p.get("schema") for p in operation.get("parameters", []))
                stack.extend(m.get("schema") for m in operation.get("requestBody", {}).get("content", {}).values())
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.removeprefix("#/components/schemas/")
            if name not in seen:
                seen.add(name)
                stack.append(components.get(name))
            continue
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
            node["pattern"] = NO_NUL
        properties = node.get("properties")
        if isinstance(properties, dict):
            stack.extend(properties.values())
        stack.extend(node.get(k) for k in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"))
