"""Validated input types shared by every domain's schemas."""

from __future__ import annotations

from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field, WithJsonSchema

MAX_EMAIL_LENGTH = 254


def _check_email(value: str) -> str:
    try:
        # test_environment lets the reserved ".test" domain through (for staging stores and tests);
        # other special-use domains such as .localhost or .invalid are refused as undeliverable.
        result = validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from None
    return result.normalized


Email = Annotated[
    str,
    Field(min_length=3, max_length=MAX_EMAIL_LENGTH),
    AfterValidator(_check_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": MAX_EMAIL_LENGTH}),
]

# Free text without NUL characters (PostgreSQL refuses them in text columns).
NO_NUL = r"^[^\x00]*$"
