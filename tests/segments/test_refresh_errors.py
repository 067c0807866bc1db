"""A refresh that fails leaves a trace, on both engines: the segment carries why and when (`last_error`,
`failed_at`), the API shows it, the segment rests before the next try, and saving its rules anew or the next
refresh that succeeds clears it. On PostgreSQL a refresh stopped by the statement timeout says so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import text, update

from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.db import Database
from shopcrm.segments import jobs
from shopcrm.segments.models import SegmentRule
from tests.conftest import make_settings
from tests.factories import make_customer

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
SPENDERS = {"combinator": "and", "rules": [{"field": "total_spend", "operator": ">=", "value": "500"}]}


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


async def _segment(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.post("/api/segments", json={"name": "Spenders", "rules": SPENDERS}, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _due(database: Database, at: dt.datetime) -> list[int]:
    async with database.sessionmaker() as session:
        return await jobs.due_segments(session, now=at, interval_s=60)


async def test_stored_rules_the_catalog_refuses_are_shown_not_counted_forever(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    await make_customer(database, total_spend=Decimal("900"), total_orders=2)
    sid = await _segment(app_client, writer)
    # A stored rule stops passing the catalog (a field a later version renamed, a hand-edited row).
    async with database.transaction() as session:
        await session.execute(update(SegmentRule).where(SegmentRule.segment_id == sid).values(field="lifetime_value"))

    assert await jobs.refresh_due(database, settings=settings, now=NOW) == []
    out = (await app_client.get(f"/api/segments/{sid}", headers=writer)).json()
    assert (out["member_count"], out["counted_at"]) == (None, None)
    assert out["last_error"].startswith("The stored rules no longer pass the field catalog")
    assert dt.datetime.fromisoformat(out["failed_at"]) == NOW
    listed = (await app_client.get("/api/segments", headers=writer)).json()["items"]
    assert listed[0]["last_error"] == out["last_error"]

    # It rests before the next try (the refresh interval, at least a minute), then is due again.
    assert await _due(database, NOW + dt.timedelta(seconds=30)) == []
    assert await _due(database, NOW + dt.timedelta(seconds=61)) == [sid]
    with pytest.raises(jobs.RefreshFailed, match="field catalog"):
        await jobs.refresh_segment(database, sid, settings=settings, now=NOW + dt.timedelta(seconds=61))

    # Saving the rules anew clears the error and makes the segment due at once; the refresh then counts it.
    saved = await app_client.put(f"/api/segments/{sid}", json={"name": "Spenders", "rules": SPENDERS}, headers=writer)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["last_error"], saved.json()["failed_at"]) == (None, None)
    later = NOW + dt.timedelta(seconds=62)
    assert [r.member_count for r in await jobs.refresh_due(database, settings=settings, now=later)] == [1]
    out = (await app_client.get(f"/api/segments/{sid}", headers=writer)).json()
    assert (out["member_count"], out["last_error"], out["failed_at"]) == (1, None, None)


async def test_a_later_successful_refresh_clears_the_error(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    await make_customer(database, total_spend=Decimal("900"), total_orders=2)
    sid = await _segment(app_client, writer)
    assert (await jobs.refresh_segment(database, sid, settings=settings, now=NOW)) is not None
    async with database.transaction() as session:
        await session.execute(update(SegmentRule).where(SegmentRule.segment_id == sid).values(operator="about"))
    failed_at = NOW + dt.timedelta(minutes=2)
    assert await jobs.refresh_due(database, settings=settings, now=failed_at) == []
    out = (await app_client.get(f"/api/segments/{sid}", headers=writer)).json()
    # The last good count stays, beside the error that stopped the newer one.
    assert (out["member_count"], dt.datetime.fromisoformat(out["counted_at"])) == (1, NOW)
    assert out["last_error"] is not None
    assert dt.datetime.fromisoformat(out["failed_at"]) == failed_at
    async with database.transaction() as session:
        await session.execute(update(SegmentRule).where(SegmentRule.segment_id == sid).values(operator=">="))
    done = await jobs.refresh_due(database, settings=settings, now=failed_at + dt.timedelta(minutes=2))
    assert [r.segment_id for r in done] == [sid]
    out = (await app_client.get(f"/api/segments/{sid}", headers=writer)).json()
    assert (out["member_count"], out["last_error"], out["failed_at"]) == (1, None, None)


# PostgreSQL only: SQLite has no statement timeout.
@pytest.mark.parametrize("engine_name", ["postgresql"], indirect=True)
async def test_a_refresh_stopped_by_the_statement_timeout_says_so(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings, engine_name: str
):
    await make_customer(database, total_spend=Decimal("900"), total_orders=2)
    sid = await _segment(app_client, writer)
    strict = make_settings(settings.database_url, statement_timeout_ms=300)
    bounded = Database(strict, null_pool=True)
    try:
        # Another transaction holds the members table: the refresh's first write waits on it until the
        # statement timeout stops it (waiting on a lock counts towards the timeout), as a slow count would be.
        async with database.engine.connect() as blocker:
            await blocker.execute(text("LOCK TABLE segment_members IN ACCESS EXCLUSIVE MODE"))
            assert await jobs.refresh_due(bounded, settings=strict, now=NOW) == []
            await blocker.rollback()
    finally:
        await bounded.dispose()
    out = (await app_client.get(f"/api/segments/{sid}", headers=writer)).json()
    assert out["member_count"] is None
    assert out["last_error"] == (
        "Counting took longer than the statement timeout (0.3 s) and was stopped; try narrower rules"
    )
