"""Rule trees: react-querybuilder's JSON, checked against the field catalog and parsed into typed values.

`parse_tree(raw, loc=[...])` takes the tree as JSON gave it and returns a `Group` whose every value is
parsed by its field's type (decimals, days, times), or raises `InvalidTree` listing every bad rule with its
path (`["body", "rules", "rules", 1, "value"]`) and why. Nothing here builds SQL (segments/compiler.py).

Shape: `{"combinator": "and"|"or", "not": false, "rules": [rule | group, ...]}`, a rule being
`{"field", "operator", "value"}`; react-querybuilder's `id`, `path` and `valueSource: "value"` are accepted
and dropped. An empty group matches every customer (the builder starts with one). At most `MAX_DEPTH` levels
of groups and `MAX_RULES` rules and groups in all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from shopcrm.core.errors import AppError
from shopcrm.core.text import is_storable
from shopcrm.segments.fields import FIELDS, LIST_OPS, RANGE_OPS, Field, FieldType, Op

MAX_DEPTH = 8
MAX_RULES = 100
MAX_LIST = 500
MAX_MONEY = Decimal("9999999999.99")
MAX_COUNT = 1_000_000_000
MAX_DAYS = 36_500  # a hundred years
_CENT = Decimal("0.01")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_RULE_KEYS = {"field", "operator", "value", "id", "path", "valueSource", "disabled"}
_GROUP_KEYS = {"combinator", "not", "rules", "id", "path", "disabled"}

Loc = list[str | int]
Combinator = Literal["and", "or"]


class InvalidTree(AppError):
    """A tree the catalog refuses: 422 with one detail per problem, each with its path in the tree."""

    status_code = 422
    code = "validation_error"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"] if p not in ("body", "query", "path"))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{where}: {first['message']}{more}", details=errors)


@dataclass(frozen=True)
class When:
    """A point or a whole UTC day given as a rule's time value: [start, end), end None for a point."""

    start: dt.datetime
    end: dt.datetime | None

    def __str__(self) -> str:
        if self.end is not None:
            return self.start.date().isoformat()
        return self.start.isoformat()


@dataclass(frozen=True)
class Window:
    """A windowed value: the last `days` days (None: all time for bought_*), and the value within it."""

    days: int | None
    value: Any


@dataclass(frozen=True)
class Rule:
    field: Field
    op: Op
    value: Any  # parsed by the field's type: str, tuple[str, ...], Decimal, int, bool, When, Window, (lo, hi)
    raw: Any  # as it came, for storing and giving back unchanged

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field.id, "operator": self.op.value, "value": self.raw}


@dataclass(frozen=True)
class Group:
    combinator: Combinator
    negated: bool
    rules: tuple[Rule | Group, ...]

    def to_json(self) -> dict[str, Any]:
        return {"combinator": self.combinator, "not": self.negated, "rules": [r.to_json() for r in self.rules]}


class _Bad(ValueError):
    pass


def parse_tree(raw: Any, *, loc: Loc) -> Group:
    """The tree, checked and parsed; InvalidTree naming every bad rule's path otherwise."""
    errors: list[dict[str, Any]] = []
    counter = [0]
    group = _group(raw, loc, 1, errors, counter)
    if errors or group is None:
        raise InvalidTree(errors or [{"loc": loc, "message": "not a rule group", "type": "value_error"}])
    return group


def _err(errors: list[dict[str, Any]], loc: Loc, message: str) -> None:
    if len(errors) < 50:
        errors.append({"loc": loc, "message": message, "type": "value_error"})


