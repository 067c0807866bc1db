"""The segment field catalog: every field a rule may name, its type, the operators it takes and what its
value looks like. The catalog validates every tree (segments/tree.py), drives the rule builder
(`GET /api/segments/fields`) and tells the compiler (segments/compiler.py) how to read each value.

Field ids for profile and aggregate fields are the customer columns' names; `tier` and `average_order_value`
are derived from `total_spend` and `total_orders`; the behaviour fields look at order history.

NULL semantics (what a store team means, written down once):
- a positive operator (`=`, `<`, `contains`, `in`, `between`, `inLastDays`, ...) never matches a customer
  whose value is missing (no city, never ordered);
- each negative operator (`!=`, `doesNotContain`, `doesNotBeginWith`, `doesNotEndWith`, `notIn`,
  `notBetween`, `notInLastDays`) is the exact complement of its positive one, so it *does* match a customer
  whose value is missing: "city != Paris" includes customers with no city; add `notNull` to exclude them;
- a group with `not: true` matches exactly the customers its rules without `not` do not match;
- `null` / `notNull` test for a missing value, and exist only on fields that can be missing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FieldType(enum.StrEnum):
    text = "text"  # free text, case-sensitive for =, !=, in, notIn
    email = "email"  # text compared case-insensitively everywhere
    choice = "choice"  # one of a known set of values (status, country)
    boolean = "boolean"
    money = "money"  # decimal with at most 2 places
    integer = "integer"
    datetime = "datetime"  # a time; values are ISO days (whole UTC days) or ISO times with an offset
    tier = "tier"  # a spend band (customers/insights.py)
    days = "days"  # a number of whole days (days since the last order)
    window_count = "window_count"  # {"days": N, "value": count} over counted orders in the last N days
    window_money = "window_money"  # {"days": N, "value": amount}
    bought = "bought"  # names as stored (categories, SKUs), optionally {"days": N, "value": ...}


class Op(enum.StrEnum):
    eq = "="
    ne = "!="
    lt = "<"
    gt = ">"
    le = "<="
    ge = ">="
    contains = "contains"
    begins_with = "beginsWith"
    ends_with = "endsWith"
    does_not_contain = "doesNotContain"
    does_not_begin_with = "doesNotBeginWith"
    does_not_end_with = "doesNotEndWith"
    null = "null"
    not_null = "notNull"
    in_ = "in"
    not_in = "notIn"
    between = "between"
    not_between = "notBetween"
    in_last_days = "inLastDays"
    not_in_last_days = "notInLastDays"


# Each negative operator is the exact complement of a positive one: it matches every customer the positive
# one does not, those with a missing value included.
NEGATION_OF: dict[Op, Op] = {
    Op.ne: Op.eq,
    Op.does_not_contain: Op.contains,
    Op.does_not_begin_with: Op.begins_with,
    Op.does_not_end_with: Op.ends_with,
    Op.not_in: Op.in_,
    Op.not_between: Op.between,
    Op.not_in_last_days: Op.in_last_days,
}

EQUALITY = (Op.eq, Op.ne, Op.in_, Op.not_in)
TEXT_OPS = (
    *EQUALITY,
    Op.contains,
    Op.begins_with,
    Op.ends_with,
    Op.does_not_contain,
    Op.does_not_begin_with,
    Op.does_not_end_with,
)
ORDERED_OPS = (Op.eq, Op.ne, Op.lt, Op.gt, Op.le, Op.ge, Op.between, Op.not_between)
DATE_OPS = (*ORDERED_OPS, Op.in_last_days, Op.not_in_last_days)
NULL_OPS = (Op.null, Op.not_null)
LIST_OPS = frozenset({Op.in_, Op.not_in})
RANGE_OPS = frozenset({Op.between, Op.not_between})


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: FieldType
    operators: tuple[Op, ...]
    nullable: bool = False
    unit: str | None = None
    help: str = ""
    max_length: int = 254  # text values
    choices: tuple[str, ...] | None = None  # fixed choices; others (country, category) are read from the data


def _f(
    id: str,
    label: str,
    type: FieldType,
    operators: tuple[Op, ...],
    *,
    nullable: bool = False,
    unit: str | None = None,
    help: str = "",
    max_length: int = 254,
    choices: tuple[str, ...] | None = None,
) -> Field:
    ops = operators + (NULL_OPS if nullable else ())
    return Field(id, label, type, ops, nullable, unit, help, max_length, choices)


FIELDS: dict[str, Field] = {
    f.id: f
    for f in (
        _f("first_name", "First name", FieldType.text, TEXT_OPS, max_length=100),
        _f("last_name", "Last name", FieldType.text, TEXT_OPS, max_length=100),
        _f("email", "Email", FieldType.email, TEXT_OPS, help="Compared without regard to case"),
        _f("phone", "Phone", FieldType.text, TEXT_OPS, nullable=True, max_length=20, help="Stored as +4915123456789"),
        _f(
            "status",
            "Status",
            FieldType.choice,
            EQUALITY,
            choices=("active", "inactive", "archived"),
            max_length=16,
        ),
        _f("city", "City", FieldType.text, TEXT_OPS, nullable=True, max_length=100),
        _f("country", "Country", FieldType.choice, EQUALITY, nullable=True, max_length=2, help="ISO code, e.g. DE"),
        _f("email_consent", "Email consent", FieldType.boolean, (Op.eq, Op.ne)),
        _f("created_at", "Customer since", FieldType.datetime, DATE_OPS),
        _f(
            "total_spend",
            "Lifetime spend",
            FieldType.money,
            ORDERED_OPS,
            unit="money",
            help="Cancelled and refunded orders do not count",
        ),
        _f(
            "total_orders",
            "Number of orders",
            FieldType.integer,
            ORDERED_OPS,
            unit="orders",
            help="Cancelled and refunded orders do not count",
        ),
        _f("first_order_at", "First order", FieldType.datetime, DATE_OPS, nullable=True),
        _f("last_order_at", "Last order", FieldType.datetime, DATE_OPS, nullable=True),
        _f(
            "tier",
            "Tier",
            FieldType.tier,
            EQUALITY,
            choices=("bronze", "silver", "gold", "platinum"),
            help="Band of lifetime spend",
        ),
        _f(
            "average_order_value",
            "Average order value",
            FieldType.money,
            ORDERED_OPS,
            nullable=True,
            unit="money",
            help="Lifetime spend / number of orders; missing for customers without orders",
        ),
        _f(
            "bought_category",
            "Bought in category",
            FieldType.bought,
            EQUALITY,
            max_length=64,
            help='A category name, or {"days": 90, "value": "Shoes"} for the last 90 days; != and notIn: never did',
        ),
        _f(
            "bought_sku",
            "Bought product (SKU)",
            FieldType.bought,
            EQUALITY,
            max_length=64,
            help='A SKU, or {"days": 30, "value": "SKU-1"} for the last 30 days; != and notIn: never did',
        ),
        _f(
            "orders_in_last_days",
            "Orders in the last N days",
            FieldType.window_count,
            ORDERED_OPS,
            unit="orders",
            help='{"days": 90, "value": 3}; cancelled and refunded orders do not count',
        ),
        _f(
            "spend_in_last_days",
            "Spend in the last N days",
            FieldType.window_money,
            ORDERED_OPS,
            unit="money",
            help='{"days": 30, "value": "100"}; cancelled and refunded orders do not count',
        ),
        _f(
            "days_since_last_order",
            "Days since the last order",
            FieldType.days,
            ORDERED_OPS,
            nullable=True,
            unit="days",
            help="Whole days; missing for customers without orders",
        ),
    )
}

# Where the catalog reads allowed values from the data (segments/service.py).
DATA_CHOICES = ("country", "bought_category")
