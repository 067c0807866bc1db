"""Counts that stay cheap on big tables: exact up to a cap, then an estimate."""

from __future__ import annotations

import time
from collections.abc import Hashable, Mapping
from typing import Any

from sqlalchemy import Select, func, literal, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.core.engines import capabilities_of

# Exact counts stop here; past it a list shows "more than N" (the planner's estimate on PostgreSQL),
# so a broad filter over millions of rows costs milliseconds, not a full scan.
COUNT_CAP = 10_000


async def capped_count(session: AsyncSession, query: Select[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Rows `query` returns, exact up to `cap`: (count, exact). `query` should select one narrow column."""
    inner = query.limit(cap + 1).subquery()
    counted = int(await session.scalar(select(func.count()).select_from(inner)) or 0)
    if counted <= cap:
        return counted, True
    if capabilities_of(session).planner_estimates:
        return max(await planner_estimate(session, query), cap + 1), False
    return counted, False


async def capped_counts(
    session: AsyncSession,
    queries: Mapping[str, Select[Any]],
    cap: int = COUNT_CAP,
    *,
    same_as: Hashable = None,
    estimates: Mapping[str, int] | None = None,
) -> dict[str, tuple[int, bool]]:
    """`capped_count` of several queries in at most two statements, whatever their number.

    Where the engine estimates (PostgreSQL), one EXPLAIN first gives every query's estimate; a query
    estimated above the cap is not counted at all and its estimate stands in, inexact. Counting such a
    query exactly up to the cap would mean finding cap + 1 of its rows, which for a common name and a
    status of a few percent is hundreds of thousands of rows read. The others are counted, each up to
    cap + 1 rows, as the columns of one SELECT; one of them past the cap is reported as its estimate
    (at least cap + 1), inexact, as `capped_count` does.

    `same_as`: a key under which `queries` are always the same statements, values included (the orders
    page's tabs with no filter, say); their EXPLAIN text and counting statement are then built once per
    process instead of per call, which cost more CPU than the database spent answering them.
    `estimates`: the caller's own estimate of each query (from `table_rows` and `column_shares`, say), which
    then needs no EXPLAIN.
    """
    if estimates is None:
        estimates = (
            await planner_estimates(session, queries, same_as=same_as)
            if capabilities_of(session).planner_estimates
            else {}
        )
    counted: dict[str, int] = {}
    to_count = [name for name in queries if estimates.get(name, 0) <= cap]
    if to_count:
        key = ("count", same_as, tuple(to_count), cap)
        statement = _BUILT.get(key) if same_as is not None else None
        if statement is None:
            columns = [
                select(func.count())
                .select_from(queries[name].limit(cap + 1).subquery())
                .scalar_subquery()
                .label(f"c{i}")
                for i, name in enumerate(to_count)
            ]
            statement = select(*columns)
            if same_as is not None:
                _remember(key, statement)
        row = (await session.execute(statement)).one()
        counted = {name: int(row[i] or 0) for i, name in enumerate(to_count)}
    result: dict[str, tuple[int, bool]] = {}
    for name in queries:
        n = counted.get(name)
        if n is not None and n <= cap:
            result[name] = (n, True)
        else:
            result[name] = (max(estimates.get(name, 0), cap + 1), False)
    return result


async def planner_estimate(session: AsyncSession, query: Select[Any]) -> int:
    """PostgreSQL's own row estimate for `query` (from table statistics; no rows are read)."""
    compiled = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    plan = await session.scalar(text(f"EXPLAIN (FORMAT JSON) {compiled}"))
    return int(plan[0]["Plan"]["Plan Rows"])


# How long a process keeps a table's statistics (its value shares, its row count): they change only when
# PostgreSQL analyzes or vacuums the table.
SHARES_MAX_AGE_S = 300.0
_SHARES: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}
_ROWS: dict[str, tuple[float, int | None]] = {}


async def table_rows(session: AsyncSession, table: str) -> int | None:
    """PostgreSQL's estimate of `table`'s rows (pg_class.reltuples, what the planner starts from), read at
    most every SHARES_MAX_AGE_S per process; None for a table never analyzed or vacuumed."""
    now = time.monotonic()
    kept = _ROWS.get(table)
    if kept is not None and now - kept[0] < SHARES_MAX_AGE_S:
        return kept[1]
    rows = await session.scalar(
        text(
            "SELECT reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = :table"
        ),
        {"table": table},
    )
    estimate = int(rows) if rows is not None and rows >= 0 else None
    _ROWS[table] = (now, estimate)
    return estimate


async def column_shares(session: AsyncSession, table: str, column: str) -> dict[str, float]:
    """PostgreSQL's statistics of `table.column`: the share of rows holding each of its most common values
    (pg_stats, the figures the planner itself multiplies by), read at most every SHARES_MAX_AGE_S per
    process. Empty where there are none (a table never analyzed)."""
    now = time.monotonic()
    kept = _SHARES.get((table, column))
    if kept is not None and now - kept[0] < SHARES_MAX_AGE_S:
        return kept[1]
    row = (
        await session.execute(
            text(
                "SELECT most_common_vals::text::text[] AS vals, most_common_freqs AS freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = :table AND attname = :column"
            ),
            {"table": table, "column": column},
        )
    ).first()
    shares = dict(zip(row.vals, row.freqs, strict=True)) if row is not None and row.vals is not None else {}
    _SHARES[(table, column)] = (now, shares)
    return shares


# Statements (and EXPLAIN texts) built for a caller's `same_as` key; a handful per process.
_BUILT: dict[Hashable, Any] = {}


def _remember(key: Hashable, value: Any) -> None:
    if len(_BUILT) >= 64:
        _BUILT.clear()
    _BUILT[key] = value


async def planner_estimates(
    session: AsyncSession, queries: Mapping[str, Select[Any]], *, same_as: Hashable = None
) -> dict[str, int]:
    """PostgreSQL's row estimate for each of `queries`, from one EXPLAIN of their UNION ALL.

    The union is planned without parallel workers (a parallel-unsafe call in a filter that is never run:
    EXPLAIN does not execute), so the Append keeps the branches in order and each child's row estimate is
    its whole branch's, not one worker's share.
    """
    names = list(queries)
    if not names:
        return {}
    dialect = session.get_bind().dialect
    key = ("explain", same_as, tuple(names), dialect.name)
    explain = _BUILT.get(key) if same_as is not None else None
    if explain is None:
        branches = [
            queries[name].with_only_columns(literal(i).label("branch"), maintain_column_froms=True)
            for i, name in enumerate(names)
        ]
        union = union_all(*branches).subquery()
        serial = select(union.c.branch).where(func.txid_current().is_not(None))
        compiled = serial.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        explain = text(f"EXPLAIN (FORMAT JSON) {compiled}")
        if same_as is not None:
            _remember(key, explain)
    plan = (await session.scalar(explain))[0]["Plan"]
    if len(names) == 1:
        return {names[0]: int(plan["Plan Rows"])}
    append = _find_append(plan)
    if append is None or len(append.get("Plans", ())) != len(names):
        # A plan of another shape (a branch proven empty and removed, say): no estimate, so all are counted.
        return {}
    return {name: int(child["Plan Rows"]) for name, child in zip(names, append["Plans"], strict=True)}


def _find_append(node: dict[str, Any]) -> dict[str, Any] | None:
    if node.get("Node Type") == "Append":
        return node
    for child in node.get("Plans", ()):
        if (found := _find_append(child)) is not None:
            return found
    return None
