"""Keyset (cursor) pagination: every page costs the same, page 1 or page 50,000.

A sort is a list of columns plus the primary key as the tie-breaker. A cursor is the sort values of the
row a page ended at and the sort it belongs to, signed by the server (`CursorCodec`); the next page is
"rows after this one", which an index on (columns..., id) answers by seeking, never by counting past the
rows before it.

A cursor comes back from the client, so it is checked twice before any of it reaches SQL: its signature
(a cursor this server did not issue, or one with a byte changed, is a 422), then each value against the
type of the column it is compared with (`value_check`): a string fits the column's length and holds no NUL
or lone surrogate, an integer fits the column's range, a decimal its precision and scale, a time is aware
and converts to UTC without leaving the years 1 to 9999. The second check holds even if the key leaks.

Nullable single-column sorts keep NULLs last ascending and first descending on both engines, walked as
two segments (the non-NULL values, then the NULLs by id), so each segment is still an index seek.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Float,
    Integer,
    Numeric,
    Select,
    SmallInteger,
    String,
    bindparam,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator, TypeEngine

from shopcrm.core.errors import InvalidInput
from shopcrm.core.text import is_storable
from shopcrm.core.types import MAX_ID

Direction = Literal["asc", "desc"]
MAX_PAGE_SIZE = 100

# Long enough for the longest cursor the server issues: two 100-character names of 4-byte characters,
# or a 254-character email, base64-encoded with the signature.
MAX_CURSOR_LENGTH = 2048
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
_MAC_BYTES = 16  # HMAC-SHA256 truncated to 128 bits

# A check takes a value as JSON gave it and returns it as SQL will compare it, or raises ValueError.
ValueCheck = Callable[[Any], Any]


def _string_check(length: int) -> ValueCheck:
    def check(raw: Any) -> str:
        if not isinstance(raw, str) or len(raw) > length or not is_storable(raw):
            raise ValueError("not a string the column holds")
        return raw

    return check


def _int_check(low: int, high: int) -> ValueCheck:
    def check(raw: Any) -> int:
        if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
            raise ValueError("not an integer the column holds")
        return raw

    return check


def _decimal_check(precision: int, scale: int) -> ValueCheck:
    step = Decimal(1).scaleb(-scale)

    def check(raw: Any) -> Decimal:
        if not isinstance(raw, str) or len(raw) > 64:
            raise ValueError("not a decimal string")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValueError("not a decimal") from None
        # Finite first: comparing a signalling NaN raises.
        if not value.is_finite() or (value and value.adjusted() >= precision - scale) or value.quantize(step) != value:
            raise ValueError("not a decimal the column holds")
        return value

    return check


def _aware_time_check(raw: Any) -> dt.datetime:
    if not isinstance(raw, str) or len(raw) > 40:
        raise ValueError("not a time string")
    parsed = dt.datetime.fromisoformat(raw)
    if parsed.utcoffset() is None:
        raise ValueError("a time without an offset")
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise ValueError("a time outside the years 1 to 9999 in UTC") from None


def value_check(type_: TypeEngine[Any]) -> ValueCheck:
    """How a cursor value compared with a column of this type is checked; a type with no rule here is a
    TypeError when the sort is declared, not a surprise at request time."""
    if isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, String) and type_.length:
        return _string_check(type_.length)
    if isinstance(type_, BigInteger):
        return _int_check(-(2**63), 2**63 - 1)
    if isinstance(type_, SmallInteger):
        return _int_check(-(2**15), 2**15 - 1)
    if isinstance(type_, Integer):
        return _int_check(-(2**31), 2**31 - 1)
    if isinstance(type_, Numeric) and not isinstance(type_, Float) and type_.precision and type_.scale is not None:
        return _decimal_check(type_.precision, type_.scale)
    if isinstance(type_, DateTime) and type_.timezone:
        return _aware_time_check
    raise TypeError(f"no cursor rule for {type_!r}: sort by a column of a known type, or give the expression one")


@dataclass(frozen=True)
class SortKey:
    columns: tuple[Any, ...]  # columns or typed SQL expressions
    nullable: bool = False  # only for single-column keys
    # Where a nullable key's NULLs go: by default last ascending and first descending (PostgreSQL's own
    # order); `nulls_last` puts them after every value both ways, for a NULL that means "not known" and
    # belongs after the values either way (a product with no need level yet, below "critical" and "none").
    nulls_last: bool = False
    unique: bool = False  # the columns alone order rows totally (the id is then not needed)
    # The id to pair with the columns where they are not NULL, when they belong to a LEFT JOINed table: its own
    # key (equal to the row's id there), so (column, its key) is one index of that table to seek in.
    tiebreak: Any = None
    checks: tuple[ValueCheck, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks", tuple(value_check(c.type) for c in self.columns))


@dataclass(frozen=True)
class Cursor:
    values: tuple[Any, ...]
    id: int
    backwards: bool


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None
    prev_cursor: str | None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _encode_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _bad(reason: str) -> InvalidInput:
    return InvalidInput(f"cursor: {reason}; start again from the first page", loc=["query", "cursor"])


class CursorCodec:
    """Signs the cursors the server hands out and checks the ones it gets back:
    base64url(JSON payload) "." base64url(HMAC-SHA256 of that text, first 16 bytes)."""

    def __init__(self, signing_key: bytes) -> None:
        # A key of cursors' own, so a signature made for something else can never pass as a cursor's.
        self._key = hmac.new(signing_key, b"shopcrm list cursor v1", hashlib.sha256).digest()

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()[:_MAC_BYTES])

    def sign(self, payload: bytes) -> str:
        """A cursor carrying `payload` (JSON text) as it is."""
        body = _b64(payload)
        return f"{body}.{self._mac(body)}"

    def encode(self, sort: str, direction: Direction, values: Sequence[Any], row_id: int, *, backwards: bool) -> str:
        payload = {"s": sort, "o": direction, "v": [_encode_value(v) for v in values], "i": row_id, "b": backwards}
        return self.sign(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())

    def decode(self, cursor: str, sort: str, direction: Direction, key: SortKey) -> Cursor:
        """The cursor's position; anything not signed here, from another sort, or holding a value its
        column cannot hold is a 422."""
        body, dot, mac = cursor.rpartition(".")
        if not (dot and body and cursor.isascii() and hmac.compare_digest(self._mac(body), mac)):
            raise _bad("not a cursor this server issued")
        try:
            payload = json.loads(_unb64(body))
        except (ValueError, binascii.Error, RecursionError):
            raise _bad("not a cursor this server issued") from None
        if not isinstance(payload, dict) or payload.get("s") != sort or payload.get("o") != direction:
            raise _bad("it belongs to another sort order")
        raw_values, row_id, backwards = payload.get("v"), payload.get("i"), payload.get("b")
        if not isinstance(raw_values, list) or len(raw_values) != len(key.checks):
            raise _bad("wrong shape")
        if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 < row_id <= MAX_ID:
            raise _bad("wrong id")
        if not isinstance(backwards, bool):
            raise _bad("wrong shape")
        if None in raw_values and not (key.nullable and len(raw_values) == 1):
            raise _bad("wrong value")
        try:
            values = tuple(
                None if raw is None else check(raw) for raw, check in zip(raw_values, key.checks, strict=True)
            )
        except ValueError:
            raise _bad("wrong value") from None
        return Cursor(values=values, id=row_id, backwards=backwards)


def _typed(value: Any, column: ColumnElement[Any]) -> ColumnElement[Any]:
    return bindparam(None, value, type_=column.type)


def _after(key: SortKey, id_col: Any, direction: Direction, cursor: Cursor) -> ColumnElement[bool]:
    """Rows strictly after the cursor's row in (columns..., id) order, non-NULL values only."""
    id_col = id_col if key.tiebreak is None else key.tiebreak
    if key.unique:
        left: ColumnElement[Any] = tuple_(*key.columns) if len(key.columns) > 1 else key.columns[0]
        right: ColumnElement[Any] = (
            tuple_(*(_typed(v, c) for v, c in zip(cursor.values, key.columns, strict=True)))
            if len(key.columns) > 1
            else _typed(cursor.values[0], key.columns[0])
        )
    else:
        left = tuple_(*key.columns, id_col)
        right = tuple_(*(_typed(v, c) for v, c in zip(cursor.values, key.columns, strict=True)), cursor.id)
    return left > right if direction == "asc" else left < right


