"""Customer search: what a person types into the search box, turned into index-friendly conditions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_

from shopcrm.core.engines import Capabilities
from shopcrm.customers.models import Customer

_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def like_prefix(text: str, *, upper: bool = False) -> str:
    """A LIKE pattern matching values that start with `text`, lower-cased (or upper-cased), its own % and _
    taken literally. Compare it with lower(column) (or upper(column)), which the prefix indexes cover."""
    return _escaped(text.upper() if upper else text.lower()) + "%"


def prefix_successor(prefix: str) -> str | None:
    """The least string greater than every string starting with `prefix`, in code point order (which is
    UTF-8 byte order, SQLite's BINARY collation): the prefix with its last code point one higher, dropping
    trailing U+10FFFF. None when there is none (empty, or only U+10FFFF)."""
    chars = list(prefix)
    while chars:
        last = ord(chars.pop()) + 1
        if last in _SURROGATES:
            last = _SURROGATES.stop  # surrogates are not characters: the next one is U+E000
        if last <= _MAX_CODE_POINT:
            return "".join(chars) + chr(last)
    return None


def starts_with(column: Any, prefix: str, caps: Capabilities) -> ColumnElement[bool]:
    """`column` starts with `prefix` (folded as the column is: lower(col) with a lower-cased prefix), written
    so this engine's index on `column` answers it: LIKE where a prefix LIKE uses an index, else a range.

    The two are the same test on SQLite: its LIKE folds ASCII case only, and both sides are already folded,
    so LIKE compares as BINARY does; every string starting with the prefix is >= it and < its successor.
    """
    if caps.indexed_prefix_like:
        like: ColumnElement[bool] = column.like(_escaped(prefix) + "%", escape="\\")
        return like
    upper = prefix_successor(prefix)
    at_least: ColumnElement[bool] = column >= prefix
    return at_least if upper is None else and_(at_least, column < upper)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_condition(q: str, caps: Capabilities) -> ColumnElement[bool] | None:
    """Prefix search, case-insensitive, shaped by what was typed so each branch can use an index."""
    branches = search_branches(q, caps)
    return or_(*branches) if branches else None


def search_branches(q: str, caps: Capabilities) -> list[ColumnElement[bool]]:
    """The search as alternatives, each answered by one index (a customer may match more than one): asked
    one by one, as a UNION ALL, each is an index-only scan on PostgreSQL (see customers/models.py)."""
    q = " ".join(q.split())
    if not q:
        return []
    if "@" in q:
        return [starts_with(func.lower(Customer.email), q.lower(), caps)]
    digits = q.replace(" ", "").replace("-", "")
    if digits.lstrip("+").isdigit():
        return [starts_with(Customer.phone, digits if digits.startswith("+") else "+" + digits, caps)]
    first, _, rest = q.partition(" ")
    if rest:  # "ann smi": first-name prefix and last-name prefix, or a last name with a space in it
        return [
            (func.lower(Customer.first_name) == first.lower())
            & starts_with(func.lower(Customer.last_name), rest.lower(), caps),
            starts_with(func.lower(Customer.last_name), q.lower(), caps),
        ]
    return [
        starts_with(func.lower(Customer.last_name), q.lower(), caps),
        starts_with(func.lower(Customer.first_name), q.lower(), caps),
        starts_with(func.lower(Customer.email), q.lower(), caps),
    ]
