"""Segment rules and reads: the field catalog, previews with per-rule counts, saving rule trees as rows,
members (as of the last refresh) with the customers list's pages and sorts, CSV export, and which segments a
customer is in. Membership refreshes live in segments/jobs.py; "why is she in it" in segments/explain.py."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.core.counting import capped_count
from shopcrm.core.csv_export import csv_lines
from shopcrm.core.engines import capabilities_of
from shopcrm.core.errors import Conflict, NotFound
from shopcrm.core.pagination import CursorCodec, Page, keyset_page
from shopcrm.customers import insights
from shopcrm.customers import service as customers_service
from shopcrm.customers.models import Customer
from shopcrm.customers.schemas import CustomerListQuery
from shopcrm.inventory.models import Product
from shopcrm.segments import queries
from shopcrm.segments.compiler import TIERS, Context
from shopcrm.segments.fields import FIELDS
from shopcrm.segments.models import Segment, SegmentMember, SegmentMembershipEvent, SegmentRule
from shopcrm.segments.schemas import (
    ChangeSet,
    CustomerSegment,
    FieldCatalog,
    FieldOut,
    MembershipChange,
    PreviewOut,
    RuleCount,
    SegmentChanges,
    SegmentIn,
    SegmentOut,
)
from shopcrm.segments.tree import MAX_DEPTH, MAX_RULES, Group, Rule, parse_tree

PREVIEW_PAGE = 25
CHANGES_SHOWN = 100
CSV_BATCH = 2000


def context(settings: Settings, now: dt.datetime) -> Context:
    floors = insights.tier_floors(settings)
    return Context(now=now, tier_floors=tuple(floors[insights.TIER_ORDER[i]] for i in range(4)))  # type: ignore[arg-type]


def parse_rules(raw: Any) -> Group:
    """A tree from a request body's `rules`, or InvalidTree (422) naming each bad rule's path."""
    return parse_tree(raw, loc=["body", "rules"])


# --- the catalog ---------------------------------------------------------------------------------------


async def field_catalog(session: AsyncSession) -> FieldCatalog:
    """Every field with its operators; countries and categories as the data has them."""
    countries = list(
        (await session.scalars(select(Customer.country).where(Customer.country.is_not(None)).distinct())).all()
    )
    categories = list((await session.scalars(select(Product.category).distinct())).all())
    data_values: dict[str, list[str]] = {
        "country": sorted(c for c in countries if c),
        "bought_category": sorted(categories),
        "tier": list(TIERS),
    }
    out = []
    for field in FIELDS.values():
        values = data_values.get(field.id)
        if values is None and field.choices is not None:
            values = list(field.choices)
        if field.id == "email_consent":
            values = ["true", "false"]
        out.append(
            FieldOut(
                id=field.id,
                label=field.label,
                type=field.type.value,
                operators=[o.value for o in field.operators],
                values=values,
                nullable=field.nullable,
                unit=field.unit,
                help=field.help,
            )
        )
    return FieldCatalog(fields=out, max_depth=MAX_DEPTH, max_rules=MAX_RULES)


# --- preview -------------------------------------------------------------------------------------------


async def preview(session: AsyncSession, *, group: Group, settings: Settings, now: dt.datetime) -> PreviewOut:
    """How many customers the tree matches now, the first page of them, and the count under each
    top-level rule (alone, and running under the top-level combinator)."""
    started = time.perf_counter()
    found = await queries.preview(session, group, context(settings, now), limit=PREVIEW_PAGE)
    return PreviewOut(
        count=found.count,
        items=[customers_service.to_out(customer, settings) for customer in found.customers],
        rule_counts=[RuleCount(alone=a, running=r) for a, r in found.rule_counts],
        took_ms=round((time.perf_counter() - started) * 1000),
    )


# --- stored trees --------------------------------------------------------------------------------------


def _rows(segment_id: int, nodes: tuple[Rule | Group, ...]) -> list[tuple[SegmentRule, tuple[Rule | Group, ...]]]:
    out: list[tuple[SegmentRule, tuple[Rule | Group, ...]]] = []
    for position, node in enumerate(nodes):
        if isinstance(node, Rule):
            row = SegmentRule(
                segment_id=segment_id,
                position=position,
                field=node.field.id,
                operator=node.op.value,
                value=json.dumps(node.raw, ensure_ascii=False),
                negated=False,
            )
            out.append((row, ()))
        else:
            row = SegmentRule(
                segment_id=segment_id, position=position, combinator=node.combinator, negated=node.negated
            )
            out.append((row, node.rules))
    return out


async def _store_tree(session: AsyncSession, segment: Segment, group: Group) -> None:
    """The tree as rows: top-level rules with no parent, each group a row its children point to."""
    segment.criteria_logic = group.combinator
    segment.criteria_not = group.negated
    level: list[tuple[int | None, tuple[Rule | Group, ...]]] = [(None, group.rules)]
    while level:
        pending: list[tuple[SegmentRule, tuple[Rule | Group, ...]]] = []
        for parent_id, nodes in level:
            for row, children in _rows(segment.id, nodes):
                row.parent_id = parent_id
                session.add(row)
                pending.append((row, children))
        await session.flush()  # ids for the next level's parent_id
        level = [(row.id, children) for row, children in pending if children]


def _value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text  # the seed's plain-text values


async def stored_trees(session: AsyncSession, segment_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each segment's tree as JSON, exactly as it was saved (one query for all of them)."""
    if not segment_ids:
        return {}
    segments = {s.id: s for s in (await session.scalars(select(Segment).where(Segment.id.in_(segment_ids)))).all()}
    rows = (
        await session.scalars(
            select(SegmentRule)
            .where(SegmentRule.segment_id.in_(segment_ids))
            .order_by(SegmentRule.segment_id, SegmentRule.position, SegmentRule.id)
        )
    ).all()
    children: dict[tuple[int, int | None], list[SegmentRule]] = {}
    for row in rows:
        children.setdefault((row.segment_id, row.parent_id), []).append(row)

    def build(segment_id: int, parent_id: int | None) -> list[dict[str, Any]]:
        out = []
        for row in children.get((segment_id, parent_id), []):
            if row.combinator is not None:
                out.append({"combinator": row.combinator, "not": row.negated, "rules": build(segment_id, row.id)})
            else:
                out.append({"field": row.field, "operator": row.operator, "value": _value(row.value)})
        return out

    return {
        # The seed wrote criteria_logic as it liked ("AND"); the tree speaks "and" / "or".
        sid: {"combinator": s.criteria_logic.lower(), "not": s.criteria_not, "rules": build(sid, None)}
        for sid, s in segments.items()
    }


