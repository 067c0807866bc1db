"""Membership that keeps itself true: the segment refresh job and the loop that runs it.

`refresh_segment(database, segment_id, settings=..., now=...)` computes the members with the segment's
compiled query and applies only the difference, in SQL and in one transaction (a unit of work on
`Database.transaction()`): one statement writes a 'left' event for each stored member the rules no longer
match and a 'joined' event for each matching customer not yet stored (the rules evaluated once, the new and
stored sets compared in a FULL JOIN); the leavers are deleted and the joiners inserted from those events, so
a customer is never stored without its event nor the other way round; then the segment's `member_count`,
`counted_at` (= the events' `at`) and `count_ms`.

Which process refreshes: on PostgreSQL any number of `shopcrm worker` processes run the loop; each refresh
first takes a transaction-scoped advisory lock on the segment without waiting and skips the segment when
another process holds it, then re-reads whether the segment is still due. Each process refreshes up to
`SHOPCRM_SEGMENT_REFRESH_CONCURRENCY` segments at a time, each on its own connection and transaction. On
SQLite (one file, one writer) `shopcrm serve` runs the same loop in-process (main.py's lifespan), one segment
at a time, so `make run` stays one command.

A segment is due when it has not been counted since its rules changed (`counted_at` NULL: saving a segment
clears it) or its count is older than `SHOPCRM_SEGMENT_REFRESH_SECONDS` (rules such as "no order in 90
days" change with time, without any write). The loop looks every few seconds, so a saved segment is counted
moments later, and never in the request that saved it.

A refresh that fails (a statement timeout, stored rules the catalog now refuses, any database error) is
rolled back, and its reason and time are written to the segment (`last_error`, `failed_at`) in a unit of work
of its own, so the page shows the error rather than a count that never comes. A failed segment waits
RETRY_AFTER_FAILURE_S (or the refresh interval, if longer) before the next try, so one that cannot finish
within the statement timeout does not occupy the database every few seconds; saving its rules anew clears
the error and makes it due at once. The next refresh that succeeds clears the error too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass

from sqlalchemy import BigInteger, and_, func, literal, or_, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.core.background import START_DELAY_S, InProcessLoop
from shopcrm.core.engines import capabilities_of
from shopcrm.customers.models import Customer
from shopcrm.db import Database, utcnow
from shopcrm.segments import queries
from shopcrm.segments.compiler import members_query
from shopcrm.segments.fields import FieldType
from shopcrm.segments.models import Segment
from shopcrm.segments.service import context, segment_tree
from shopcrm.segments.tree import Group, InvalidTree, Rule

log = logging.getLogger("shopcrm.segments.jobs")

# pg_try_advisory_xact_lock keys: this base ("SEGM" in ASCII, shifted) plus the segment id.
ADVISORY_LOCK_BASE = 0x5345474D << 31
# How often the loop looks for segments saved since it last looked.
POLL_SECONDS = 5.0
# Customer ids per statement of a first count (see _slices).
REFRESH_SLICE = 200_000
# How long a segment whose refresh failed rests before the next try (at least; the refresh interval if longer).
RETRY_AFTER_FAILURE_S = 60.0


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
    counted = Segment.counted_at.is_(None) if stale is None else or_(Segment.counted_at.is_(None), stale)
    rested = now - dt.timedelta(seconds=max(interval_s, RETRY_AFTER_FAILURE_S))
    return and_(counted, or_(Segment.failed_at.is_(None), Segment.failed_at < rested))


class RefreshFailed(Exception):
    """A refresh that could not be done; `message` says why in words fit for the page (no customer data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_statement_timeout(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    # 57014 query_canceled: PostgreSQL's statement_timeout (asyncpg's QueryCanceledError).
    return getattr(orig, "sqlstate", None) == "57014" or type(orig).__name__ == "QueryCanceledError"


def failure_message(exc: BaseException, settings: Settings) -> str:
    """Why a refresh failed, for the segment's page. Never the exception's text: a database error quotes
    the statement, and with it the rule values and possibly customer data."""
    if isinstance(exc, RefreshFailed):
        return exc.message
    if isinstance(exc, InvalidTree):
        return f"The stored rules no longer pass the field catalog ({exc.message}); edit and save the segment"
    if _is_statement_timeout(exc):
        seconds = settings.statement_timeout_ms / 1000
        return f"Counting took longer than the statement timeout ({seconds:g} s) and was stopped; try narrower rules"
    if isinstance(exc, DBAPIError):
        return f"The database refused the count ({type(exc.orig).__name__})"
    return f"The count failed ({type(exc).__name__})"


async def record_failure(
    database: Database, segment_id: int, exc: BaseException, *, settings: Settings, at: dt.datetime
) -> str:
    """Write why the segment's refresh failed, in its own unit of work (the refresh's was rolled back)."""
    message = failure_message(exc, settings)
    async with database.transaction() as session:
        await session.execute(
            update(Segment)
            .where(Segment.id == segment_id)
            .values(last_error=message, failed_at=at)
            .execution_options(synchronize_session=False)
        )
    # Ids and the reason only: rule values and customers stay out of the log.
    log.warning("segment %d not refreshed: %s", segment_id, message)
    return message


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


def _has_behaviour(node: Group | Rule) -> bool:
    if isinstance(node, Rule):
        return node.field.type in (FieldType.window_count, FieldType.window_money, FieldType.bought)
    return any(_has_behaviour(child) for child in node.rules)


async def _slices(session: AsyncSession, segment: Segment, group: Group) -> list[queries.IdRange]:
    """The customer-id ranges a refresh works in. A segment's first count (or its first after the rules
    changed) may move most customers at once, so it goes in slices of REFRESH_SLICE ids, each statement well
    within the statement timeout: "spent 200 to 1,000" on the large set (414,239 joiners) took 25 s as one
    statement against the 15 s timeout, 10.5 s in five slices. Not when a rule looks at order history: each
    slice computes its customer set again (bought Footwear in 90 days: 4.5 s in one pass, 10.9 s in five).
    The refresh every minute moves few customers: one statement."""
    if segment.counted_at is not None or _has_behaviour(group):
        return [None]
    top = int(await session.scalar(select(func.max(Customer.id))) or 0)
    return [(low, low + REFRESH_SLICE) for low in range(0, top + 1, REFRESH_SLICE)] or [None]


async def refresh_in(
    session: AsyncSession,
    segment_id: int,
    *,
    settings: Settings,
    now: dt.datetime,
    only_if_due_within: float | None = None,
) -> Refreshed | None:
    """Refresh one segment inside the caller's transaction (which commits it); None when another process
    holds the segment, it is gone, or (`only_if_due_within`) it was counted by someone else in the meantime.
    Raises InvalidTree when its stored rules no longer pass the catalog, and whatever the database raises
    (a statement timeout): the caller rolls back and records the failure (`record_failure`)."""
    if not await _lock(session, segment_id):
        return None
    segment = await session.get(Segment, segment_id, populate_existing=True)
    if segment is None:
        return None
    fresh_since = now - dt.timedelta(seconds=only_if_due_within or 0)
    if only_if_due_within is not None and segment.counted_at is not None and segment.counted_at >= fresh_since:
        return None
    # Stored rules the catalog now refuses raise InvalidTree: the caller records it as the segment's error.
    group = await segment_tree(session, segment)
    # Each refresh's events carry its own instant, which is how its member rows are found.
    if segment.counted_at is not None and now <= segment.counted_at:
        now = segment.counted_at + dt.timedelta(microseconds=1)
    started = time.perf_counter()
    caps = capabilities_of(session)
    if caps.plan_for_values is not None:
        # The write engine keeps generic plans (right for key lookups); a refresh's ranges and windows are
        # planned for their values, like the read engine's.
        await session.execute(text(caps.plan_for_values))
    members = members_query(group, context(settings, now))
    left = joined = 0
    # No stored members (the first count, or every customer left last time): nobody can leave, and the
    # leavers' delete, a read of every joiner's event, is skipped (0.2 s per 400,000 joiners, measured).
    stored_any = bool(segment.member_count)
    for ids in await _slices(session, segment, group):
        await session.execute(queries.membership_events(segment_id, members, now, ids, stored_any=stored_any))
        if stored_any:
            left += (await session.execute(queries.remove_leavers(segment_id, now, ids))).rowcount  # type: ignore[attr-defined]
        joined += (await session.execute(queries.add_joiners(segment_id, now, ids))).rowcount  # type: ignore[attr-defined]
    # The stored members were exactly the last count's (0 before the first refresh).
    count = (segment.member_count or 0) + int(joined) - int(left)
    took_ms = round((time.perf_counter() - started) * 1000)
    await session.execute(
        update(Segment)
        .where(Segment.id == segment_id)
        .values(member_count=count, counted_at=now, count_ms=took_ms, last_error=None, failed_at=None)
        .execution_options(synchronize_session=False)
    )
    return Refreshed(segment_id, int(joined), int(left), count, now, took_ms)


async def refresh_segment(
    database: Database, segment_id: int, *, settings: Settings, now: dt.datetime | None = None
) -> Refreshed | None:
    """Refresh one segment in its own unit of work (committed before this returns). A failure is recorded
    on the segment and raised again as RefreshFailed."""
    moment = now or utcnow()
    try:
        async with database.transaction() as session:
            return await refresh_in(session, segment_id, settings=settings, now=moment)
    except (InvalidTree, DBAPIError) as exc:
        message = await record_failure(database, segment_id, exc, settings=settings, at=moment)
        raise RefreshFailed(message) from exc


async def refresh_due(
    database: Database, *, settings: Settings, now: dt.datetime | None = None, interval_s: float | None = None
) -> list[Refreshed]:
    """Refresh every due segment, each in its own transaction (a slow one does not hold the others), up to
    `segment_refresh_concurrency` at a time on PostgreSQL (one at a time on SQLite); one that fails is
    recorded on the segment (`last_error`, `failed_at`) and the others go on. Returns the refreshed ones in
    the order they were due (never-counted first)."""
    interval = settings.segment_refresh_seconds if interval_s is None else interval_s
    moment = now or utcnow()
    async with database.read_sessionmaker() as read:
        ids = await due_segments(read, now=moment, interval_s=interval)
        await read.rollback()
    width = 1 if capabilities_of(database.engine).embedded else settings.segment_refresh_concurrency
    gate = asyncio.Semaphore(width)

    async def one(segment_id: int) -> Refreshed | None:
        async with gate:  # waiters are let in first come, first served: the due order holds
            return await _refresh_due_one(database, segment_id, settings=settings, now=now, interval_s=interval)

    # Every due segment gets its turn even when one raises something unforeseen; that is raised afterwards.
    outcomes = await asyncio.gather(*(one(segment_id) for segment_id in ids), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [outcome for outcome in outcomes if isinstance(outcome, Refreshed)]


async def _refresh_due_one(
    database: Database, segment_id: int, *, settings: Settings, now: dt.datetime | None, interval_s: float
) -> Refreshed | None:
    started = now or utcnow()
    try:
        async with database.transaction() as session:
            result = await refresh_in(
                session, segment_id, settings=settings, now=started, only_if_due_within=interval_s
            )
    except (InvalidTree, DBAPIError) as exc:
        # Recorded on the segment; the other segments are still refreshed.
        await record_failure(database, segment_id, exc, settings=settings, at=started)
        return None
    if result is not None:
        log.info(
            "segment %d refreshed: %d members, %d joined, %d left, %d ms",
            result.segment_id,
            result.member_count,
            result.joined,
            result.left,
            result.count_ms,
        )
    return result


class SegmentRefresher:
    """The refresh loop: `shopcrm worker` runs it on its own; on SQLite `shopcrm serve` runs it in-process
    (started and stopped by the app's lifespan, like the customer statistics)."""

    def __init__(self, database: Database, settings: Settings, *, poll_s: float = POLL_SECONDS) -> None:
        self.database = database
        self.settings = settings
        self.poll_s = poll_s
        self._loop = InProcessLoop(self.run_forever, name="shopcrm-segment-refresh")

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

    def start(self, *, delay_s: float = START_DELAY_S) -> None:
        """Run in this process (the embedded engine's server), the first time after `delay_s`."""
        self._loop.start(delay_s=delay_s)

    async def stop(self) -> None:
        await self._loop.stop()
