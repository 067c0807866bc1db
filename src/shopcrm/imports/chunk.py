"""What every chunk loader shares: the import's settings as a chunk sees them, cell access by field, and the
tally of rows (imported, unchanged, failed) with the problems to report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
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
