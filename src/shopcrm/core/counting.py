"""Counts that stay cheap on big tables: exact up to a cap, then an estimate."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select, text
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


async def planner_estimate(session: AsyncSession, query: Select[Any]) -> int:
    """PostgreSQL's own row estimate for `query` (from table statistics; no rows are read)."""
    compiled = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    plan = await session.scalar(text(f"EXPLAIN (FORMAT JSON) {compiled}"))
    return int(plan[0]["Plan"]["Plan Rows"])
