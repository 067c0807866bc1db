"""One error shape everywhere: {"error": {"code", "message", "details"}}; services raise AppError subclasses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("shopcrm.errors")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers


class NotAuthenticated(AppError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    status_code = 404
    code = "not_found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"


class InvalidInput(AppError):
    """A rule broken by otherwise well-formed input; `field` is named like a validation error's `loc`."""

    status_code = 422
    code = "validation_error"

    def __init__(self, message: str, *, loc: list[str | int]) -> None:
        super().__init__(message, details=[{"loc": loc, "message": message, "type": "value_error"}])


class TooManyRequests(AppError):
    status_code = 429
    code = "too_many_requests"


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"


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


def error_payload(code: str, message: str, details: Any | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


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
            log.warning("integrity error", extra={"error_type": type(exc.orig).__name__})
            return _response(409, "conflict", "The change conflicts with data already stored")
        return _unavailable_or_internal(request, exc)

    @app.exception_handler(OSError)
    async def _os_error(request: Request, exc: OSError) -> JSONResponse:
        return _unavailable_or_internal(request, exc)

    @app.exception_handler(PoolTimeoutError)
    async def _pool_timeout(request: Request, exc: PoolTimeoutError) -> JSONResponse:
        return _unavailable_or_internal(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _unavailable_or_internal(request, exc)


def _unavailable_or_internal(request: Request, exc: BaseException) -> JSONResponse:
    if _is_query_timeout(exc):
        log.warning("query timed out", extra={"path": request.url.path})
        return _response(
            503, "query_timeout", "The request took too long and was stopped", headers={"Retry-After": "5"}
        )
    if _is_unavailable(exc):
        log.warning("database unavailable", extra={"error_type": type(exc).__name__})
        return _response(
            503, "database_unavailable", "The database is unavailable; try again shortly", headers={"Retry-After": "5"}
        )
    log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
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
