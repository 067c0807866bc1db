"""A full membership refresh of the ten bench segments (bench/scenarios/segments.py), as the worker runs it:

    BENCH_DATABASE_URL=... .venv/bin/python -m bench.segment_refresh [--rounds 3]

Creates the ten segments (committed, as a save does) and has the worker's own job refresh them
(`segments.jobs.refresh_due`: each segment in its own transaction, SHOPCRM_SEGMENT_REFRESH_CONCURRENCY at a
time; per segment leavers' events, leavers deleted, joiners' events, joiners inserted, the count), three
times: the first refresh (every member joins), one a minute later (nothing changed: no joiner, no leaver)
and one a day later (time alone moves customers in and out). Timed: each step's whole run over the ten
(wall clock, commits included), and per segment the job's own `count_ms`.

The segments are deleted at the end of each round with their members and events, then the two tables are
vacuumed, so the data set is left as it was found; segments left by an interrupted run are deleted first.
The benchmark database must hold no other segments (every due segment would be refreshed with these).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import time

from sqlalchemy import select, text

from bench.runner import DEFAULT_URL
from bench.scenarios.segments import SEGMENTS
from shopcrm.config import Settings
from shopcrm.core.engines import capabilities_of
from shopcrm.db import Database, utcnow
from shopcrm.segments import jobs, service
from shopcrm.segments.models import Segment
from shopcrm.segments.schemas import SegmentIn

STEPS = (
    ("first refresh", dt.timedelta(0)),
    ("a minute later", dt.timedelta(minutes=1)),
    ("a day later", dt.timedelta(days=1)),
)
PREFIX = "bench refresh "

Round = tuple[dict[str, list[tuple[float, int, int, int]]], list[float]]


async def one_round(database: Database, settings: Settings) -> Round:
    """Per segment, per step: (count_ms, members, joined, left); per step the wall time of all ten."""
    out: dict[str, list[tuple[float, int, int, int]]] = {name: [] for name in SEGMENTS}
    walls: list[float] = []
    await _remove_bench_segments(database)
    async with database.transaction() as session:
        others = await session.scalar(select(Segment.id).limit(1))
        if others is not None:
            raise SystemExit("the benchmark database holds segments of its own; the refresh would count them too")
        ids = {}
        for name, (_, tree) in SEGMENTS.items():
            segment = await service.create_segment(
                session, data=SegmentIn.model_validate({"name": PREFIX + name, "rules": tree})
            )
            ids[name] = segment.id
    try:
        start = utcnow()
        for label, offset in STEPS:
            t0 = time.perf_counter()
            done = await jobs.refresh_due(database, settings=settings, now=start + offset, interval_s=30)
            walls.append((time.perf_counter() - t0) * 1000)
            by_id = {r.segment_id: r for r in done}
            assert set(by_id) == set(ids.values()), f"{label}: refreshed {sorted(by_id)}, expected {ids}"
            for name, sid in ids.items():
                r = by_id[sid]
                out[name].append((r.count_ms, r.member_count, r.joined, r.left))
                print(f"  {name} {label}: {r.count_ms:,} ms, {r.joined:,} joined, {r.left:,} left", flush=True)
            print(f"  all ten, {label}: {walls[-1]:,.0f} ms", flush=True)
    finally:
        await _remove_bench_segments(database)
        await _vacuum(database)
    return out, walls


async def _remove_bench_segments(database: Database) -> None:
    async with database.transaction() as session:
        for segment_id in (await session.scalars(select(Segment.id).where(Segment.name.startswith(PREFIX)))).all():
            await service.delete_segment(session, segment_id=segment_id)


async def _vacuum(database: Database) -> None:
    """Clear the deleted rows out of the member and event tables. With autovacuum off (this machine), the
    dead rows of each round stayed in their indexes and slowed the next round's inserts: the first refresh
    of all ten one at a time took 14.5 s after a VACUUM and 16.4 s after one earlier round, 25 s after
    several runs."""
    async with database.engine.connect() as conn:
        if capabilities_of(conn).embedded:
            return
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM segment_members, segment_membership_events"))


def table(rounds: list[Round], concurrency: int) -> str:
    lines = [
        "| segment | members | " + " | ".join(f"{label} ms (joined/left)" for label, _ in STEPS) + " |",
        "|---|---:|" + "---:|" * len(STEPS),
    ]
    for name in SEGMENTS:
        cells = []
        for i in range(len(STEPS)):
            times = [per_segment[name][i][0] for per_segment, _ in rounds]
            _, _, joined, left = rounds[-1][0][name][i]
            cells.append(f"{statistics.median(times):,.0f} ({joined:,}/{left:,})")
        lines.append(f"| {name} | {rounds[-1][0][name][0][1]:,} | " + " | ".join(cells) + " |")

    def spread(values: list[float]) -> str:
        ts = sorted(values)
        return f"{statistics.median(ts):,.0f} (min {ts[0]:,.0f}, max {ts[-1]:,.0f})"

    sums = [
        spread([sum(per_segment[n][i][0] for n in SEGMENTS) for per_segment, _ in rounds]) for i in range(len(STEPS))
    ]
    walls = [spread([w[i] for _, w in rounds]) for i in range(len(STEPS))]
    lines.append("| sum of the ten's own times |  | " + " | ".join(sums) + " |")
    lines.append(f"| **all ten, wall clock, {concurrency} at a time** |  | " + " | ".join(walls) + " |")
    return "\n".join(lines)


async def main_async(url: str, rounds: int, timeout_ms: int, concurrency: int | None) -> None:
    settings = Settings(DATABASE_URL=url, statement_timeout_ms=timeout_ms)
    if concurrency is not None:
        settings = settings.model_copy(update={"segment_refresh_concurrency": concurrency})
    database = Database(settings)
    try:
        results = []
        for r in range(rounds):
            results.append(await one_round(database, settings))
            print(f"round {r + 1} of {rounds} done", flush=True)
    finally:
        await database.dispose()
    print(
        f"\nMembership refresh of the ten bench segments by the worker's job, {rounds} round(s); cells: median "
        "ms per segment (its count_ms; joiners/leavers of the last round); the last rows: the ten's own times "
        "added up, and the whole step's wall clock (median, min, max over the rounds).\n"
    )
    print(table(results, settings.segment_refresh_concurrency))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--statement-timeout-ms",
        type=int,
        default=Settings.model_fields["statement_timeout_ms"].default,
        help="the refresh's statement timeout (default: the product's); raise it to time a refresh the default stops",
    )
    parser.add_argument("--concurrency", type=int, help="segments refreshed at a time (default: the product's setting)")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    asyncio.run(main_async(url, args.rounds, args.statement_timeout_ms, args.concurrency))


if __name__ == "__main__":
    main()