def to_out(segment: Segment, tree: dict[str, Any]) -> SegmentOut:
    return SegmentOut.model_validate(
        {
            "id": segment.id,
            "name": segment.name,
            "description": segment.description,
            "rules": tree,
            "member_count": segment.member_count,
            "counted_at": segment.counted_at,
            "count_ms": segment.count_ms,
            "last_error": segment.last_error,
            "failed_at": segment.failed_at,
            "created_at": segment.created_at,
            "updated_at": segment.updated_at,
        }
    )


async def get_segment(session: AsyncSession, segment_id: int) -> Segment:
    segment = await session.get(Segment, segment_id)
    if segment is None:
        raise NotFound("No such segment")
    return segment


async def segment_tree(session: AsyncSession, segment: Segment) -> Group:
    """The stored tree, parsed (a stored tree the catalog now refuses names its rule's path)."""
    raw = (await stored_trees(session, [segment.id]))[segment.id]
    return parse_tree(raw, loc=["segment", segment.id, "rules"])


async def list_segments(session: AsyncSession) -> list[SegmentOut]:
    segments = list((await session.scalars(select(Segment).order_by(Segment.name, Segment.id))).all())
    trees = await stored_trees(session, [s.id for s in segments])
    return [to_out(s, trees[s.id]) for s in segments]


async def segment_out(session: AsyncSession, segment: Segment) -> SegmentOut:
    return to_out(segment, (await stored_trees(session, [segment.id]))[segment.id])


async def _ensure_name_free(session: AsyncSession, name: str, *, except_id: int | None = None) -> None:
    existing = await session.scalar(select(Segment.id).where(Segment.name == name))
    if existing is not None and existing != except_id:
        raise Conflict(
            "Another segment already has this name",
            details=[{"loc": ["body", "name"], "message": "already used by another segment", "type": "conflict"}],
        )


async def create_segment(session: AsyncSession, *, data: SegmentIn) -> Segment:
    """A new segment; its members are counted by the next refresh (segments/jobs.py), moments later."""
    group = parse_rules(data.rules)
    await _ensure_name_free(session, data.name)
    segment = Segment(name=data.name, description=data.description)
    session.add(segment)
    await session.flush()
    await _store_tree(session, segment, group)
    return segment


async def update_segment(session: AsyncSession, *, segment_id: int, data: SegmentIn) -> Segment:
    """Replace name, description and rules; changed rules mark the members for the next refresh."""
    group = parse_rules(data.rules)
    segment = await get_segment(session, segment_id)
    await _ensure_name_free(session, data.name, except_id=segment.id)
    old = (await stored_trees(session, [segment.id]))[segment.id]
    segment.name = data.name
    segment.description = data.description
    if old != group.to_json():
        await session.execute(delete(SegmentRule).where(SegmentRule.segment_id == segment.id))
        await _store_tree(session, segment, group)
        # Counted again by the next refresh, which writes who joined and left under the new rules; an error of
        # the old rules no longer applies.
        segment.counted_at = None
        segment.last_error = None
        segment.failed_at = None
    segment.updated_at = dt.datetime.now(dt.UTC)
    await session.flush()
    return segment


