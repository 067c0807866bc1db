"""Named heavy SQL of segments: a preview (counts and first page), counting a tree's rules, refreshing a
segment's members.

Each statement is one round trip whatever the data size; none loops over customers in Python.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Insert,
    Select,
    and_,
    any_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import visitors

from shopcrm.core.engines import Capabilities, capabilities_of
from shopcrm.customers.models import Customer
from shopcrm.segments.compiler import (
    INSTANT_PREFIX,
    Context,
    SharedSets,
    compile_node,
    instant_values,
    positive_set,
)
from shopcrm.segments.models import SegmentMember, SegmentMembershipEvent
from shopcrm.segments.tree import Group


@dataclass(frozen=True)
class CountsPlan:
    """A one-row statement: `total` (the tree's count), `a{i}` (top-level rule i alone) and `r{i}` (running
    count after rule i, i >= 1). `single`: one top-level rule whose count is `total` (no a/r columns);
    `everyone`: no rules, `total` counts every customer."""

    query: Select[Any]
    rules: int
    negated: bool
    single: bool = False
    everyone: bool = False

    def read(self, row: Any) -> tuple[int, list[tuple[int, int]]]:
        m = row._mapping
        total = int(m["total"] or 0)
        if self.everyone:
            return (0 if self.negated else total), []
        if self.single:
            return total, [(total, total)]
        alone = [int(m[f"a{i}"] or 0) for i in range(self.rules)]
        running = [alone[0], *(int(m[f"r{i}"] or 0) for i in range(1, self.rules))]
        return total, list(zip(alone, running, strict=True))


def counts_plan(group: Group, ctx: Context) -> CountsPlan:
    """The tree's count and its per-rule counts, written the way each shape is answered fastest (`ctx` has
    the statement's shared sets):
    - one behaviour rule: the size of its set, no pass over customers at all (every order's customer exists);
    - one other rule: a plain count with its condition, which the database may answer from an index
      (a spend range, a recent last order) or in parallel;
    - several rules: one pass over customers (each behaviour set joined once) with a FILTERed count per rule
      and per running prefix; every test in the aggregates is a column test, so repeating them is cheap."""
    assert ctx.sets is not None
    rules = group.rules
    n = len(rules)
    if n == 0:
        return CountsPlan(select(func.count().label("total")).select_from(Customer), 0, group.negated, everyone=True)
    only = positive_set(group, ctx)
    if only is not None:
        return CountsPlan(select(func.count().label("total")).select_from(only), 1, False, single=True)
    if n == 1 and not group.negated:
        test = compile_node(rules[0], ctx, negate=False)
        query = select(func.count().label("total")).select_from(ctx.sets.join_onto(Customer.__table__)).where(test)
        return CountsPlan(query, 1, False, single=True)
    tests = [compile_node(rule, ctx, negate=False) for rule in rules]
    combine = and_ if group.combinator == "and" else or_
    running = [combine(*tests[: i + 1]) for i in range(n)]
    # Under `not`, the compiler's own complement (NOT pushed down, missing values handled): NOT over a rule
    # that is NULL for a customer with no city would drop that customer (positive tests may treat NULL as
    # false; a complement may not).
    whole = compile_node(group, ctx, negate=False) if group.negated else running[-1]
    columns = [
        func.count().filter(whole).label("total"),
        *(func.count().filter(t).label(f"a{i}") for i, t in enumerate(tests)),
        *(func.count().filter(running[i]).label(f"r{i}") for i in range(1, n)),
    ]
    counting: Select[Any] = select(*columns).select_from(ctx.sets.join_onto(Customer.__table__))  # type: ignore[assignment]
    return CountsPlan(counting, n, group.negated)


async def rule_counts(session: AsyncSession, group: Group, ctx: Context) -> tuple[int, list[tuple[int, int]]]:
    """The tree's count, and per top-level rule its count alone and the running count under the top-level
    combinator: one statement (see counts_plan)."""
    plan = counts_plan(group, replace(ctx, sets=SharedSets()))
    return plan.read((await session.execute(plan.query)).one())


@dataclass(frozen=True)
class PreviewRows:
    count: int
    rule_counts: list[tuple[int, int]]
    customers: list[Any]  # rows with the customers table's columns, by name


@dataclass(frozen=True)
class PreviewStatement:
    statement: Select[Any]
    plan: CountsPlan
    instants: tuple[str, ...]  # the named instants it binds (compiler.instant_name)


# Built preview statements by tree, tier floors, page size and array binding: building one is 1.4 to 2.2 ms of
# Python (measured on the bench segments), a fifth of a 30-day preview's whole answer. A statement is reused
# at any later instant with its named instants bound anew; every other value is part of the key.
_BUILT: OrderedDict[tuple[Any, ...], PreviewStatement] = OrderedDict()
BUILT_KEPT = 256


def preview_statement(group: Group, ctx: Context, *, limit: int, array_parameters: bool) -> PreviewStatement:
    """The preview's one statement for `group` (built, or reused from the ones built before)."""
    key = (json.dumps(group.to_json(), sort_keys=True, default=str), ctx.tier_floors, limit, array_parameters)
    built = _BUILT.get(key)
    if built is not None:
        _BUILT.move_to_end(key)
        return built
    built = _build_preview(group, ctx, limit=limit, array_parameters=array_parameters)
    _BUILT[key] = built
    if len(_BUILT) > BUILT_KEPT:
        _BUILT.popitem(last=False)
    return built


def _build_preview(group: Group, ctx: Context, *, limit: int, array_parameters: bool) -> PreviewStatement:
    sets = SharedSets()
    ctx = replace(ctx, sets=sets)
    plan = counts_plan(group, ctx)
    counts = plan.query.subquery("counts")
    only = positive_set(group, ctx)
    if only is not None and array_parameters:
        # ARRAY(subquery): a subquery straight in ANY (...) would be compared row by row, not as one array.
        members = func.array(select(only.c.customer_id).scalar_subquery())
        source: Any = Customer.__table__
        test: ColumnElement[bool] = Customer.id == any_(members)
    else:
        source = sets.join_onto(Customer.__table__)
        test = compile_node(group, ctx, negate=False)
    page = (
        select(Customer)
        .select_from(source)
        .where(test)
        .order_by(Customer.created_at.desc(), Customer.id.desc())
        .limit(limit)
        .subquery("page")
    )
    # The page's columns as plain rows, not ORM objects: 25 customers built into entities and tracked by the
    # session cost more than the statement on a narrow window (a 30-day preview's whole answer is ~10 ms).
    statement = (
        select(*page.c, counts)
        .select_from(counts.outerjoin(page, true()))
        .order_by(page.c.created_at.desc(), page.c.id.desc())
    )
    instants = {
        element.key
        for element in visitors.iterate(statement)
        if isinstance(element, BindParameter) and element.key.startswith(INSTANT_PREFIX)
    }
    return PreviewStatement(statement, plan, tuple(sorted(instants)))


async def preview(
    session: AsyncSession, group: Group, ctx: Context, *, limit: int, caps: Capabilities | None = None
) -> PreviewRows:
    """The preview in one statement: the counts (counts_plan) and the first `limit` matching customers, newest
    first, which the database reads along ix_customers_created_at_sort and stops after `limit` rows when
    matches are common. Each behaviour rule's customer set is a MATERIALIZED CTE, computed once for both the
    counts and the page (as two statements, or as plain subqueries, it was computed twice: measured on the
    large set, the dearest part of a windowed preview). The page is joined to the one row of counts, so no
    match still returns that row.

    A tree of one behaviour rule pages its set's customers by key where ids bind as one array: `id =
    ANY(ARRAY(SELECT customer_id FROM set))` is a lookup per member and a top-25 sort. Joined instead,
    PostgreSQL merged the set with the whole customers table in id order (1.2 s for 16,000 members on the
    large set, against 0.27 s by key)."""
    array_parameters = (caps or capabilities_of(session)).array_parameters
    built = preview_statement(group, ctx, limit=limit, array_parameters=array_parameters)
    rows = (await session.execute(built.statement, instant_values(built.instants, ctx.now))).all()
    count, per_rule = built.plan.read(rows[0])
    return PreviewRows(count, per_rule, [row for row in rows if row.id is not None])


IdRange = tuple[int, int] | None  # customer ids [low, high), or all


def _in_range(column: Any, ids: IdRange) -> list[ColumnElement[bool]]:
    return [] if ids is None else [column >= ids[0], column < ids[1]]


def membership_events(
    segment_id: int, members: Select[Any], at: dt.datetime, ids: IdRange = None, *, stored_any: bool = True
) -> Insert:
    """Write a 'joined' event for every customer the new member set has and the stored one has not, and a
    'left' event for every stored member it has not. The rules are evaluated once, and the two sets meet in
    a FULL JOIN: a hash join, linear however large they are (`NOT IN (subquery)` turns into a search per row
    once a set outgrows work_mem, about 100,000 ids). `ids`: only the customers of that id range.
    `stored_any=False` (the segment has no members yet): every new member joins, with no join at all."""
    new = members.where(*_in_range(Customer.id, ids)).subquery("new_members")
    columns = ["segment_id", "customer_id", "kind", "at"]
    if not stored_any:
        return insert(SegmentMembershipEvent).from_select(
            columns,
            select(literal(segment_id), new.c.id, literal("joined"), literal(at, SegmentMember.joined_at.type)),
        )
    stored = (
        select(SegmentMember.customer_id)
        .where(SegmentMember.segment_id == segment_id, *_in_range(SegmentMember.customer_id, ids))
        .subquery("stored")
    )
    diff = new.join(stored, stored.c.customer_id == new.c.id, full=True)
    return insert(SegmentMembershipEvent).from_select(
        columns,
        select(
            literal(segment_id),
            func.coalesce(new.c.id, stored.c.customer_id),
            case((new.c.id.is_(None), literal("left")), else_=literal("joined")),
            literal(at, SegmentMember.joined_at.type),
        )
        .select_from(diff)
        .where(or_(new.c.id.is_(None), stored.c.customer_id.is_(None))),
    )


def remove_leavers(segment_id: int, at: dt.datetime, ids: IdRange = None) -> Any:
    """Delete the members this refresh's 'left' events name (no second evaluation of the rules)."""
    left = select(SegmentMembershipEvent.customer_id).where(
        SegmentMembershipEvent.segment_id == segment_id,
        SegmentMembershipEvent.at == at,
        SegmentMembershipEvent.kind == "left",
        *_in_range(SegmentMembershipEvent.customer_id, ids),
    )
    return delete(SegmentMember).where(SegmentMember.segment_id == segment_id, SegmentMember.customer_id.in_(left))


def add_joiners(segment_id: int, at: dt.datetime, ids: IdRange = None) -> Insert:
    """Insert the members this refresh's 'joined' events name (no second evaluation of the rules)."""
    return insert(SegmentMember).from_select(
        ["segment_id", "customer_id", "joined_at"],
        select(SegmentMembershipEvent.segment_id, SegmentMembershipEvent.customer_id, SegmentMembershipEvent.at).where(
            SegmentMembershipEvent.segment_id == segment_id,
            SegmentMembershipEvent.at == at,
            SegmentMembershipEvent.kind == "joined",
            *_in_range(SegmentMembershipEvent.customer_id, ids),
        ),
    )
