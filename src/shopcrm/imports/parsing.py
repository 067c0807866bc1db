"""Cell values as shops export them, read into ShopCRM's types. Each reader returns the value or raises
`BadValue` with the reason a row is reported with."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter, ValidationError

from shopcrm.core.types import EARLIEST, LATEST, Email, Phone
from shopcrm.orders.models import OrderStatus

CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")
MAX_COUNT = 2_000_000_000


class BadValue(ValueError):
    """A cell that cannot be read; the message is the reason shown in the error file."""


def clean(cell: str) -> str:
    """A cell trimmed, without the apostrophe spreadsheets and exports (Shopify's phone and zip columns,
    ShopCRM's own formula guard) put before a value that would otherwise be read as a number or formula."""
    text = cell.strip()
    if len(text) > 1 and text[0] == "'" and (text[1] in "=+-@\t\r" or text[1].isdigit()):
        return text[1:]
    return text


_EMAIL = TypeAdapter(Email)
_PHONE = TypeAdapter(Phone)


@lru_cache(maxsize=65536)
def email(text: str) -> str:
    """A valid address in its normalised form (how customers store them: core/types.normalize_email)."""
    try:
        return _EMAIL.validate_python(text)
    except ValidationError:
        raise BadValue("not a valid email address") from None


def phone(text: str) -> str:
    try:
        return _PHONE.validate_python(text)
    except ValidationError:
        raise BadValue("not a valid phone number (give it with its country code, e.g. +49 151 23456789)") from None


# 2024-03-05 14:22:10 +0100 (Shopify), 2024-03-05T14:22:10Z, 2024-03-05T14:22:10.123+01:00, 2024-03-05 14:22, 2024-03-05
_MOMENT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?)?"
    r"\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


def moment(text: str, tz: ZoneInfo) -> dt.datetime:
    """A point in time in UTC. A time without a zone, or a date alone (midnight), is in the store's zone."""
    return _moment(text, tz)


@lru_cache(maxsize=65536)
def _moment(text: str, tz: ZoneInfo) -> dt.datetime:
    match = _MOMENT.match(text)
    if match is None:
        raise BadValue("unreadable date (use e.g. 2024-03-05 14:22:10 +0100 or 2024-03-05T13:22:10Z)")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if zone is None:
        zone_info: dt.tzinfo = tz
    elif zone.upper() in ("Z", "UTC"):
        zone_info = dt.UTC
    else:
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            raise BadValue("unreadable date: the time zone offset is out of range")
        sign = -1 if zone[0] == "-" else 1
        zone_info = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    try:
        value = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=zone_info,
        ).astimezone(dt.UTC)
    except ValueError:
        raise BadValue("unreadable date: no such day or time") from None
    if not EARLIEST <= value < LATEST:
        raise BadValue("the date must be between 1970 and 2200")
    return value


_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$")


def money(text: str) -> Decimal:
    """An amount of at least 0: 12.50, 1,234.50, and as `;`-separated European files write it, 12,50 and
    1.234,50. More than two decimals are rounded half up."""
    value = text.replace(" ", "").replace("\u00a0", "")
    if _THOUSANDS_COMMA.match(value):
        value = value.replace(",", "")
    elif _THOUSANDS_DOT.match(value):
        value = value.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    elif not _PLAIN.match(value):
        raise BadValue("not an amount (e.g. 12.50)")
    try:
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise BadValue("not an amount (e.g. 12.50)") from None
    if amount < 0:
        raise BadValue("a negative amount")
    if amount > MAX_MONEY:
        raise BadValue("the amount is too large")
    return amount


def count(text: str, *, minimum: int = 0, what: str = "number") -> int:
    """A whole number (1, 3, 3.0) of at least `minimum`."""
    value = text.replace(" ", "")
    if re.fullmatch(r"-?\d+(\.0+)?", value) is None:
        raise BadValue(f"not a whole {what}")
    number = int(value.split(".")[0])
    if number < 0:
        raise BadValue(f"negative {what}")
    if number < minimum:
        raise BadValue(f"the {what} must be at least {minimum}")
    if number > MAX_COUNT:
        raise BadValue(f"the {what} is too large")
    return number


_TRUE = frozenset({"yes", "y", "true", "t", "1", "subscribed", "opted in", "x"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "not subscribed", "unsubscribed", "opted out"})


def boolean(text: str) -> bool:
    value = text.strip().lower().replace("_", " ")
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadValue("not yes or no")


def country(text: str) -> str:
    value = text.strip().upper()
    if re.fullmatch(r"[A-Z]{2}", value) is None:
        raise BadValue("not a country code of two letters (e.g. DE)")
    return value


def currency(text: str) -> str:
    value = text.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", value) is None:
        raise BadValue("not a currency code of three letters (e.g. EUR)")
    return value


def text_of(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise BadValue(f"{what} longer than {limit} characters")
    return value


# Shopify's financial statuses in ShopCRM's order statuses (docs/imports.md has the table). ShopCRM's own
# statuses are read as themselves, so its exports round-trip.
SHOPIFY_STATUSES: dict[str, OrderStatus] = {
    "paid": OrderStatus.paid,
    "pending": OrderStatus.pending,
    "authorized": OrderStatus.pending,
    "partially_paid": OrderStatus.pending,
    "partially_refunded": OrderStatus.paid,
    "refunded": OrderStatus.refunded,
    "voided": OrderStatus.cancelled,
    "expired": OrderStatus.cancelled,
}
_STATUSES = {s.value: s for s in OrderStatus} | SHOPIFY_STATUSES


def order_status(text: str) -> OrderStatus:
    key = "_".join(text.strip().lower().replace("-", " ").split())
    found = _STATUSES.get(key)
    if found is None:
        raise BadValue("unknown status")
    return found


def after_fulfilment(status: OrderStatus, fulfilment: str) -> OrderStatus:
    """A paid Shopify order that was fulfilled has shipped; one partly fulfilled is being processed."""
    if status != OrderStatus.paid:
        return status
    key = fulfilment.strip().lower()
    if key in ("fulfilled", "shipped"):
        return OrderStatus.shipped
    if key in ("partial", "partially_fulfilled", "partially fulfilled"):
        return OrderStatus.processing
    return status


def split_name(full: str) -> tuple[str, str]:
    """First word first name, the rest last name (the way Shopify splits a billing name)."""
    parts = full.split(None, 1)
    if not parts:
        return "", ""
    return parts[0][:100], (parts[1] if len(parts) > 1 else "")[:100]