def _group(raw: Any, loc: Loc, depth: int, errors: list[dict[str, Any]], counter: list[int]) -> Group | None:
    if not isinstance(raw, dict):
        _err(errors, loc, "a group must be an object with combinator and rules")
        return None
    if depth > MAX_DEPTH:
        _err(errors, loc, f"groups nest at most {MAX_DEPTH} deep")
        return None
    ok = True
    for key in raw:
        if key not in _GROUP_KEYS:
            _err(errors, [*loc, str(key)[:64]], "unknown key in a group")
            ok = False
    combinator = raw.get("combinator", "and")
    if not isinstance(combinator, str) or combinator.lower() not in ("and", "or"):
        _err(errors, [*loc, "combinator"], 'must be "and" or "or"')
        ok = False
        combinator = "and"
    negated = raw.get("not", False)
    if not isinstance(negated, bool):
        _err(errors, [*loc, "not"], "must be true or false")
        ok = False
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, list):
        _err(errors, [*loc, "rules"], "must be a list of rules and groups")
        return None
    rules: list[Rule | Group] = []
    for i, item in enumerate(rules_raw):
        counter[0] += 1
        if counter[0] > MAX_RULES:
            _err(errors, [*loc, "rules", i], f"a segment has at most {MAX_RULES} rules and groups")
            return None
        item_loc: Loc = [*loc, "rules", i]
        if isinstance(item, dict) and "rules" in item:
            parsed: Rule | Group | None = _group(item, item_loc, depth + 1, errors, counter)
        else:
            parsed = _rule(item, item_loc, errors)
        if parsed is None:
            ok = False
        else:
            rules.append(parsed)
    if not ok:
        return None
    return Group("and" if combinator.lower() == "and" else "or", bool(negated), tuple(rules))


def _rule(raw: Any, loc: Loc, errors: list[dict[str, Any]]) -> Rule | None:
    if not isinstance(raw, dict):
        _err(errors, loc, "a rule must be an object with field, operator and value")
        return None
    ok = True
    for key in raw:
        if key not in _RULE_KEYS:
            _err(errors, [*loc, str(key)[:64]], "unknown key in a rule")
            ok = False
    if raw.get("valueSource", "value") != "value":
        _err(errors, [*loc, "valueSource"], 'only "value" is supported')
        ok = False
    field_id = raw.get("field")
    field = FIELDS.get(field_id) if isinstance(field_id, str) else None
    if field is None:
        _err(errors, [*loc, "field"], "unknown field (see GET /api/segments/fields)")
        return None
    op_raw = raw.get("operator")
    try:
        op = Op(op_raw) if isinstance(op_raw, str) else None
    except ValueError:
        op = None
    if op is None or op not in field.operators:
        allowed = ", ".join(o.value for o in field.operators)
        _err(errors, [*loc, "operator"], f"{field.id} takes one of: {allowed}")
        return None
    value_raw = raw.get("value")
    try:
        value = parse_value(field, op, value_raw)
    except _Bad as exc:
        _err(errors, [*loc, "value"], str(exc))
        return None
    if not ok:
        return None
    return Rule(field, op, value, value_raw)


def parse_value(field: Field, op: Op, raw: Any) -> Any:
    """The rule's value as its field's type reads it; _Bad saying why not."""
    if op in (Op.null, Op.not_null):
        return None
    if field.type in (FieldType.window_count, FieldType.window_money):
        if not isinstance(raw, dict) or set(raw) - {"days", "value"} or "days" not in raw or "value" not in raw:
            raise _Bad('give the window and the value, e.g. {"days": 30, "value": 3}')
        days = _days(raw["days"], low=1, what="days")
        return Window(days, _scalar_or_range(field, op, raw["value"]))
    if field.type is FieldType.bought:
        if isinstance(raw, dict):
            if set(raw) - {"days", "value"} or "value" not in raw:
                raise _Bad('give a name, a list of names, or {"days": 90, "value": ...}')
            within = None if raw.get("days") is None else _days(raw["days"], low=1, what="days")
            return Window(within, _names(field, op, raw["value"]))
        return Window(None, _names(field, op, raw))
    if field.type is FieldType.datetime and op in (Op.in_last_days, Op.not_in_last_days):
        return _days(raw, low=1, what="days")
    return _scalar_or_range(field, op, raw)


def _names(field: Field, op: Op, raw: Any) -> tuple[str, ...]:
    if op in LIST_OPS:
        return tuple(_list(raw, lambda v: _text(field, v)))
    return (_text(field, raw),)


