"""Membership that keeps itself true: the segment refresh job and the loop that runs it.

`refresh_segment(database, segment_id, settings=..., now=...)` computes the members with the segment's
compiled query and applies only the difference, in SQL and in one transaction (a unit of work on
`Database.transaction()`): a 'left' event for each stored member the rules no longer match, those members
deleted; a 'joined' event for each matching customer not yet stored, those customers inserted; then the
segment's `member_count`, `counted_at` (= the events' `at`) and `count_ms`. The rules are evaluated twice
(once for leavers, once for joiners); the member rows are written from the events just written, so a
customer is never stored without its event nor the other way round.

Which process refreshes: on PostgreSQL any number of `shopcrm worker` processes run the loop; each refresh
first takes a transaction-scoped advisory lock on the segment without waiting and skips the segment when
another process holds it, then re-reads whether the segment is still due. On SQLite (one file, one writer)
`shopcrm serve` runs the same loop in-process (main.py's lifespan), so `make run` stays one command.

A segment is due when it has not been counted since its rules changed (`counted_at` NULL: saving a segment
clears it) or its count is older than `SHOPCRM_SEGMENT_REFRESH_SECONDS` (rules such as "no order in 90
days" change with time, without any write). The loop looks every few seconds, so a saved segment is counted
moments later, and never in the request that saved it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass

from sqlalchemy import BigInteger, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.core.engines import capabilities_of
from shopcrm.db import Database, utcnow
from shopcrm.segments import queries
from shopcrm.segments.compiler import members_query
from shopcrm.segments.models import Segment
from shopcrm.segments.service import context, segment_tree
from shopcrm.segments.tree import InvalidTree

log = logging.getLogger("shopcrm.segments.jobs")

# pg_try_advisory_xact_lock keys: this base ("SEGM" in ASCII, shifted) plus the segment id.
ADVISORY_LOCK_BASE = 0x5345474D << 31
# How often the loop looks for segments saved since it last looked.
POLL_SECONDS = 5.0


@dataclass(frozen=True)
class Refreshed:
    segment_id: int
    joined: int
    left: int
    member_count: int
    counted_at: dt.datetime
    count_ms: int


def _due(now: dt.datetime, interval_s: float) -> object:
    stale = Segment.counted_at < now - dt.timedelta(seconds=interval_s) if interval_s else None
    return Segment.counted_at.is_(None) if stale is None else or_(Segment.counted_at.is_(None), stale)


async def due_segments(session: AsyncSession, *, now: dt.datetime, interval_s: float) -> list[int]:
    """Ids of the segments to refresh now, never-counted first."""
    rows = await session.scalars(
        select(Segment.id).where(_due(now, interval_s)).order_by(Segment.counted_at.nulls_first(), Segment.id)  # type: ignore[arg-type]
    )
    return list(rows.all())


async def _lock(session: AsyncSession, segment_id: int) -> bool:
    """This process's right to refresh the segment until the transaction ends (PostgreSQL); SQLite's
    writers take turns on the whole file, so there it is always granted."""
    if not capabilities_of(session).advisory_locks:
        return True
    key = literal(ADVISORY_LOCK_BASE + segment_id, BigInteger)
    return bool(await session.scalar(select(func.pg_try_advisory_xact_lock(key))))


async def refresh_in(
    session: AsyncSession,
    segment_id: int,
    *,
    settings: Settings,
    now: dt.datetime,
    only_if_due_within: float | None = None,
) -> Refreshed | None:
    """Refresh one segment inside the caller's transaction (which commits it); None when another process
    holds the segment, it is gone, its stored rules no longer pass the catalog, or (`only_if_due_within`) it
    was counted by someone else in the meantime."""
    if not await _lock(session, segment_id):
        return None
    segment = await session.get(Segment, segment_id, populate_existing=True)
    if segment is None:
        return None
    fresh_since = now - dt.timedelta(seconds=only_if_due_within or 0)
    if only_if_due_within is not None and segment.counted_at is not None and segment.counted_at >= fresh_since:
        return None
    try:
        group = await segment_tree(session, segment)
    except InvalidTree:
        log.warning("segment %d: stored rules no longer pass the field catalog; not refreshed", segment_id)
        return None
    # Each refresh's events carry its own instant, which is how its member rows are found.
    if segment.counted_at is not None and now <= segment.counted_at:
        now = segment.counted_at + dt.timedelta(microseconds=1)
    started = time.perf_counter()
    members = members_query(group, context(settings, now))
    left = (await session.execute(queries.leavers_events(segment_id, members, now))).rowcount  # type: ignore[attr-defined]
    await session.execute(queries.remove_leavers(segment_id, now))
    joined = (await session.execute(queries.joiners_events(segment_id, members, now))).rowcount  # type: ignore[attr-defined]
    await session.execute(queries.add_joiners(segment_id, now))
    # The stored members were exactly the last count's (0 before the first refresh).
    count = (segment.member_count or 0) + int(joined) - int(left)
    took_ms = round((time.perf_counter() - started) * 1000)
    await session.execute(
        update(Segment)
        .where(Segment.id == segment_id)
        .values(member_count=count, counted_at=now, count_ms=took_ms)
        .execution_options(synchronize_session=False)
    )
    return Refreshed(segment_id, int(joined), int(left), count, now, took_ms)


async def refresh_segment(
    database: Database, segment_id: int, *, settings: Settings, now: dt.datetime | None = None
) -> Refreshed | None:
    """Refresh one segment in its own unit of work (committed before this returns)."""
    async with database.transaction() as session:
        return await refresh_in(session, segment_id, settings=settings, now=now or utcnow())


async def refresh_due(
    database: Database, *, settings: Settings, now: dt.datetime | None = None, interval_s: float | None = None
) -> list[Refreshed]:
    """Refresh every due segment, each in its own transaction (a slow one does not hold the others)."""
    interval = settings.segment_refresh_seconds if interval_s is None else interval_s
    moment = now or utcnow()
    async with database.read_sessionmaker() as read:
        ids = await due_segments(read, now=moment, interval_s=interval)
        await read.rollback()
    done = []
    for segment_id in ids:
        async with database.transaction() as session:
            result = await refresh_in(
                session, segment_id, settings=settings, now=now or utcnow(), only_if_due_within=interval
            )
        if result is not None:
            done.append(result)
            log.info(
                "segment %d refreshed: %d members, %d joined, %d left, %d ms",
                result.segment_id,
                result.member_count,
                result.joined,
                result.left,
                result.count_ms,
            )
    return done


class SegmentRefresher:
    """The refresh loop: `shopcrm worker` runs it on its own; on SQLite `shopcrm serve` runs it in-process
    (started and stopped by the app's lifespan, like the customer statistics)."""

    def __init__(self, database: Database, settings: Settings, *, poll_s: float = POLL_SECONDS) -> None:
        self.database = database
        self.settings = settings
        self.poll_s = poll_s
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> list[Refreshed]:
        return await refresh_due(self.database, settings=self.settings)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                # Logged (no customer data: ids and counts only) and tried again at the next tick.
                log.exception("segment refresh failed")
            await asyncio.sleep(self.poll_s)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run_forever(), name="shopcrm-segment-refresh")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
