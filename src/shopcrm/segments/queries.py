"""Named heavy SQL of segments: counting a tree's rules, refreshing a segment's members.

Each statement is one round trip whatever the data size; none loops over customers in Python.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Insert, Select, and_, case, delete, func, insert, literal, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.customers.models import Customer
from shopcrm.segments.compiler import Context, compile_node
from shopcrm.segments.models import SegmentMember, SegmentMembershipEvent
from shopcrm.segments.tree import Group


async def rule_counts(session: AsyncSession, group: Group, ctx: Context) -> tuple[int, list[tuple[int, int]]]:
    """The tree's count, and per top-level rule its count alone and the running count under the top-level
    combinator, in one pass over customers: each rule is evaluated once per customer into a 0/1 flag (a
    subquery kept apart by OFFSET 0, so PostgreSQL does not copy each rule into every aggregate), and the
    counts are FILTERed aggregates of the flags."""
    rules = group.rules
    if not rules:
        total = int(await session.scalar(select(func.count()).select_from(Customer)) or 0)
        return (0 if group.negated else total), []
    flags = (
        select(
            *(case((compile_node(rule, ctx, negate=False), 1), else_=0).label(f"f{i}") for i, rule in enumerate(rules))
        )
        .select_from(Customer)
        .offset(0)
        .subquery()
    )
    flag = [flags.c[f"f{i}"] == 1 for i in range(len(rules))]
    combine = and_ if group.combinator == "and" else or_
    running = [combine(*flag[: i + 1]) for i in range(len(rules))]
    whole: ColumnElement[bool] = not_(running[-1]) if group.negated else running[-1]
    columns = [
        func.count().filter(whole),
        *(func.count().filter(f) for f in flag),
        *(func.count().filter(r) for r in running[1:]),
    ]
    row = (await session.execute(select(*columns).select_from(flags))).one()
    n = len(rules)
    alone = [int(row[1 + i]) for i in range(n)]
    run = [alone[0], *(int(row[1 + n + i]) for i in range(n - 1))]
    return int(row[0]), list(zip(alone, run, strict=True))


def joiners_events(segment_id: int, members: Select[Any], at: dt.datetime) -> Insert:
    """Write a 'joined' event for every customer the new member set has and the stored one has not."""
    stored = select(SegmentMember.customer_id).where(SegmentMember.segment_id == segment_id)
    new = members.where(Customer.id.not_in(stored))
    return insert(SegmentMembershipEvent).from_select(
        ["segment_id", "customer_id", "kind", "at"],
        select(literal(segment_id), new.subquery().c.id, literal("joined"), literal(at, SegmentMember.joined_at.type)),
    )


def leavers_events(segment_id: int, members: Select[Any], at: dt.datetime) -> Insert:
    """Write a 'left' event for every stored member the new member set has not."""
    return insert(SegmentMembershipEvent).from_select(
        ["segment_id", "customer_id", "kind", "at"],
        select(
            literal(segment_id),
            SegmentMember.customer_id,
            literal("left"),
            literal(at, SegmentMember.joined_at.type),
        ).where(SegmentMember.segment_id == segment_id, SegmentMember.customer_id.not_in(members)),
    )


def remove_leavers(segment_id: int, at: dt.datetime) -> Any:
    """Delete the members this refresh's 'left' events name (no second evaluation of the rules)."""
    left = select(SegmentMembershipEvent.customer_id).where(
        SegmentMembershipEvent.segment_id == segment_id,
        SegmentMembershipEvent.at == at,
        SegmentMembershipEvent.kind == "left",
    )
    return delete(SegmentMember).where(SegmentMember.segment_id == segment_id, SegmentMember.customer_id.in_(left))


def add_joiners(segment_id: int, at: dt.datetime) -> Insert:
    """Insert the members this refresh's 'joined' events name (no second evaluation of the rules)."""
    return insert(SegmentMember).from_select(
        ["segment_id", "customer_id", "joined_at"],
        select(SegmentMembershipEvent.segment_id, SegmentMembershipEvent.customer_id, SegmentMembershipEvent.at).where(
            SegmentMembershipEvent.segment_id == segment_id,
            SegmentMembershipEvent.at == at,
            SegmentMembershipEvent.kind == "joined",
        ),
    )