def _list(raw: Any, one: Any) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        raise _Bad("give a non-empty list (a JSON array)")
    if len(raw) > MAX_LIST:
        raise _Bad(f"at most {MAX_LIST} values")
    return [one(v) for v in raw]


def _scalar_or_range(field: Field, op: Op, raw: Any) -> Any:
    if op in RANGE_OPS:
        if not isinstance(raw, list) or len(raw) != 2:
            raise _Bad("give two values, [low, high]")
        return (_scalar(field, raw[0]), _scalar(field, raw[1]))
    if op in LIST_OPS:
        return tuple(_list(raw, lambda v: _scalar(field, v)))
    return _scalar(field, raw)


def _scalar(field: Field, raw: Any) -> Any:
    t = field.type
    if t in (FieldType.text, FieldType.email):
        return _text(field, raw)
    if t in (FieldType.choice, FieldType.tier):
        text = _text(field, raw)
        if field.choices is not None and text not in field.choices:
            raise _Bad(f"one of: {', '.join(field.choices)}")
        if field.id == "country" and not _COUNTRY.match(text):
            raise _Bad("a two-letter country code, e.g. DE")
        return text
    if t is FieldType.boolean:
        if isinstance(raw, bool):
            return raw
        if raw in ("true", "false"):
            return raw == "true"
        raise _Bad("true or false")
    if t in (FieldType.money, FieldType.window_money):
        return _money(raw)
    if t in (FieldType.integer, FieldType.window_count):
        return _int(raw, 0, MAX_COUNT, "a whole number")
    if t is FieldType.days:
        return _days(raw, low=0, what="a number of days")
    if t is FieldType.datetime:
        return _when(raw)
    raise _Bad("not a value this field takes")  # pragma: no cover - every type is handled above


def _text(field: Field, raw: Any) -> str:
    if not isinstance(raw, str) or not raw:
        raise _Bad("give some text")
    if len(raw) > field.max_length:
        raise _Bad(f"at most {field.max_length} characters")
    if not is_storable(raw):
        raise _Bad("must not contain NUL characters or unpaired surrogates")
    return raw


def _int(raw: Any, low: int, high: int, what: str) -> int:
    if isinstance(raw, bool):
        raise _Bad(what)
    if isinstance(raw, str) and raw.strip().isdigit() and len(raw) <= 12:
        raw = int(raw.strip())
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2**53:
        raw = int(raw)
    if not isinstance(raw, int):
        raise _Bad(what)
    if not low <= raw <= high:
        raise _Bad(f"{what} from {low} to {high}")
    return raw


def _days(raw: Any, *, low: int, what: str) -> int:
    return _int(raw, low, MAX_DAYS, what)


def _money(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise _Bad("an amount, e.g. 49.90")
    text = str(raw).strip()
    if len(text) > 32:
        raise _Bad("an amount, e.g. 49.90")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _Bad("an amount, e.g. 49.90") from None
    if not value.is_finite() or not Decimal(0) <= value <= MAX_MONEY:
        raise _Bad(f"an amount from 0 to {MAX_MONEY}")
    if value.quantize(_CENT) != value:
        raise _Bad("at most two decimal places")
    return value.quantize(_CENT)


def _when(raw: Any) -> When:
    if not isinstance(raw, str) or len(raw) > 40:
        raise _Bad("a day (YYYY-MM-DD) or a time with its offset")
    try:
        if _DAY.match(raw):
            day = dt.date.fromisoformat(raw)
            start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            end = start + dt.timedelta(days=1) if day < dt.date.max else dt.datetime.max.replace(tzinfo=dt.UTC)
            return When(start, end)
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise _Bad("a day (YYYY-MM-DD) or a time with its offset") from None
    if parsed.utcoffset() is None:
        raise _Bad("a time needs its offset, e.g. 2026-01-31T09:00:00+00:00")
    try:
        return When(parsed.astimezone(dt.UTC), None)
    except OverflowError:
        raise _Bad("a time within the years 1 to 9999") from None
