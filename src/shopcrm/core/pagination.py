"""Keyset (cursor) pagination: every page costs the same, page 1 or page 50,000.

A sort is a list of columns plus the primary key as the tie-breaker. A cursor is the sort values of the
row a page ended at, signed with the sort it belongs to; the next page is "rows after this one", which an
index on (columns..., id) answers by seeking, never by counting past the rows before it.

Nullable single-column sorts keep NULLs last ascending and first descending on both engines, walked as
two segments (the non-NULL values, then the NULLs by id), so each segment is still an index seek.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, bindparam, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.core.errors import InvalidInput
from shopcrm.core.params import MAX_ID

Direction = Literal["asc", "desc"]
ValueKind = Literal["str", "int", "decimal", "datetime"]
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SortKey:
    columns: tuple[Any, ...]  # columns or SQL expressions
    kinds: tuple[ValueKind, ...]
    nullable: bool = False  # only for single-column keys
    unique: bool = False  # the columns alone order rows totally (the id is then not needed)


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


def _encode_value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _decode_value(raw: Any, kind: ValueKind) -> Any:
    if raw is None:
        return None
    if kind == "str" and isinstance(raw, str):
        return raw
    if kind == "int" and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if kind == "decimal" and isinstance(raw, str):
        value = Decimal(raw)
        if not value.is_finite():
            raise ValueError("not finite")
        return value
    if kind == "datetime" and isinstance(raw, str):
        parsed = dt.datetime.fromisoformat(raw)
        if parsed.tzinfo is None:
            raise ValueError("naive time")
        return parsed
    raise ValueError(f"expected {kind}")


def encode_cursor(sort: str, direction: Direction, values: Sequence[Any], row_id: int, *, backwards: bool) -> str:
    payload = {"s": sort, "o": direction, "v": [_encode_value(v) for v in values], "i": row_id, "b": backwards}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, direction: Direction, key: SortKey) -> Cursor:
    """Parse a cursor from a query string; anything malformed or from another sort is a 422."""

    def bad(reason: str) -> InvalidInput:
        return InvalidInput(f"cursor: {reason}; start again from the first page", loc=["query", "cursor"])

    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise bad("not a cursor this server issued") from None
    if not isinstance(payload, dict) or payload.get("s") != sort or payload.get("o") != direction:
        raise bad("it belongs to another sort order")
    raw_values, row_id, backwards = payload.get("v"), payload.get("i"), payload.get("b")
    if not isinstance(raw_values, list) or len(raw_values) != len(key.kinds):
        raise bad("wrong shape")
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 < row_id <= MAX_ID:
        raise bad("wrong id")
    if not isinstance(backwards, bool):
        raise bad("wrong shape")
    try:
        values = tuple(_decode_value(raw, kind) for raw, kind in zip(raw_values, key.kinds, strict=True))
    except (ValueError, InvalidOperation, TypeError):
        raise bad("wrong value") from None
    if None in values and not key.nullable:
        raise bad("wrong value")
    return Cursor(values=values, id=row_id, backwards=backwards)


def _typed(value: Any, column: ColumnElement[Any]) -> ColumnElement[Any]:
    return bindparam(None, value, type_=column.type)


def _after(key: SortKey, id_col: Any, direction: Direction, cursor: Cursor) -> ColumnElement[bool]:
    """Rows strictly after the cursor's row in (columns..., id) order, non-NULL values only."""
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
    cols = [*key.columns] if key.unique else [*key.columns, id_col]
    return query.order_by(*(c.asc() if direction == "asc" else c.desc() for c in cols))


async def _walk(
    session: AsyncSession,
    query: Select[Any],
    key: SortKey,
    id_col: Any,
    direction: Direction,
    after: Cursor | None,
    limit: int,
) -> list[Any]:
    """Up to `limit` rows after `after` in the given direction (NULLs last ascending, first descending)."""
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
    if direction == "asc":
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
    cursor: Cursor | None,
) -> Page:
    """One page of `query` (already filtered, not ordered).

    The sort columns are selected alongside the row (as `_k0`, `_k1`, ... and `_kid`), so a cursor holds
    exactly the values the database compared, even for expressions such as lower(email).
    """
    query = query.add_columns(*(c.label(f"_k{i}") for i, c in enumerate(key.columns)), id_col.label("_kid"))
    flipped: Direction = "desc" if direction == "asc" else "asc"
    if cursor is not None and cursor.backwards:
        rows = await _walk(session, query, key, id_col, flipped, cursor, limit + 1)
        has_before = len(rows) > limit
        rows = list(reversed(rows[:limit]))
        has_after = True
    else:
        rows = await _walk(session, query, key, id_col, direction, cursor, limit + 1)
        has_after = len(rows) > limit
        rows = rows[:limit]
        has_before = cursor is not None

    def make(row: Any, backwards: bool) -> str:
        values = tuple(getattr(row, f"_k{i}") for i in range(len(key.columns)))
        return encode_cursor(sort, direction, values, row._kid, backwards=backwards)

    return Page(
        rows=rows,
        next_cursor=make(rows[-1], False) if rows and has_after else None,
        prev_cursor=make(rows[0], True) if rows and has_before else None,
    )