def _ordered(query: Select[Any], key: SortKey, id_col: Any, direction: Direction) -> Select[Any]:
    id_col = id_col if key.tiebreak is None else key.tiebreak
    cols = [*key.columns] if key.unique else [*key.columns, id_col]
    return query.order_by(*(c.asc() if direction == "asc" else c.desc() for c in cols))


def _nulls_first(key: SortKey, direction: Direction) -> bool:
    return direction == "desc" and not key.nulls_last


def in_list_order(query: Select[Any], key: SortKey, id_col: Any, direction: Direction) -> Select[Any]:
    """`query` ordered exactly as `keyset_page` walks it, pages end to end (for an export of the whole list):
    a nullable key's NULLs where the key puts them (`SortKey.nulls_last`), by id among themselves."""
    if not key.nullable:
        return _ordered(query, key, id_col, direction)
    column = key.columns[0]
    ordered = column.asc() if direction == "asc" else column.desc()
    ordered = ordered.nulls_first() if _nulls_first(key, direction) else ordered.nulls_last()
    return query.order_by(ordered, id_col.asc() if direction == "asc" else id_col.desc())


async def _walk(
    session: AsyncSession,
    query: Select[Any],
    key: SortKey,
    id_col: Any,
    direction: Direction,
    after: Cursor | None,
    limit: int,
    *,
    nulls_first: bool = False,
) -> list[Any]:
    """Up to `limit` rows after `after` in the given direction, a nullable key's NULLs first or last (by id
    among themselves, in the same direction)."""
    if not key.nullable:
        q = query if after is None else query.where(_after(key, id_col, direction, after))
        return list((await session.execute(_ordered(q, key, id_col, direction).limit(limit))).all())

    column = key.columns[0]
    by_id = id_col.asc() if direction == "asc" else id_col.desc()

    async def values_part(start: Cursor | None, n: int) -> list[Any]:
        q = query.where(column.is_not(None))
        if start is not None:
            q = q.where(_after(key, id_col, direction, start))
        return list((await session.execute(_ordered(q, key, id_col, direction).limit(n))).all())

    async def nulls_part(start_id: int | None, n: int) -> list[Any]:
        q = query.where(column.is_(None))
        if start_id is not None:
            q = q.where(id_col > start_id if direction == "asc" else id_col < start_id)
        return list((await session.execute(q.order_by(by_id).limit(n))).all())

    in_nulls = after is not None and after.values[0] is None
    if not nulls_first:
        rows = [] if in_nulls else await values_part(after, limit)
        if len(rows) < limit:
            rows += await nulls_part(after.id if in_nulls and after else None, limit - len(rows))
        return rows
    rows = await nulls_part(after.id if after else None, limit) if (after is None or in_nulls) else []
    if len(rows) < limit:
        rows += await values_part(None if (after is None or in_nulls) else after, limit - len(rows))
    return rows


