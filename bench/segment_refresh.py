"""A full membership refresh of the ten bench segments (bench/scenarios/segments.py), timed per segment:

    BENCH_DATABASE_URL=... .venv/bin/python -m bench.segment_refresh [--rounds 3]

Creates the ten segments and refreshes each the way the worker does (`segments.jobs.refresh_in`: leavers'
events, leavers deleted, joiners' events, joiners inserted, the count), three times: the first refresh
(every member joins), one a minute later (nothing changed: no joiner, no leaver) and one a day later (time
alone moves customers in and out). Everything runs in one transaction that is rolled back at the end, so the
data set is left as it was found; the worker commits each segment on its own, which adds one commit per
segment to what is measured here.

On a PostgreSQL benchmark database migrated before migration 0010 (a segment's `last_error`, `failed_at`),
the two columns are added inside that transaction and go with its rollback.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import time

from sqlalchemy import text

from bench.runner import DEFAULT_URL
from bench.scenarios.segments import SEGMENTS
from shopcrm.config import Settings
from shopcrm.core.engines import capabilities_of
from shopcrm.db import Database, utcnow
from shopcrm.segments import jobs, service
from shopcrm.segments.schemas import SegmentIn

STEPS = (
    ("first refresh", dt.timedelta(0)),
    ("a minute later", dt.timedelta(minutes=1)),
    ("a day later", dt.timedelta(days=1)),
)


async def one_round(database: Database, settings: Settings) -> dict[str, list[tuple[float, int, int, int]]]:
    """Per segment, per step: (ms, members, joined, left)."""
    out: dict[str, list[tuple[float, int, int, int]]] = {name: [] for name in SEGMENTS}
    async with database.sessionmaker() as session:
        await session.begin()
        try:
            if not capabilities_of(session).embedded:
                await session.execute(
                    text(
                        "ALTER TABLE segments ADD COLUMN IF NOT EXISTS last_error text, "
                        "ADD COLUMN IF NOT EXISTS failed_at timestamptz"
                    )
                )
            ids = {}
            for name, (_, tree) in SEGMENTS.items():
                segment = await service.create_segment(
                    session, data=SegmentIn.model_validate({"name": f"bench refresh {name}", "rules": tree})
                )
                ids[name] = segment.id
            start = utcnow()
            for _, offset in STEPS:
                for name, sid in ids.items():
                    t0 = time.perf_counter()
                    done = await jobs.refresh_in(session, sid, settings=settings, now=start + offset)
                    ms = (time.perf_counter() - t0) * 1000
                    assert done is not None
                    out[name].append((ms, done.member_count, done.joined, done.left))
                    print(f"  {name} +{offset}: {ms:,.0f} ms, {done.joined:,} joined, {done.left:,} left", flush=True)
        finally:
            await session.rollback()
    return out


def table(rounds: list[dict[str, list[tuple[float, int, int, int]]]]) -> str:
    lines = [
        "| segment | members | " + " | ".join(f"{label} ms (joined/left)" for label, _ in STEPS) + " |",
        "|---|---:|" + "---:|" * len(STEPS),
    ]
    totals = [[0.0] * len(rounds) for _ in STEPS]
    for name in SEGMENTS:
        cells = []
        for i in range(len(STEPS)):
            times = [r[name][i][0] for r in rounds]
            for k, t in enumerate(times):
                totals[i][k] += t
            _, _, joined, left = rounds[-1][name][i]
            cells.append(f"{statistics.median(times):,.0f} ({joined:,}/{left:,})")
        lines.append(f"| {name} | {rounds[-1][name][0][1]:,} | " + " | ".join(cells) + " |")
    summary = []
    for i in range(len(STEPS)):
        ts = sorted(totals[i])
        summary.append(f"{statistics.median(ts):,.0f} (min {ts[0]:,.0f}, max {ts[-1]:,.0f})")
    lines.append("| **all ten** |  | " + " | ".join(summary) + " |")
    return "\n".join(lines)


async def main_async(url: str, rounds: int, timeout_ms: int) -> None:
    settings = Settings(DATABASE_URL=url, statement_timeout_ms=timeout_ms)
    database = Database(settings, null_pool=True)
    try:
        results = []
        for r in range(rounds):
            results.append(await one_round(database, settings))
            print(f"round {r + 1} of {rounds} done", flush=True)
    finally:
        await database.dispose()
    print(
        f"\nMembership refresh of the ten bench segments, {rounds} round(s); cells: median ms per segment "
        "(joiners/leavers of the last round); the last row sums each round's ten (median, min, max).\n"
    )
    print(table(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--statement-timeout-ms",
        type=int,
        default=Settings.model_fields["statement_timeout_ms"].default,
        help="the refresh's statement timeout (default: the product's); raise it to time a refresh the default stops",
    )
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    asyncio.run(main_async(url, args.rounds, args.statement_timeout_ms))


if __name__ == "__main__":
    main()
