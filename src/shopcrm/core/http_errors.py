"""Errors as HTTP answers: the handlers that turn AppError and everything else into the one error shape.

An error nobody expected is a 500 in that shape too (`UnexpectedErrors`), and its log line names the error's
class, the route and the statement, with the traceback's frames but never an exception's message: a
driver's message quotes the values it was given (`invalid input for query argument $1: Decimal(...)`), and
those are customer data.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopcrm.core.driver import statement_name
from shopcrm.core.errors import AppError, ErrorResponse, error_payload

log = logging.getLogger("shopcrm.errors")


_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "service_unavailable",
}


def _response(status: int, code: str, message: str, details: Any = None, headers: Any = None) -> JSONResponse:
    return JSONResponse(error_payload(code, message, details), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors():
        details.append(
            {
                "loc": [str(p) if not isinstance(p, int) else p for p in err.get("loc", ())],
                "message": err.get("msg", "invalid value"),
                "type": err.get("type", "value_error"),
            }
        )
    return details


def _validation_message(details: list[dict[str, Any]]) -> str:
    if not details:
        return "Invalid request"
    first = details[0]
    loc = [str(p) for p in first["loc"] if p not in ("body", "query", "path")]
    field = ".".join(loc) or "request"
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return f"{field}: {first['message']}{more}"


def _is_unavailable(exc: BaseException) -> bool:
    """Connection-level failures: the database is down or unreachable, not a bad query."""
    if isinstance(exc, (OSError, ConnectionError, PoolTimeoutError, InterfaceError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        text = str(exc.orig).lower()
        return any(s in text for s in ("connect", "connection", "shutting down", "terminat", "database is locked"))
    name = type(getattr(exc, "orig", exc)).__name__
    return name in {
        "CannotConnectNowError",
        "ConnectionDoesNotExistError",
        "AdminShutdownError",
        "TooManyConnectionsError",
        "ConnectionFailureError",
    }


def _is_query_timeout(exc: BaseException) -> bool:
    return type(getattr(exc, "orig", exc)).__name__ in {"QueryCanceledError"} or "statement timeout" in str(exc)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return _response(exc.status_code, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ").capitalize()
        return _response(exc.status_code, code, message, None, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        return _response(422, "validation_error", _validation_message(details), details)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if isinstance(exc, IntegrityError):
            # Services check uniqueness themselves and raise Conflict naming the field; this is the
            # backstop for a race between that check and the write.
            log.warning("integrity error", extra=_error_fields(exc, request.scope))
            return _response(409, "conflict", "The change conflicts with data already stored")
        return _unavailable_or_internal(request.scope, exc)

    @app.exception_handler(OSError)
    async def _os_error(request: Request, exc: OSError) -> JSONResponse:
        return _unavailable_or_internal(request.scope, exc)

    @app.exception_handler(PoolTimeoutError)
    async def _pool_timeout(request: Request, exc: PoolTimeoutError) -> JSONResponse:
        return _unavailable_or_internal(request.scope, exc)

    # Starlette's last resort, outside all middleware: reached by an error in the middleware outside
    # UnexpectedErrors, and by the ResponseAborted it raises (already logged, and nothing can be sent).
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, ResponseAborted):
            return _response(500, "internal_error", "Internal server error")
        return _unavailable_or_internal(request.scope, exc)


class UnexpectedErrors:
    """ASGI middleware: an exception no handler answered becomes a 500 in the usual shape (or a 503 when
    the database is out of reach).

    Starlette answers such an exception from its outermost layer, outside every middleware (so its 500
    carried no security headers), and then re-raises it, on which the server drops the keep-alive
    connection. Placed inside SecurityHeaders, this answers the request itself and returns normally, so
    the response gets the headers and the connection serves the client's next request. An error after the
    response has started cannot be answered: it is logged like any other and re-raised without its
    message, and the server closes the connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                log.error("error after the response started", **_log_args(exc, scope))
                raise ResponseAborted(_qualified(type(exc))) from None
            await _unavailable_or_internal(scope, exc)(scope, receive, send)


class ResponseAborted(Exception):
    """Raised in place of an error that struck after the response started; carries only its class name."""


class MessageWithheld(Exception):
    """Stands in for an exception in a logged traceback: the same frames, its class, not its message."""


def _qualified(cls: type[BaseException]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _withheld(exc: BaseException, depth: int = 0) -> MessageWithheld:
    """`exc` and the exceptions it was raised from (or during), each with its traceback and class only."""
    stand_in = MessageWithheld(f"{_qualified(type(exc))} (message withheld)").with_traceback(exc.__traceback__)
    if depth < 10:
        if exc.__cause__ is not None:
            stand_in.__cause__ = _withheld(exc.__cause__, depth + 1)
        elif exc.__context__ is not None and not exc.__suppress_context__:
            stand_in.__context__ = _withheld(exc.__context__, depth + 1)
    stand_in.__suppress_context__ = exc.__suppress_context__
    return stand_in


def _route(scope: Scope) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or "<unmatched>"


def _error_fields(exc: BaseException, scope: Scope) -> dict[str, Any]:
    """What a log line may say about an error: classes, the route template, the statement's name."""
    fields: dict[str, Any] = {"error_type": _qualified(type(exc)), "route": _route(scope)}
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        fields["driver_error"] = _qualified(type(exc.orig))
    if isinstance(exc, StatementError):
        fields["statement"] = statement_name(exc.statement)
    return fields


def _log_args(exc: BaseException, scope: Scope) -> dict[str, Any]:
    return {"exc_info": _withheld(exc), "extra": _error_fields(exc, scope)}


def _unavailable_or_internal(scope: Scope, exc: BaseException) -> JSONResponse:
    if _is_query_timeout(exc):
        log.warning("query timed out", extra=_error_fields(exc, scope))
        return _response(
            503, "query_timeout", "The request took too long and was stopped", headers={"Retry-After": "5"}
        )
    if _is_unavailable(exc):
        log.warning("database unavailable", extra=_error_fields(exc, scope))
        return _response(
            503, "database_unavailable", "The database is unavailable; try again shortly", headers={"Retry-After": "5"}
        )
    log.error("unhandled error", **_log_args(exc, scope))
    return _response(500, "internal_error", "Internal server error")


# Documented on every operation, so generated clients and the fuzzer know the error shape.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Malformed request"},
    401: {"model": ErrorResponse, "description": "Not logged in"},
    403: {"model": ErrorResponse, "description": "Role not allowed, or CSRF token missing"},
    404: {"model": ErrorResponse, "description": "No such resource"},
    409: {"model": ErrorResponse, "description": "Conflicts with stored data (a duplicate, a stale state)"},
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "Invalid input; details name each field"},
    429: {"model": ErrorResponse, "description": "Too many requests"},
    503: {"model": ErrorResponse, "description": "Database unavailable or query timed out"},
}
