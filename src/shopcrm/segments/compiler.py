"""A parsed rule tree (segments/tree.py) compiled to one SQLAlchemy Core condition over `customers`, the same
statement on SQLite and PostgreSQL, every value bound as a parameter.

How each kind of rule is written, so the database answers it the way an expert would:
- profile and aggregate fields test the customer row itself: `total_spend`, `total_orders`, `first_order_at`,
  `last_order_at` are kept exact by order ingestion (cancelled and refunded orders excluded), so "spent
  over 500" is `total_spend > 500`, never a join and GROUP BY over orders; `tier` is the same spend band the
  customer pages show (customers/insights.py); `average_order_value` compares in whole cents,
  `round(total_spend * 100) op cents * total_orders`, exact on both engines and defined only with orders;
  `days_since_last_order` becomes a range on `last_order_at`.
- order-window fields (`orders_in_last_days`, `spend_in_last_days`) and `bought_category` / `bought_sku`
  are sets of customers: `SELECT customer_id FROM orders WHERE status counts AND placed_at in the window
  [GROUP BY customer_id HAVING ...]`, read index-only from ix_orders_status_placed_customer (status,
  placed_at, id) INCLUDE (customer_id, total_amount); categories and SKUs go from `products` to
  `order_items` through ix_order_items_product_order_customer (product_id) INCLUDE (order_id, customer_id),
  index-only, joined to the window's counted orders by order id, so no join back through the customer.
  When a count of zero satisfies the rule ("fewer than 3 orders"), the rule is "not in" the set of those
  who fail it (`... HAVING NOT ...`), so customers with no orders at all are counted as having 0.
- `not` is pushed down to the rules (De Morgan), and a negated rule is its exact complement: for a field
  that can be missing, `col IS NULL OR NOT (test)`. So no NULL ever leaks through a NOT and drops customers
  by accident (segments/fields.py states the rules).

`now` is a parameter: relative rules ("in the last 30 days") are evaluated at that instant. Every instant
derived from it is a named parameter (`Context.instant`: `segment_now_30d` is now minus 30 days), so a
statement built once can run again at a later instant with those values alone bound anew (the preview's
statement cache, segments/queries.py).

A statement that tests the same behaviour rule in several places (the preview's counts and its first page,
segments/queries.py) gives the context a `SharedSets`: each rule's customer set is then one MATERIALIZED CTE,
computed once per statement however often the statement refers to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    Numeric,
    Select,
    and_,
    bindparam,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)

from shopcrm.customers.models import Customer
from shopcrm.inventory.models import Product
from shopcrm.orders.models import UNCOUNTED_STATUSES, Order, OrderItem, OrderStatus
from shopcrm.segments.fields import NEGATION_OF, FieldType, Op
from shopcrm.segments.tree import Group, Rule, When, Window

TIERS = ("bronze", "silver", "gold", "platinum")
_CENTS = Numeric(16, 0)
# The statuses that count, listed (the same as "not cancelled or refunded": orders.status is checked against
# OrderStatus), so PostgreSQL reads a window's counted orders as ranges of ix_orders_status_placed_customer,
# index-only; `NOT IN` left it a filter over every order of the window, read from the table (measured on the
# large set: bought Footwear in 90 days 1.4 s -> 0.7 s).
COUNTED = Order.status.in_([s.value for s in OrderStatus if s not in UNCOUNTED_STATUSES])

_COLUMNS: dict[str, Any] = {
    name: getattr(Customer, name)
    for name in (
        "first_name",
        "last_name",
        "email",
        "phone",
        "status",
        "city",
        "country",
        "email_consent",
        "created_at",
        "total_spend",
        "total_orders",
        "first_order_at",
        "last_order_at",
    )
}


class SharedSets:
    """The customer sets of a statement's behaviour rules, each a MATERIALIZED CTE of distinct customer ids
    (computed once per statement however often the statement uses it; PostgreSQL 12+ and SQLite 3.35+ honour
    MATERIALIZED), LEFT JOINed to customers once (`join_onto`), so a rule is a test of the joined id: `IS NOT
    NULL` (in the set) or `IS NULL` (not in it).

    Joins rather than `id IN (subquery)`: inside an OR, a NOT or a FILTER, PostgreSQL evaluates IN as a
    subplan, hashed only while the set fits in work_mem (4 MB by default: about 100,000 ids) and otherwise
    searched again for every customer; a hash join spills to disk and stays linear. One per statement: a
    CTE belongs to the statement that renders it."""

    def __init__(self) -> None:
        self._ctes: dict[tuple[str, str, str], CTE] = {}

    def cte(self, key: tuple[str, str, str], query: Select[Any]) -> CTE:
        found = self._ctes.get(key)
        if found is None:
            found = query.cte(f"rule_set_{len(self._ctes)}").prefix_with("MATERIALIZED")
            self._ctes[key] = found
        return found

    def join_onto(self, customers: Any) -> Any:
        """`customers` (the table or a join starting from it) LEFT JOINed to every set (none: unchanged)."""
        for cte in self._ctes.values():
            customers = customers.outerjoin(cte, cte.c.customer_id == Customer.id)
        return customers


INSTANT_PREFIX = "segment_now_"
_INSTANT_TYPE = Customer.last_order_at.type  # the stored times' type (naive UTC text on SQLite)


def instant_name(days_ago: int) -> str:
    return f"{INSTANT_PREFIX}{days_ago}d"


def instant_values(names: Iterable[str], now: dt.datetime) -> dict[str, dt.datetime]:
    """The values of the named instants (`instant_name`) at `now`."""
    return {name: now - dt.timedelta(days=int(name[len(INSTANT_PREFIX) : -1])) for name in names}


@dataclass(frozen=True)
class Context:
    """What a compilation depends on besides the tree: the instant "now", the tier floors (lower bounds
    of lifetime spend, bronze first) and, for a statement that tests rules more than once, its shared sets."""

    now: dt.datetime
    tier_floors: tuple[Decimal, Decimal, Decimal, Decimal]
    sets: SharedSets | None = field(default=None, compare=False)

    def instant(self, days_ago: int = 0) -> BindParameter[dt.datetime]:
        """`now` minus whole days, as a parameter named by `instant_name` (`instant_values` binds it anew)."""
        return bindparam(instant_name(days_ago), self.now - dt.timedelta(days=days_ago), type_=_INSTANT_TYPE)

    def tier_range(self, tier: str) -> tuple[Decimal, Decimal | None]:
        i = TIERS.index(tier)
        return self.tier_floors[i], self.tier_floors[i + 1] if i + 1 < len(TIERS) else None


def condition(group: Group, ctx: Context) -> ColumnElement[bool]:
    """The whole tree as one WHERE condition over customers."""
    return compile_node(group, ctx, negate=False)


def members_query(group: Group, ctx: Context) -> Select[Any]:
    """The ids of the customers the tree matches: one statement, each behaviour rule's set joined once."""
    ctx = replace(ctx, sets=SharedSets())
    test = condition(group, ctx)
    assert ctx.sets is not None
    return select(Customer.id).select_from(ctx.sets.join_onto(Customer.__table__)).where(test)


