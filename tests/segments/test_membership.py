"""Membership that keeps itself true, on both engines: a refresh applies exactly the difference and writes
an event per joiner and leaver; time alone moves customers (the clock is moved, not slept); the API shows
members, changes, CSV and each customer's segments."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select, update

from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.core.engines import capabilities_of
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.segments import jobs
from shopcrm.segments.models import Segment, SegmentMember, SegmentMembershipEvent
from tests.factories import make_customer, make_product

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


async def _segment(client: httpx.AsyncClient, headers: dict[str, str], name: str, rules: list[dict]) -> int:
    response = await client.post(
        "/api/segments", json={"name": name, "rules": {"combinator": "and", "rules": rules}}, headers=headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _events(database: Database, segment_id: int) -> list[tuple[int, str]]:
    async with database.sessionmaker() as session:
        rows = (
            await session.execute(
                select(SegmentMembershipEvent.customer_id, SegmentMembershipEvent.kind)
                .where(SegmentMembershipEvent.segment_id == segment_id)
                .order_by(SegmentMembershipEvent.id)
            )
        ).all()
    return [(r[0], r[1]) for r in rows]


async def _members(database: Database, segment_id: int) -> set[int]:
    async with database.sessionmaker() as session:
        rows = await session.scalars(select(SegmentMember.customer_id).where(SegmentMember.segment_id == segment_id))
        return set(rows.all())


async def test_a_customer_who_orders_crosses_into_a_spend_segment_at_the_next_refresh(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    await make_product(database, sku="MUG-1", price=Decimal("300.00"), category="Kitchen")
    rich = await make_customer(database, total_spend=Decimal("900"), total_orders=3, last_order_at=NOW)
    poor = await make_customer(database)
    sid = await _segment(app_client, writer, "Spenders", [{"field": "total_spend", "operator": ">=", "value": 500}])

    first = await jobs.refresh_segment(database, sid, settings=settings, now=NOW)
    assert first is not None
    assert (first.joined, first.left, first.member_count) == (1, 0, 1)
    assert await _members(database, sid) == {rich.id}
    assert await _events(database, sid) == [(rich.id, "joined")]

    # Two orders of 300: spend 600, over the line.
    for n in (1, 2):
        order = {
            "order_number": f"X-{n}",
            "customer_id": poor.id,
            "status": "paid",
            "items": [{"sku": "MUG-1", "quantity": 1}],
        }
        assert (await app_client.post("/api/orders", json=order, headers=writer)).status_code == 201
    assert await _members(database, sid) == {rich.id}  # not before the refresh

    second = await jobs.refresh_segment(database, sid, settings=settings, now=NOW + dt.timedelta(minutes=1))
    assert second is not None
    assert (second.joined, second.left, second.member_count) == (1, 0, 2)
    assert await _events(database, sid) == [(rich.id, "joined"), (poor.id, "joined")]

    changes = (await app_client.get(f"/api/segments/{sid}/changes", headers=writer)).json()
    assert [c["customer_id"] for c in changes["last_refresh"]["joined"]] == [poor.id]
    assert changes["last_refresh"]["left"] == []
    segments = (await app_client.get(f"/api/customers/{poor.id}/segments", headers=writer)).json()
    assert [s["name"] for s in segments["items"]] == ["Spenders"]
    out = (await app_client.get(f"/api/segments/{sid}", headers=writer)).json()
    assert out["member_count"] == 2
    assert out["counted_at"] is not None


async def test_a_lapsed_customer_leaves_when_time_moves_on(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    recent = await make_customer(
        database,
        total_spend=Decimal("50"),
        total_orders=1,
        first_order_at=NOW - dt.timedelta(days=80),
        last_order_at=NOW - dt.timedelta(days=80),
    )
    never = await make_customer(database)
    sid = await _segment(
        app_client, writer, "Ordered lately", [{"field": "last_order_at", "operator": "inLastDays", "value": 90}]
    )
    await jobs.refresh_segment(database, sid, settings=settings, now=NOW)
    assert await _members(database, sid) == {recent.id}

    # Eleven days later, with no write at all, the last order is 91 days old.
    later = await jobs.refresh_due(database, settings=settings, now=NOW + dt.timedelta(days=11))
    assert [(r.segment_id, r.joined, r.left) for r in later] == [(sid, 0, 1)]
    assert await _members(database, sid) == set()
    assert await _events(database, sid) == [(recent.id, "joined"), (recent.id, "left")]
    assert never.id not in await _members(database, sid)


async def test_refresh_writes_exactly_the_joiners_and_leavers(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    people = [await make_customer(database, city=city) for city in ("Paris", "Paris", "Berlin", None)]
    sid = await _segment(app_client, writer, "Paris", [{"field": "city", "operator": "=", "value": "Paris"}])
    await jobs.refresh_segment(database, sid, settings=settings, now=NOW)
    assert await _members(database, sid) == {people[0].id, people[1].id}

    # The rules change: "not Paris" (customers with no city included).
    rules = {"combinator": "and", "rules": [{"field": "city", "operator": "!=", "value": "Paris"}]}
    updated = await app_client.put(f"/api/segments/{sid}", json={"name": "Not Paris", "rules": rules}, headers=writer)
    assert updated.status_code == 200
    assert updated.json()["counted_at"] is None  # counted again by the next refresh
    done = await jobs.refresh_due(database, settings=settings, now=NOW + dt.timedelta(seconds=5))
    assert [(r.joined, r.left, r.member_count) for r in done] == [(2, 2, 2)]
    assert await _members(database, sid) == {people[2].id, people[3].id}
    events = await _events(database, sid)
    assert sorted(events[2:]) == sorted(
        [(people[0].id, "left"), (people[1].id, "left"), (people[2].id, "joined"), (people[3].id, "joined")]
    )
    # Nothing changed: nothing written.
    again = await jobs.refresh_segment(database, sid, settings=settings, now=NOW + dt.timedelta(seconds=10))
    assert again is not None
    assert (again.joined, again.left) == (0, 0)
    assert len(await _events(database, sid)) == 6
    # A fresh segment is not due again within the interval.
    assert await jobs.refresh_due(database, settings=settings, now=NOW + dt.timedelta(seconds=20)) == []


async def test_members_page_csv_and_explain(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    a = await make_customer(database, first_name="=HYPERLINK(1)", total_spend=Decimal("412.50"), total_orders=2)
    b = await make_customer(database, first_name="Bea", total_spend=Decimal("800"), total_orders=2)
    sid = await _segment(app_client, writer, "Mid", [{"field": "total_spend", "operator": ">=", "value": 400}])
    await jobs.refresh_segment(database, sid, settings=settings, now=NOW)

    page = (
        await app_client.get(f"/api/segments/{sid}/customers?sort=total_spend&order=asc&limit=1", headers=writer)
    ).json()
    assert [c["id"] for c in page["items"]] == [a.id]
    assert page["total"] == 2
    nxt = await app_client.get(
        f"/api/segments/{sid}/customers",
        params={"sort": "total_spend", "order": "asc", "limit": 1, "cursor": page["next_cursor"]},
        headers=writer,
    )
    assert [c["id"] for c in nxt.json()["items"]] == [b.id]

    exported = await app_client.get(f"/api/segments/{sid}/customers.csv", headers=writer)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:3] == ["id", "first_name", "last_name"]
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(1)", "Bea"]

    # Explain, against a stricter rule.
    rules = {"combinator": "and", "rules": [{"field": "total_spend", "operator": ">=", "value": 500}]}
    await app_client.put(f"/api/segments/{sid}", json={"name": "Mid", "rules": rules}, headers=writer)
    why = (await app_client.get(f"/api/segments/{sid}/explain/{a.id}", headers=writer)).json()
    assert why["matches"] is False
    assert why["member"] is True  # as of the last refresh, under the old rules
    rule = why["tree"]["rules"][0]
    assert rule["because"] == "total_spend 412.50 ≥ 500.00: no"
    assert rule["actual"] == "412.50"
    assert (await app_client.get(f"/api/segments/{sid}/explain/999999", headers=writer)).status_code == 404


async def test_segments_are_refreshed_by_one_process_at_a_time(database: Database, settings: Settings):
    """Two refreshes of one segment at once: on PostgreSQL the second skips (advisory lock); either way the
    members and events come out exactly once."""
    await make_customer(database, total_spend=Decimal("10"))
    async with database.transaction() as session:
        segment = Segment(name="All", criteria_logic="and")
        session.add(segment)
    async with database.transaction() as first:
        one = await jobs.refresh_in(first, segment.id, settings=settings, now=NOW)
        assert one is not None
        if capabilities_of(database.engine).advisory_locks:
            async with database.transaction() as second:
                assert await jobs.refresh_in(second, segment.id, settings=settings, now=NOW) is None
    assert len(await _members(database, segment.id)) == 1
    assert len(await _events(database, segment.id)) == 1


async def test_changes_take_a_utc_time_and_refuse_others(app_client: httpx.AsyncClient, writer):
    sid = await _segment(app_client, writer, "Any", [])
    ok = await app_client.get(f"/api/segments/{sid}/changes", params={"since": "2026-01-01T00:00:00Z"}, headers=writer)
    assert ok.status_code == 200, ok.text
    assert ok.json()["recent"]["joined"] == []
    for bad in ("2026-01-01T00:00:00", "0001-01-01T00:00:00+01:00", "yesterday"):
        response = await app_client.get(f"/api/segments/{sid}/changes", params={"since": bad}, headers=writer)
        assert response.status_code == 422, bad
        assert response.json()["error"]["details"][0]["loc"] == ["query", "since"]


async def test_a_first_count_in_slices_of_customer_ids_is_exact(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """A first count goes in slices of customer ids (so each statement stays within the statement timeout);
    with slices of two ids the members and events are exactly those of one statement, and a later refresh
    (one statement) moves only who changed."""
    monkeypatch.setattr(jobs, "REFRESH_SLICE", 2)
    spends = [Decimal(s) for s in ("900", "10", "600", "700", "20", "800", "5")]
    customers = [await make_customer(database, total_spend=s, total_orders=1) for s in spends]
    rich = {c.id for c, s in zip(customers, spends, strict=True) if s >= 500}
    sid = await _segment(app_client, writer, "Rich", [{"field": "total_spend", "operator": ">=", "value": 500}])
    first = await jobs.refresh_segment(database, sid, settings=settings, now=NOW)
    assert first is not None
    assert (first.joined, first.left, first.member_count) == (len(rich), 0, len(rich))
    assert await _members(database, sid) == rich
    assert sorted(await _events(database, sid)) == sorted((i, "joined") for i in rich)
    # Customers whose spend changes: the next refresh (not a first count) writes just them.
    async with database.transaction() as session:
        await session.execute(update(Customer).where(Customer.id == customers[0].id).values(total_spend=Decimal(1)))
        await session.execute(update(Customer).where(Customer.id == customers[1].id).values(total_spend=Decimal(501)))
    later = await jobs.refresh_segment(database, sid, settings=settings, now=NOW + dt.timedelta(minutes=1))
    assert later is not None
    assert (later.joined, later.left, later.member_count) == (1, 1, len(rich))
    assert await _members(database, sid) == (rich - {customers[0].id}) | {customers[1].id}


async def test_due_segments_are_refreshed_side_by_side_on_postgresql_one_at_a_time_on_sqlite(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """The worker refreshes up to `segment_refresh_concurrency` due segments at once, each in its own
    transaction, on PostgreSQL; SQLite's one writer takes them one at a time. Either way every segment's
    members are exact and the results come back in the due order."""
    spends = [Decimal(s) for s in ("50", "150", "250", "350", "450")]
    customers = [await make_customer(database, total_spend=s, total_orders=1) for s in spends]
    floors = (100, 200, 300, 400)
    sids = [
        await _segment(app_client, writer, f"Over {f}", [{"field": "total_spend", "operator": ">", "value": f}])
        for f in floors
    ]
    in_flight = peak = 0
    real_refresh_in = jobs.refresh_in

    async def counted(*args, **kwargs):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await asyncio.sleep(0.05)  # long enough for a second refresh to start, if one may
            return await real_refresh_in(*args, **kwargs)
        finally:
            in_flight -= 1

    monkeypatch.setattr(jobs, "refresh_in", counted)
    wide = settings.model_copy(update={"segment_refresh_concurrency": 2})
    done = await jobs.refresh_due(database, settings=wide, now=NOW)
    assert [r.segment_id for r in done] == sids
    assert peak == (1 if capabilities_of(database.engine).embedded else 2)
    for sid, floor in zip(sids, floors, strict=True):
        assert await _members(database, sid) == {c.id for c in customers if c.total_spend > floor}


async def test_a_segment_everyone_left_takes_joiners_again(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    """A refresh of a segment with no stored members writes only joiners (nobody can leave); after everyone
    left, the next joiner is stored with its event and nobody else is touched."""
    first_buyer = await make_customer(
        database, total_orders=1, first_order_at=NOW - dt.timedelta(days=5), last_order_at=NOW - dt.timedelta(days=5)
    )
    later_buyer = await make_customer(database)
    sid = await _segment(
        app_client, writer, "Ordered this week", [{"field": "last_order_at", "operator": "inLastDays", "value": 7}]
    )
    await jobs.refresh_segment(database, sid, settings=settings, now=NOW)
    gone = await jobs.refresh_segment(database, sid, settings=settings, now=NOW + dt.timedelta(days=3))
    assert gone is not None
    assert (gone.joined, gone.left, gone.member_count) == (0, 1, 0)
    async with database.transaction() as session:
        await session.execute(
            update(Customer).where(Customer.id == later_buyer.id).values(total_orders=1, last_order_at=NOW)
        )
    back = await jobs.refresh_segment(database, sid, settings=settings, now=NOW + dt.timedelta(days=4))
    assert back is not None
    assert (back.joined, back.left, back.member_count) == (1, 0, 1)
    assert await _members(database, sid) == {later_buyer.id}
    assert await _events(database, sid) == [
        (first_buyer.id, "joined"),
        (first_buyer.id, "left"),
        (later_buyer.id, "joined"),
    ]