async def keyset_page(
    session: AsyncSession,
    query: Select[Any],
    *,
    key: SortKey,
    id_col: Any,
    sort: str,
    direction: Direction,
    limit: int,
    cursor: str | None,
    codec: CursorCodec,
) -> Page:
    """One page of `query` (already filtered, not ordered), after `cursor` as the client sent it.

    The sort columns are selected alongside the row (as `_k0`, `_k1`, ... and `_kid`), so a cursor holds
    exactly the values the database compared, even for expressions such as lower(email).
    """
    after = codec.decode(cursor, sort, direction, key) if cursor else None
    query = query.add_columns(*(c.label(f"_k{i}") for i, c in enumerate(key.columns)), id_col.label("_kid"))
    flipped: Direction = "desc" if direction == "asc" else "asc"
    # Walking back is walking the reversed order: the NULLs at its other end.
    nulls_first = _nulls_first(key, direction)
    if after is not None and after.backwards:
        rows = await _walk(session, query, key, id_col, flipped, after, limit + 1, nulls_first=not nulls_first)
        has_before = len(rows) > limit
        rows = list(reversed(rows[:limit]))
        has_after = True
    else:
        rows = await _walk(session, query, key, id_col, direction, after, limit + 1, nulls_first=nulls_first)
        has_after = len(rows) > limit
        rows = rows[:limit]
        has_before = after is not None

    def make(row: Any, backwards: bool) -> str:
        values = tuple(getattr(row, f"_k{i}") for i in range(len(key.columns)))
        return codec.encode(sort, direction, values, row._kid, backwards=backwards)

    return Page(
        rows=rows,
        next_cursor=make(rows[-1], False) if rows and has_after else None,
        prev_cursor=make(rows[0], True) if rows and has_before else None,
    )
