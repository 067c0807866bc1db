"""Why is she in it: a tree evaluated for one customer, with the customer's own value and pass or fail at
every rule and group.

Each rule's verdict is the compiled rule itself (segments/compiler.py) run for that one customer, so the
explanation cannot disagree with the segment's query; groups combine their rules' verdicts in Python with
the same and/or/not. The values shown come from the same statement (windowed counts and sums per rule).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.customers.models import Customer
from shopcrm.inventory.models import Product
from shopcrm.orders.models import Order, OrderItem
from shopcrm.segments.compiler import _COLUMNS, COUNTED, TIERS, Context, compile_rule, window_start
from shopcrm.segments.fields import FieldType, Op
from shopcrm.segments.schemas import ExplainNode
from shopcrm.segments.tree import Group, Rule, When, Window

_SYMBOL = {
    Op.eq: "=",
    Op.ne: "≠",
    Op.lt: "<",
    Op.gt: ">",
    Op.le: "≤",
    Op.ge: "≥",
    Op.contains: "contains",
    Op.begins_with: "begins with",
    Op.ends_with: "ends with",
    Op.does_not_contain: "does not contain",
    Op.does_not_begin_with: "does not begin with",
    Op.does_not_end_with: "does not end with",
    Op.null: "is empty",
    Op.not_null: "is not empty",
    Op.in_: "in",
    Op.not_in: "not in",
    Op.between: "between",
    Op.not_between: "not between",
    Op.in_last_days: "in the last",
    Op.not_in_last_days: "not in the last",
}


def _leaves(node: Group | Rule) -> list[Rule]:
    if isinstance(node, Rule):
        return [node]
    return [leaf for child in node.rules for leaf in _leaves(child)]


def _actual_expr(rule: Rule, ctx: Context) -> ColumnElement[Any]:
    field = rule.field
    if field.id in _COLUMNS:
        expr: ColumnElement[Any] = _COLUMNS[field.id]
        return expr
    if field.id in ("tier", "average_order_value"):
        spend: ColumnElement[Any] = Customer.total_spend.expression
        return spend
    if field.id == "days_since_last_order":
        last: ColumnElement[Any] = Customer.last_order_at.expression
        return last
    window: Window = rule.value
    if field.type in (FieldType.window_count, FieldType.window_money):
        measure: Any = func.count() if field.type is FieldType.window_count else func.sum(Order.total_amount)
        return (
            select(measure)
            .where(
                Order.customer_id == Customer.id,
                Order.placed_at >= window_start(ctx, window.days or 0),
                Order.placed_at <= ctx.instant(),
                COUNTED,
            )
            .scalar_subquery()
        )
    # bought_*: how many of the customer's counted items (in the window) are in the named ones.
    key = Product.category if field.id == "bought_category" else Product.sku
    conditions = [OrderItem.customer_id == Customer.id, key.in_(list(window.value)), COUNTED]
    if window.days is not None:
        conditions += [Order.placed_at >= window_start(ctx, window.days), Order.placed_at <= ctx.instant()]
    return (
        select(func.count())
        .select_from(OrderItem)
        .join(Product, Product.id == OrderItem.product_id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(*conditions)
        .scalar_subquery()
    )


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, When):
        return str(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return str(value)


def _actual(rule: Rule, raw: Any, row: Any, ctx: Context) -> Any:
    field = rule.field
    if field.id == "tier":
        floors = ctx.tier_floors
        spend = Decimal(raw)
        return next(TIERS[i] for i in reversed(range(4)) if spend >= floors[i])
    if field.id == "average_order_value":
        orders = row.total_orders
        return None if not orders else (Decimal(raw) / orders).quantize(Decimal("0.01"))
    if field.id == "days_since_last_order":
        return None if raw is None else (ctx.now - raw) // dt.timedelta(days=1)
    if field.type is FieldType.window_money:
        return Decimal(raw or 0).quantize(Decimal("0.01"))
    if field.type is FieldType.money and raw is not None:
        return Decimal(raw).quantize(Decimal("0.01"))
    return raw


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _because(rule: Rule, actual: Any, passed: bool) -> str:
    field = rule.field
    value = rule.value
    if isinstance(value, Window):
        window = f" in the last {value.days} days" if value.days is not None else ""
        target = _shown(value.value)
        if field.type is FieldType.bought:
            verb = "bought" if rule.op in (Op.eq, Op.in_) else "never bought"
            items = f"{actual} matching item" + ("" if actual == 1 else "s")
            return f"{field.id}: {verb} {target}{window} ({items}): {'yes' if passed else 'no'}"
        return (
            f"{field.id} ({window.strip()}) {_shown(actual)} {_SYMBOL[rule.op]} {target}: {'yes' if passed else 'no'}"
        )
    shown_value = "" if rule.op in (Op.null, Op.not_null) else " " + _shown(value)
    if rule.op in (Op.in_last_days, Op.not_in_last_days):
        shown_value += " days"
    return f"{field.id} {_shown(actual)} {_SYMBOL[rule.op]}{shown_value}: {'yes' if passed else 'no'}"


async def explain(session: AsyncSession, *, group: Group, customer_id: int, ctx: Context) -> ExplainNode | None:
    """The tree evaluated for the customer (None when there is no such customer)."""
    leaves = _leaves(group)
    columns: list[Any] = [Customer.id, Customer.total_orders]
    for i, leaf in enumerate(leaves):
        columns.append(case((compile_rule(leaf, ctx), True), else_=False).label(f"p{i}"))
        columns.append(_actual_expr(leaf, ctx).label(f"v{i}"))
    row = (await session.execute(select(*columns).where(Customer.id == customer_id))).one_or_none()
    if row is None:
        return None
    verdicts = {id(leaf): (bool(row[2 + 2 * i]), row[3 + 2 * i]) for i, leaf in enumerate(leaves)}

    def node(n: Group | Rule) -> ExplainNode:
        if isinstance(n, Rule):
            passed, raw = verdicts[id(n)]
            actual = _actual(n, raw, row, ctx)
            return ExplainNode(
                kind="rule",
                passed=passed,
                because=_because(n, actual, passed),
                field=n.field.id,
                operator=n.op.value,
                value=n.raw,
                actual=_json(actual),
            )
        children = [node(c) for c in n.rules]
        if not children:
            inner = True
        elif n.combinator == "and":
            inner = all(c.passed for c in children)
        else:
            inner = any(c.passed for c in children)
        passed = inner != n.negated
        held = sum(c.passed for c in children)
        need = "all needed" if n.combinator == "and" else "one needed"
        negated = ", then negated (not)" if n.negated else ""
        because = f"{held} of {len(children)} hold, {need}{negated}: {'yes' if passed else 'no'}"
        return ExplainNode(
            kind="group", passed=passed, because=because, combinator=n.combinator, not_=n.negated, rules=children
        )

    return node(group)
