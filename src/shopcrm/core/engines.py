"""The one place that knows what each database engine can do. Code asks for a capability, never for an
engine's name, so a third engine (a columnar one for analytics, say) is an entry here, not new branches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Capabilities:
    name: str
    # Hot statements may run straight on the driver (core/driver.py): asyncpg.
    driver_fast_path: bool
    # SELECT ... FOR UPDATE locks rows (SQLite ignores it: its writers take turns on the whole file).
    row_locks: bool
    # FOR UPDATE SKIP LOCKED, so many workers can claim jobs without waiting on each other.
    skip_locked: bool
    # The planner's row estimate (EXPLAIN) can stand in for a count past the cap.
    planner_estimates: bool
    # Bulk loads through COPY (the large demo data set).
    bulk_copy: bool
    # `lower(col) LIKE 'abc%'` is served by an index (PostgreSQL's text_pattern_ops). Where it is not (SQLite
    # uses no index for a LIKE with ESCAPE), prefix search is the range lower(col) >= 'abc' AND < 'abd'.
    indexed_prefix_like: bool
    # Ordered-set aggregates (`percentile_disc(...) WITHIN GROUP (ORDER BY ...)`): quantiles in one pass.
    percentiles: bool
    # A list of values binds as one array parameter (`col = ANY(:ids)`), whatever its length; and a filter on
    # a long one is a hash lookup per row. Elsewhere a long list is thousands of parameters: ask a subquery.
    array_parameters: bool
    # Advisory locks (`pg_try_advisory_xact_lock`), so one of many server processes runs a background job.
    advisory_locks: bool
    # `array_agg(col)` returns a column's values as one array, which the driver decodes in C: millions of
    # numbers read in one row instead of millions of rows (the forecasting batch's read).
    array_aggregates: bool
    # Timestamps are stored without a zone (as UTC) and come back naive.
    naive_timestamps: bool
    # A file in this process: one writer at a time, so reads and writes share one engine, and the folder
    # must exist before the first connection.
    embedded: bool
    # ALTER TABLE can do little, so migrations rebuild the table instead (Alembic's batch mode).
    alters_by_rebuild: bool
    # The isolation level a long streamed read (a CSV export through a server-side cursor) runs in: a cursor
    # lives in a transaction, and PostgreSQL's read engine otherwise autocommits each statement.
    streaming_isolation: str
    # INSERT with this engine's ON CONFLICT clauses: `caps.insert(Model).on_conflict_do_nothing(...)`.
    insert: Callable[..., Any]
    # A statement making the rest of the current transaction plan each statement for its own values, for
    # heavy reads on the write engine (whose cached generic plans suit key lookups); None: always so.
    plan_for_values: str | None = None
    # Its undoing: the rest of the transaction back on cached generic plans, for statements run once per row
    # (executemany), whose foreign-key checks would otherwise be planned again for every row.
    plan_cached: str | None = None


POSTGRESQL = Capabilities(
    name="postgresql",
    driver_fast_path=True,
    row_locks=True,
    skip_locked=True,
    planner_estimates=True,
    bulk_copy=True,
    indexed_prefix_like=True,
    percentiles=True,
    array_parameters=True,
    advisory_locks=True,
    array_aggregates=True,
    naive_timestamps=False,
    embedded=False,
    alters_by_rebuild=False,
    streaming_isolation="REPEATABLE READ",
    insert=postgresql.insert,
    plan_for_values="SET LOCAL plan_cache_mode = force_custom_plan",
    plan_cached="SET LOCAL plan_cache_mode = force_generic_plan",
)
SQLITE = Capabilities(
    name="sqlite",
    driver_fast_path=False,
    row_locks=False,
    skip_locked=False,
    planner_estimates=False,
    bulk_copy=False,
    indexed_prefix_like=False,
    percentiles=False,
    array_parameters=False,
    advisory_locks=False,
    array_aggregates=False,
    naive_timestamps=True,
    embedded=True,
    alters_by_rebuild=True,
    streaming_isolation="SERIALIZABLE",
    insert=sqlite.insert,
)
_BY_NAME = {c.name: c for c in (POSTGRESQL, SQLITE)}


class UnsupportedEngine(ValueError):
    pass


Target = Dialect | Engine | AsyncEngine | Connection | AsyncConnection | AsyncSession | Session | str


def capabilities_of(target: Target) -> Capabilities:
    """What the engine behind `target` can do: a session, a connection, an engine, a dialect or a URL."""
    name = _dialect_name(target)
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnsupportedEngine(f"ShopCRM runs on {' and '.join(sorted(_BY_NAME))}, not {name}") from None


def _dialect_name(target: Any) -> str:
    if isinstance(target, str):
        return target.split(":", 1)[0].split("+", 1)[0]
    if isinstance(target, Dialect):
        return str(target.name)
    if isinstance(target, (AsyncSession, Session)):
        return str(target.get_bind().dialect.name)
    return str(target.dialect.name)