def compile_node(node: Group | Rule, ctx: Context, *, negate: bool) -> ColumnElement[bool]:
    """`node`, or its exact complement when `negate`, with every NOT pushed down to the rules."""
    if isinstance(node, Rule):
        return compile_rule(node, ctx, negate=negate)
    negate = negate != node.negated
    if not node.rules:
        return false() if negate else true()
    parts = [compile_node(child, ctx, negate=negate) for child in node.rules]
    if len(parts) == 1:
        return parts[0]
    # De Morgan: NOT (a AND b) = NOT a OR NOT b.
    conjunctive = (node.combinator == "and") != negate
    return and_(*parts) if conjunctive else or_(*parts)


def compile_rule(rule: Rule, ctx: Context, *, negate: bool = False) -> ColumnElement[bool]:
    """One rule, or its complement. A positive test never matches a missing value; a negative operator,
    and the complement of a positive test, match every customer the positive test does not."""
    op = rule.op
    if op in (Op.null, Op.not_null):
        missing = _missing(rule)
        assert missing is not None  # the catalog offers null tests only on fields that can be missing
        return missing if (op is Op.null) != negate else not_(missing)
    negative = op in NEGATION_OF
    test = _positive(rule, NEGATION_OF.get(op, op), ctx)
    if negative == negate:
        return test
    missing = _missing(rule)
    return not_(test) if missing is None else or_(missing, not_(test))


def _missing(rule: Rule) -> ColumnElement[bool] | None:
    """The condition under which the rule's field has no value (None: it always has one)."""
    field = rule.field
    if field.id == "days_since_last_order":
        return Customer.last_order_at.is_(None)
    if field.id == "average_order_value":
        return Customer.total_orders == 0
    if field.nullable and field.id in _COLUMNS:
        missing: ColumnElement[bool] = _COLUMNS[field.id].is_(None)
        return missing
    return None


