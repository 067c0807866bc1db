"""The errors services raise, and the one JSON shape every error is answered in:
{"error": {"code", "message", "details"}}. Nothing here knows HTTP frameworks: the worker, the CLI and the AI
service raise and catch these too; core/http_errors.py turns them into responses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


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


def error_payload(code: str, message: str, details: Any | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}
