"""Validated input types shared by every domain's schemas."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, WithJsonSchema

# Ids are BIGINT in the database, but JSON clients (JavaScript) read numbers as doubles, exact only up
# to 2^53 - 1; no id above that is ever handed out, so anything larger is a 422, not a database error.
MAX_ID = 2**53 - 1
MAX_EMAIL_LENGTH = 254


def normalize_email(email: str) -> str:
    """The one form every email address is stored and compared in, the same on both engines: Unicode NFC,
    trimmed, lower-cased by Python. SQLite's lower() folds ASCII only, so leaving the folding to the
    database let `ÄÖmass@…` and `äömass@…` both in; PostgreSQL refused the second."""
    return unicodedata.normalize("NFC", email.strip()).lower()


def _check_email(value: str) -> str:
    try:
        # test_environment lets the reserved ".test" domain through (for staging stores and tests);
        # other special-use domains such as .localhost or .invalid are refused as undeliverable.
        result = validate_email(value.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from None
    return normalize_email(result.normalized)


Email = Annotated[
    str,
    Field(min_length=3, max_length=MAX_EMAIL_LENGTH),
    AfterValidator(_check_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": MAX_EMAIL_LENGTH}),
]

# Free text without NUL characters (PostgreSQL refuses them in text columns).
NO_NUL = r"^[^\x00]*$"

# At least one visible character, no NUL (Rust-regex compatible: no look-arounds).
NAME_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NAME_PATTERN)]
ShortText = Annotated[str, Field(max_length=100, pattern=NO_NUL)]


# E.164: a plus, a country code not starting with 0, at most 15 digits in all.
def _check_phone(value: str) -> str:
    """A real number for its country (the phonenumbers library's rules), stored as E.164."""
    text = value.strip()
    if not text.startswith("+"):
        raise ValueError("start with + and the country code, e.g. +49 151 23456789")
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number for its country code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str | None) -> str | None:
    """A stored number grouped for reading: +49 1512 3456789, +1 415-555-2671."""
    if e164 is None:
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# Typed as people write numbers (spaces, dashes, brackets); stored as E.164.
PHONE_PATTERN = r"^[+0-9 ()./-]{6,32}$"
Phone = Annotated[
    str,
    Field(max_length=32, pattern=PHONE_PATTERN, description="With its country code, e.g. +49 151 23456789"),
    AfterValidator(_check_phone),
]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. DE")]

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


def _check_moment(value: dt.datetime) -> dt.datetime:
    if value.utcoffset() != dt.timedelta(0):
        raise ValueError("give the time in UTC (ending Z or +00:00)")
    if not EARLIEST <= value < LATEST:
        raise ValueError("must be between 1970 and 2200")
    return value.astimezone(dt.UTC)


# A point in time with an explicit UTC offset, stored as UTC; the schema states the year range too.
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_check_moment),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": r"^(19[7-9][0-9]|2[01][0-9]{2})-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-]00:00)$",
            "description": "ISO 8601 in UTC (Z or +00:00), years 1970 to 2199",
        }
    ),
]


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of `day` (date filters are whole UTC days)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def day_end(day: dt.date) -> dt.datetime:
    """Midnight UTC after `day`, exclusive; saturates at the end of time instead of overflowing."""
    if day >= dt.date.max:
        return dt.datetime.max.replace(tzinfo=dt.UTC)
    return day_start(day + dt.timedelta(days=1))


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day_only(value: object) -> object:
    # Pydantic would also read "0" or "1700000000" as a Unix time; a date filter means a calendar day.
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


# A calendar day, written YYYY-MM-DD.
Day = Annotated[dt.date, BeforeValidator(_iso_day_only)]


def _json_number_only(value: object) -> object:
    # JSON Schema's "integer" admits 3 and 3.0, never "3" or true; Pydantic's lax int would take all four.
    if isinstance(value, (str, bool, bytes)):
        raise ValueError("expected a number")
    return value


# Integers in JSON bodies (the bounds must come before the validator, or the schema loses them).
JsonId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_json_number_only)]
Quantity = Annotated[int, Field(ge=1, le=10_000), BeforeValidator(_json_number_only)]
Days = Annotated[int, Field(ge=1, le=3650), BeforeValidator(_json_number_only)]

MONEY_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"


def _money_string(value: object) -> object:
    if not isinstance(value, str) or not re.match(MONEY_PATTERN, value):
        raise ValueError('expected an amount as a decimal string with at most 2 decimals, e.g. "12.50"')
    return value


# Money in a JSON body: a decimal string, as everywhere in this API (a float would lose cents).
MoneyIn = Annotated[
    Decimal,
    BeforeValidator(_money_string),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["12.50"]}),
]