def _positive(rule: Rule, op: Op, ctx: Context) -> ColumnElement[bool]:
    field = rule.field
    t = field.type
    if t in (FieldType.text, FieldType.email, FieldType.choice):
        return _text(_COLUMNS[field.id], op, rule.value, fold=t is FieldType.email)
    if t is FieldType.boolean:
        wanted = bool(rule.value)
        return Customer.email_consent.is_(true() if wanted else false())
    if t is FieldType.tier:
        tiers = rule.value if op is Op.in_ else (rule.value,)
        ranges = []
        for tier in tiers:
            low, high = ctx.tier_range(tier)
            spend = Customer.total_spend
            ranges.append(spend >= low if high is None else and_(spend >= low, spend < high))
        return or_(*ranges)
    if field.id == "average_order_value":
        spend_cents = func.round(Customer.total_spend * 100)

        def in_cents(v: Decimal) -> ColumnElement[Any]:
            return literal(int(v * 100), _CENTS) * Customer.total_orders

        return and_(Customer.total_orders > 0, _ordered(spend_cents, op, rule.value, convert=in_cents))
    if t in (FieldType.money, FieldType.integer):
        return _ordered(_COLUMNS[field.id], op, rule.value)
    if t is FieldType.datetime:
        return _time(_COLUMNS[field.id], op, rule.value, ctx)
    if t is FieldType.days:
        return _days_since(op, rule.value, ctx)
    if t in (FieldType.window_count, FieldType.window_money):
        return _window(rule, op, ctx)
    if t is FieldType.bought:
        return _bought(rule, ctx)
    raise AssertionError(f"no compilation for {field.id}")  # pragma: no cover


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text(column: Any, op: Op, value: Any, *, fold: bool) -> ColumnElement[bool]:
    if op in (Op.eq, Op.in_):
        values = list(value) if op is Op.in_ else [value]
        if fold:
            folded = [v.lower() for v in values]
            return func.lower(column).in_(folded) if len(folded) > 1 else func.lower(column) == folded[0]
        result: ColumnElement[bool] = column.in_(values) if len(values) > 1 else column == values[0]
        return result
    needle = like_escape(str(value).lower())
    pattern = {Op.contains: f"%{needle}%", Op.begins_with: f"{needle}%", Op.ends_with: f"%{needle}"}[op]
    return func.lower(column).like(pattern, escape="\\")


def _ordered(expr: Any, op: Op, value: Any, *, convert: Callable[[Any], Any] | None = None) -> ColumnElement[bool]:
    """expr op value for ordered values (`between` inclusive at both ends; upside down matches nothing)."""
    c: Callable[[Any], Any] = convert or (lambda v: v)
    if op is Op.between:
        low, high = value
        return and_(expr >= c(low), expr <= c(high))
    v = c(value)
    result: ColumnElement[bool] = {
        Op.eq: lambda: expr == v,
        Op.lt: lambda: expr < v,
        Op.gt: lambda: expr > v,
        Op.le: lambda: expr <= v,
        Op.ge: lambda: expr >= v,
    }[op]()
    return result


def _time(column: Any, op: Op, value: Any, ctx: Context) -> ColumnElement[bool]:
    """Times against a whole UTC day ([start, end)) or an instant; `inLastDays` is (now - N days, now]."""
    if op is Op.in_last_days:
        return and_(column >= ctx.instant(value), column <= ctx.instant())
    if op is Op.between:
        low, high = value
        return and_(column >= low.start, _at_or_before(column, high))
    when: When = value
    if op is Op.eq:
        return and_(column >= when.start, column < when.end) if when.end is not None else column == when.start
    if op is Op.lt:
        return column < when.start  # type: ignore[no-any-return]
    if op is Op.ge:
        return column >= when.start  # type: ignore[no-any-return]
    if op is Op.gt:
        return column >= when.end if when.end is not None else column > when.start  # type: ignore[no-any-return]
    return _at_or_before(column, when)


def _at_or_before(column: Any, when: When) -> ColumnElement[bool]:
    return column < when.end if when.end is not None else column <= when.start  # type: ignore[no-any-return]


def _days_since(op: Op, value: Any, ctx: Context) -> ColumnElement[bool]:
    """Whole days since the last order, floor((now - last_order_at) / 1 day), as a range on last_order_at:
    days >= d  <=>  last_order_at <= now - d days."""
    col = Customer.last_order_at

    def at_least(d: int) -> ColumnElement[bool]:
        return col <= ctx.instant(d)

    def below(d: int) -> ColumnElement[bool]:
        return col > ctx.instant(d)

    if op is Op.between:
        low, high = value
        return and_(at_least(low), below(high + 1))
    d: int = value
    return {
        Op.eq: lambda: and_(at_least(d), below(d + 1)),
        Op.ge: lambda: at_least(d),
        Op.gt: lambda: at_least(d + 1),
        Op.lt: lambda: below(d),
        Op.le: lambda: below(d + 1),
    }[op]()


def window_start(ctx: Context, days: int) -> BindParameter[dt.datetime]:
    return ctx.instant(days)


