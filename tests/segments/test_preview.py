"""The preview on both engines: its one statement (counts, per-rule counts, first page) for every shape the
counting takes, against figures worked out by hand and against each rule counted on its own statement;
any signed-in user may preview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from shopcrm.auth.models import Role
from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.orders.models import Order, OrderItem
from shopcrm.segments import queries
from shopcrm.segments.compiler import compile_node, members_query
from shopcrm.segments.service import context
from shopcrm.segments.tree import Group, parse_tree
from tests.factories import make_customer, make_product

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _r(field: str, operator: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value}


async def _order(
    database: Database, customer: Customer, product_id: int, *, days_ago: int, amount: str, status: str = "paid"
) -> None:
    async with database.transaction() as session:
        order = Order(
            customer_id=customer.id,
            order_number=f"P-{customer.id}-{days_ago}-{status}-{amount}",
            placed_at=NOW - dt.timedelta(days=days_ago),
            status=status,
            total_amount=Decimal(amount),
        )
        session.add(order)
        await session.flush()
        session.add(
            OrderItem(
                order_id=order.id, product_id=product_id, customer_id=customer.id, quantity=1, price=Decimal(amount)
            )
        )


@pytest.fixture
async def shop(database: Database) -> dict[str, int]:
    """Four customers, newest first: c1 (DE, 3 counted orders in 90 days, one of Shoes), c2 (FR, one Home order
    in 30 days and a cancelled Shoes one), c3 (DE, never ordered), c4 (GB, one Shoes order 200 days ago)."""
    shoes = await make_product(database, category="Shoes")
    home = await make_product(database, category="Home")
    c4 = await make_customer(
        database, country="GB", total_spend=Decimal("200"), total_orders=1, created_at=NOW - dt.timedelta(days=4)
    )
    c3 = await make_customer(database, country="DE", created_at=NOW - dt.timedelta(days=3))
    c2 = await make_customer(
        database, country="FR", total_spend=Decimal("50"), total_orders=1, created_at=NOW - dt.timedelta(days=2)
    )
    c1 = await make_customer(
        database, country="DE", total_spend=Decimal("600"), total_orders=3, created_at=NOW - dt.timedelta(days=1)
    )
    await _order(database, c1, shoes.id, days_ago=5, amount="300")
    await _order(database, c1, home.id, days_ago=40, amount="200")
    await _order(database, c1, home.id, days_ago=80, amount="100")
    await _order(database, c2, home.id, days_ago=10, amount="50")
    await _order(database, c2, shoes.id, days_ago=12, amount="80", status="cancelled")
    await _order(database, c4, shoes.id, days_ago=200, amount="200")
    return {"c1": c1.id, "c2": c2.id, "c3": c3.id, "c4": c4.id}


# tree, count, [(alone, running), ...], members newest first (by name); worked out by hand from `shop`.
CASES: dict[str, tuple[dict[str, Any], int, list[tuple[int, int]], list[str]]] = {
    # One behaviour rule: the count is its set's rows (no pass over customers). c2's Shoes order was cancelled.
    "bought shoes in 90 days": (
        {"combinator": "and", "rules": [_r("bought_category", "=", {"days": 90, "value": "Shoes"})]},
        1,
        [(1, 1)],
        ["c1"],
    ),
    # Zero orders pass "< 2": the complement of the set of customers with 2 or more.
    "fewer than 2 orders in 90 days": (
        {"combinator": "and", "rules": [_r("orders_in_last_days", "<", {"days": 90, "value": 2})]},
        3,
        [(3, 3)],
        ["c2", "c3", "c4"],
    ),
    "one plain rule": ({"combinator": "and", "rules": [_r("country", "=", "DE")]}, 2, [(2, 2)], ["c1", "c3"]),
    "a negated group of one rule": (
        {"combinator": "and", "not": True, "rules": [_r("country", "=", "DE")]},
        2,
        [(2, 2)],
        ["c2", "c4"],
    ),
    "a behaviour rule nested in a group of one": (
        {
            "combinator": "or",
            "rules": [{"combinator": "and", "rules": [_r("spend_in_last_days", ">", {"days": 90, "value": "100"})]}],
        },
        1,
        [(1, 1)],
        ["c1"],
    ),
    "several rules with a behaviour rule": (
        {
            "combinator": "and",
            "rules": [
                _r("country", "in", ["DE", "FR"]),
                _r("orders_in_last_days", ">=", {"days": 90, "value": 1}),
                _r("total_spend", ">", "100"),
            ],
        },
        1,
        [(3, 3), (2, 2), (2, 1)],
        ["c1"],
    ),
    "several plain rules under or": (
        {"combinator": "or", "rules": [_r("country", "=", "GB"), _r("total_spend", ">=", "600")]},
        2,
        [(1, 1), (1, 2)],
        ["c1", "c4"],
    ),
    "a negated group of several rules": (
        {"combinator": "or", "not": True, "rules": [_r("country", "=", "GB"), _r("total_spend", ">=", "600")]},
        2,
        [(1, 1), (1, 2)],
        ["c2", "c3"],
    ),
    "no rules": ({"combinator": "and", "rules": []}, 4, [], ["c1", "c2", "c3", "c4"]),
    "no rules, negated": ({"combinator": "and", "not": True, "rules": []}, 0, [], []),
}


async def _each_rule_on_its_own(database: Database, group: Group, settings: Settings) -> list[tuple[int, int]]:
    """Per top-level rule: its count and the running count, each from a statement of its own (no shared
    sets, no FILTERs): an independent way to the same figures."""
    ctx = context(settings, NOW)
    out = []
    async with database.sessionmaker() as session:
        for i, rule in enumerate(group.rules):
            alone = await session.scalar(select(func.count()).where(compile_node(rule, ctx, negate=False)))
            prefix = Group(group.combinator, False, group.rules[: i + 1])
            running = await session.scalar(select(func.count()).select_from(members_query(prefix, ctx).subquery()))
            out.append((int(alone or 0), int(running or 0)))
    return out


@pytest.mark.parametrize("case", sorted(CASES))
async def test_one_statement_counts_agree_with_hand_figures_and_each_rule_alone(
    database: Database, settings: Settings, shop: dict[str, int], case: str
):
    tree, count, per_rule, newest = CASES[case]
    group = parse_tree(tree, loc=["tree"])
    ctx = context(settings, NOW)
    async with database.sessionmaker() as session:
        assert await queries.rule_counts(session, group, ctx) == (count, per_rule)
        shown = await queries.preview(session, group, ctx, limit=25)
    assert (shown.count, shown.rule_counts) == (count, per_rule)
    assert [c.id for c in shown.customers] == [shop[name] for name in newest]
    assert await _each_rule_on_its_own(database, group, settings) == per_rule


async def test_the_first_page_stops_at_its_limit(database: Database, settings: Settings, shop: dict[str, int]):
    group = parse_tree({"combinator": "and", "rules": []}, loc=["tree"])
    async with database.sessionmaker() as session:
        shown = await queries.preview(session, group, context(settings, NOW), limit=2)
    assert shown.count == 4
    assert [c.id for c in shown.customers] == [shop["c1"], shop["c2"]]


async def test_a_reader_may_preview_but_not_save(app_client: httpx.AsyncClient, make_user, shop: dict[str, int]):
    viewer = await make_user(Role.viewer)
    headers = {"Authorization": f"Bearer {viewer.token}"}
    tree, count, per_rule, newest = CASES["several rules with a behaviour rule"]
    response = await app_client.post("/api/segments/preview", json={"rules": tree}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == count
    assert [(c["alone"], c["running"]) for c in body["rule_counts"]] == per_rule
    assert [c["id"] for c in body["items"]] == [shop[name] for name in newest]
    saved = await app_client.post("/api/segments", json={"name": "Mine", "rules": tree}, headers=headers)
    assert saved.status_code == 403
    anonymous = await app_client.post("/api/segments/preview", json={"rules": tree})
    assert anonymous.status_code == 401


async def test_a_built_statement_reused_later_answers_for_its_own_instant(
    database: Database, settings: Settings, shop: dict[str, int]
):
    """The preview's statement is built once per tree and reused; each run binds its own instants. Moving the
    clock changes every relative rule's answer: c1's Shoes order (5 days ago) leaves the 30-day window 26
    days on, c2's Home order (10 days ago) after 21, and c4's last order (200 days ago) is 230 days old 30
    days on."""
    async with database.transaction() as session:
        await session.execute(
            update(Customer).where(Customer.id == shop["c4"]).values(last_order_at=NOW - dt.timedelta(days=200))
        )
    tree = {
        "combinator": "or",
        "rules": [
            _r("bought_category", "=", {"days": 30, "value": "Shoes"}),
            _r("orders_in_last_days", ">=", {"days": 30, "value": 1}),
            _r("days_since_last_order", ">=", 230),
        ],
    }
    group = parse_tree(tree, loc=["tree"])
    answers = []
    for days_on in (0, 22, 27, 31):
        async with database.sessionmaker() as session:
            shown = await queries.preview(session, group, context(settings, NOW + dt.timedelta(days=days_on)), limit=25)
        answers.append((shown.rule_counts, sorted(c.id for c in shown.customers)))
    built = queries.preview_statement(group, context(settings, NOW), limit=25, array_parameters=False)
    assert built.instants == ("segment_now_0d", "segment_now_230d", "segment_now_30d")
    assert answers == [
        ([(1, 1), (2, 2), (0, 2)], sorted([shop["c1"], shop["c2"]])),
        ([(1, 1), (1, 1), (0, 1)], [shop["c1"]]),
        ([(0, 0), (0, 0), (0, 0)], []),
        ([(0, 0), (0, 0), (1, 1)], [shop["c4"]]),
    ]
