"""What every chunk loader shares: the import's settings as a chunk sees them, cell access by field, and the
tally of rows (imported, unchanged, failed) with the problems to report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Executable, Table, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.type_api import TypeEngine

from shopcrm.core.engines import Capabilities
from shopcrm.imports.models import ImportKind
from shopcrm.imports.parsing import BadValue, clean

T = TypeVar("T")
MAX_VALUE = 200

Row = tuple[int, list[str]]  # (row number, cells)


@dataclass(frozen=True)
class Options:
    product_sku: str | None = None
    product_name: str | None = None
    default_status: str | None = None


@dataclass(frozen=True)
class Context:
    import_id: int
    kind: ImportKind
    headers: list[str]
    columns: dict[str, int]  # field id -> column index
    options: Options
    tz: ZoneInfo
    caps: Capabilities
    now: dt.datetime

    def has(self, field_id: str) -> bool:
        return field_id in self.columns

    def cell(self, record: list[str], field_id: str) -> str:
        index = self.columns.get(field_id)
        if index is None or index >= len(record):
            return ""
        return clean(record[index])

    def column(self, field_id: str) -> str:
        index = self.columns.get(field_id)
        return self.headers[index] if index is not None else field_id


class RowProblem(Exception):
    def __init__(self, row: int, field_id: str, value: str | None, reason: str) -> None:
        super().__init__(reason)
        self.row, self.field_id, self.value, self.reason = row, field_id, value, reason


def read(ctx: Context, row: int, record: list[str], field_id: str, parse: Callable[[str], T]) -> T | None:
    """The field's cell read by `parse`; None when empty; a RowProblem naming the cell when unreadable."""
    text = ctx.cell(record, field_id)
    if not text:
        return None
    try:
        return parse(text)
    except BadValue as exc:
        raise RowProblem(row, field_id, text, str(exc)) from None


def required(ctx: Context, row: int, record: list[str], field_id: str, parse: Callable[[str], T]) -> T:
    value = read(ctx, row, record, field_id, parse)
    if value is None:
        raise RowProblem(row, field_id, None, "missing required field")
    return value


@dataclass
class Outcome:
    ctx: Context
    imported: int = 0
    unchanged: int = 0
    failed: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    def fail(self, problem: RowProblem) -> None:
        self.failed += 1
        self.report(problem)

    def report(self, problem: RowProblem) -> None:
        value = problem.value
        self.problems.append(
            {
                "import_id": self.ctx.import_id,
                "row": problem.row,
                "column": self.ctx.column(problem.field_id)[:MAX_VALUE],
                "value": value[:MAX_VALUE] if value else None,
                "reason": problem.reason[:300],
            }
        )


def among(column: Any, values: Iterable[Any], caps: Capabilities, item_type: TypeEngine[Any]) -> ColumnElement[bool]:
    """`column IN values`: one array parameter where the engine binds arrays, an expanded list elsewhere."""
    listed = list(values)
    if caps.array_parameters:
        return column == any_(bindparam("listed", listed, type_=ARRAY(item_type), unique=True))  # type: ignore[no-any-return]
    return column.in_(listed)  # type: ignore[no-any-return]


async def execute_rows(
    conn: AsyncConnection | AsyncSession,
    caps: Capabilities,
    statement: Executable,
    rows: list[dict[str, Any]] | None = None,
) -> list[Any]:
    """`statement` (once per row of `rows`: executemany) on cached plans; the rows it returns, if any. A
    chunk's transaction plans each statement for its values (jobs._commit_chunk), which its set-based lookups
    need; but a foreign-key check is a statement of its own, run for every row written, and under that mode
    planned again each time (it doubled the time of inserting order lines, measured)."""
    if caps.plan_cached is not None:
        await conn.execute(text(caps.plan_cached))
    result = await conn.execute(statement, rows)
    returned = list(result.all()) if cast(CursorResult[Any], result).returns_rows else []
    if caps.plan_for_values is not None:
        await conn.execute(text(caps.plan_for_values))
    return returned


async def insert_rows(
    conn: AsyncConnection | AsyncSession,
    caps: Capabilities,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    skip_conflicts: bool = False,
    returning: tuple[str, ...] = (),
) -> list[Any]:
    """Insert `rows` (dicts with the same keys), leaving out those that conflict with a stored one when
    `skip_conflicts`; the `returning` columns of the rows inserted. Where the engine binds arrays, this is one
    statement: each column's values as one array, `INSERT ... SELECT * FROM unnest(...)`, so the server runs
    one statement instead of one per row and this process builds a few arrays instead of a parameter set per
    row (measured on 200,000 Shopify lines into PostgreSQL: 56 s before, 48 s after, with the grouped recount
    counted apart). Elsewhere, executemany."""
    if not rows:
        return []
    if caps.array_parameters:
        names = list(rows[0])
        arrays = [
            bindparam(f"col_{name}", [row[name] for row in rows], type_=ARRAY(table.c[name].type)) for name in names
        ]
        statement: Any = caps.insert(table).from_select(
            names, select(func.unnest(*arrays).table_valued(*names).render_derived())
        )
        params = None
    else:
        statement, params = caps.insert(table), rows
    if skip_conflicts:
        statement = statement.on_conflict_do_nothing()
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    return await execute_rows(conn, caps, statement, params)