def _window(rule: Rule, op: Op, ctx: Context) -> ColumnElement[bool]:
    """Counted orders (or their spend) in the last N days, as a semi-join over orders in the window."""
    customers, complement = _window_set(rule, op, ctx)
    return _member(rule, op, ctx, customers, complement=complement)


def _window_set(rule: Rule, op: Op, ctx: Context) -> tuple[Select[Any], bool]:
    """The customers (distinct ids) whose window passes, or (complement True) those whose window fails while
    customers with no order in it pass: then the rule is "not in" the set."""
    window: Window = rule.value
    in_window = and_(Order.placed_at >= window_start(ctx, window.days or 0), Order.placed_at <= ctx.instant(), COUNTED)
    if rule.field.type is FieldType.window_count:
        measure: Any = func.count()

        def convert(v: Any) -> Any:
            return v

        zero_matches = _holds(op, window.value, 0)
        # At least one order in the window is the test itself: no counting needed.
        if not zero_matches and _holds(op, window.value, 1) and _holds_for_all_above(op, window.value):
            return select(Order.customer_id).where(in_window).distinct(), False
    else:
        measure = func.sum(func.round(Order.total_amount * 100))

        def convert(v: Any) -> Any:
            return literal(int(v * 100), _CENTS)

        zero_matches = _holds(op, window.value, Decimal(0))
    having = _ordered(measure, op, window.value, convert=convert)
    grouped = select(Order.customer_id).where(in_window).group_by(Order.customer_id)
    if zero_matches:
        # Customers without orders in the window have 0 and match: the complement of those whose total fails.
        return grouped.having(not_(having)), True
    return grouped.having(having), False


def _member(rule: Rule, op: Op, ctx: Context, customers: Select[Any], *, complement: bool) -> ColumnElement[bool]:
    """The customer is in (or, complement, not in) the set: the joined id of the statement's shared set, or
    without shared sets (one customer's explanation) `id IN (set)`."""
    if ctx.sets is not None:
        joined = ctx.sets.cte(_set_key(rule, op), customers).c.customer_id
        return joined.is_(None) if complement else joined.is_not(None)
    return Customer.id.not_in(customers) if complement else Customer.id.in_(customers)


def positive_set(group: Group, ctx: Context) -> CTE | None:
    """When the whole tree is one behaviour rule that matches exactly the customers of its set (no `not`, no
    complement), that set as the statement's shared CTE: its row count is the tree's count, with no pass over
    customers (every order's customer exists). None otherwise, or without shared sets."""
    if ctx.sets is None or group.negated or len(group.rules) != 1:
        return None
    node = group.rules[0]
    if isinstance(node, Group):
        return positive_set(node, ctx)
    if node.op in NEGATION_OF or node.op in (Op.null, Op.not_null):
        return None
    if node.field.type in (FieldType.window_count, FieldType.window_money):
        customers, complement = _window_set(node, node.op, ctx)
    elif node.field.type is FieldType.bought:
        customers, complement = _bought_set(node, ctx), False
    else:
        return None
    if complement:
        return None
    return ctx.sets.cte(_set_key(node, node.op), customers)


def _set_key(rule: Rule, op: Op) -> tuple[str, str, str]:
    # A bought rule's set is the same for = and in (and for their negations, which test "not in" it).
    return rule.field.id, "" if rule.field.type is FieldType.bought else op.value, repr(rule.value)


def _holds(op: Op, value: Any, x: Any) -> bool:
    """Whether a customer's measure `x` satisfies `op value` (Python; used for the zero and one cases)."""
    if op is Op.between:
        low, high = value
        return bool(low <= x <= high)
    return bool(
        {
            Op.eq: x == value,
            Op.lt: x < value,
            Op.gt: x > value,
            Op.le: x <= value,
            Op.ge: x >= value,
        }[op]
    )


def _holds_for_all_above(op: Op, value: Any) -> bool:
    return op in (Op.gt, Op.ge)


def _bought(rule: Rule, ctx: Context) -> ColumnElement[bool]:
    """Bought at least one item of the categories (SKUs) in the window, in an order that counts."""
    return _member(rule, Op.in_, ctx, _bought_set(rule, ctx), complement=False)


def _bought_set(rule: Rule, ctx: Context) -> Select[Any]:
    """The customers (distinct ids) with an item of the categories (SKUs) in a counted order of the window."""
    window: Window = rule.value
    key = Product.category if rule.field.id == "bought_category" else Product.sku
    names = list(window.value)
    conditions: list[ColumnElement[bool]] = [key.in_(names) if len(names) > 1 else key == names[0], COUNTED]
    if window.days is not None:
        conditions += [Order.placed_at >= window_start(ctx, window.days), Order.placed_at <= ctx.instant()]
    return (
        select(OrderItem.customer_id)
        .join(Product, Product.id == OrderItem.product_id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(*conditions)
        .distinct()
    )