async def delete_segment(session: AsyncSession, *, segment_id: int) -> None:
    segment = await get_segment(session, segment_id)
    await session.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment.id))
    await session.execute(delete(SegmentMembershipEvent).where(SegmentMembershipEvent.segment_id == segment.id))
    await session.execute(delete(SegmentRule).where(SegmentRule.segment_id == segment.id))
    await session.delete(segment)
    await session.flush()


# --- members -------------------------------------------------------------------------------------------


def _is_member(segment_id: int) -> Any:
    return exists().where(SegmentMember.segment_id == segment_id, SegmentMember.customer_id == Customer.id)


async def list_members(
    session: AsyncSession, *, segment_id: int, query: CustomerListQuery, settings: Settings, cursors: CursorCodec
) -> tuple[Page, int, bool]:
    """One keyset page of the members (as of the last refresh), with the customers list's filters and sorts."""
    conditions = [
        _is_member(segment_id),
        *customers_service.list_conditions(query, settings, capabilities_of(session)),
    ]
    page = await keyset_page(
        session,
        select(Customer).where(*conditions),
        key=customers_service.SORT_KEYS[query.sort],
        id_col=Customer.id,
        sort=query.sort.value,
        direction=query.order,
        limit=query.limit,
        cursor=query.cursor,
        codec=cursors,
    )
    total, exact = await capped_count(session, select(Customer.id).where(*conditions))
    return page, total, exact


CSV_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "status",
    "city",
    "country",
    "email_consent",
    "total_spend",
    "total_orders",
    "first_order_at",
    "last_order_at",
    "created_at",
)


async def members_csv(session: AsyncSession, *, segment_id: int) -> AsyncIterator[str]:
    """Every member as CSV lines, read in id order in batches (keyset), so memory stays flat."""
    yield csv_lines([CSV_COLUMNS])
    columns = [getattr(Customer, c) for c in CSV_COLUMNS]
    after = 0
    while True:
        rows = (
            await session.execute(
                select(*columns)
                .where(_is_member(segment_id), Customer.id > after)
                .order_by(Customer.id)
                .limit(CSV_BATCH)
            )
        ).all()
        if not rows:
            return
        yield csv_lines(rows)
        after = rows[-1][0]


async def customer_segments(session: AsyncSession, *, customer_id: int) -> list[CustomerSegment]:
    """The segments a customer was in at their last refresh."""
    await customers_service.get_customer(session, customer_id)
    rows = (
        await session.execute(
            select(Segment.id, Segment.name, SegmentMember.joined_at)
            .join(SegmentMember, SegmentMember.segment_id == Segment.id)
            .where(SegmentMember.customer_id == customer_id)
            .order_by(Segment.name)
        )
    ).all()
    return [CustomerSegment(id=r.id, name=r.name, joined_at=r.joined_at) for r in rows]


async def _change_set(
    session: AsyncSession, segment_id: int, *, since: dt.datetime | None, exactly: dt.datetime | None
) -> ChangeSet:
    if since is None and exactly is None:
        return ChangeSet(since=None, joined=[], left=[], joined_total=0, left_total=0)
    when = SegmentMembershipEvent.at == exactly if exactly is not None else SegmentMembershipEvent.at >= since
    base = and_(SegmentMembershipEvent.segment_id == segment_id, when)
    result: dict[str, list[MembershipChange]] = {}
    totals: dict[str, int] = {}
    for kind in ("joined", "left"):
        rows = (
            await session.execute(
                select(
                    SegmentMembershipEvent.customer_id,
                    Customer.first_name,
                    Customer.last_name,
                    Customer.email,
                    SegmentMembershipEvent.at,
                )
                .join(Customer, Customer.id == SegmentMembershipEvent.customer_id)
                .where(base, SegmentMembershipEvent.kind == kind)
                .order_by(SegmentMembershipEvent.at.desc(), SegmentMembershipEvent.id.desc())
                .limit(CHANGES_SHOWN)
            )
        ).all()
        result[kind] = [
            MembershipChange(
                customer_id=r.customer_id,
                first_name=r.first_name,
                last_name=r.last_name,
                email=r.email,
                kind=kind,
                at=r.at,
            )
            for r in rows
        ]
        totals[kind] = int(
            await session.scalar(select(func.count()).where(base, SegmentMembershipEvent.kind == kind)) or 0
        )
    return ChangeSet(
        since=exactly if exactly is not None else since,
        joined=result["joined"],
        left=result["left"],
        joined_total=totals["joined"],
        left_total=totals["left"],
    )


async def membership_changes(
    session: AsyncSession, *, segment_id: int, since: dt.datetime | None, now: dt.datetime
) -> SegmentChanges:
    """Who joined and left at the last refresh, and since `since` (the last 24 hours by default)."""
    segment = await get_segment(session, segment_id)
    last = await _change_set(session, segment.id, since=None, exactly=segment.counted_at)
    recent = await _change_set(session, segment.id, since=since or now - dt.timedelta(days=1), exactly=None)
    return SegmentChanges(counted_at=segment.counted_at, last_refresh=last, recent=recent)
