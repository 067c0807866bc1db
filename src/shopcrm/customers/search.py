"""Customer search: what a person types into the search box, turned into index-friendly conditions."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_

from shopcrm.customers.models import Customer


def like_prefix(text: str, *, upper: bool = False) -> str:
    """A LIKE pattern matching values that start with `text`, lower-cased (or upper-cased), its own % and _
    taken literally. Compare it with lower(column) (or upper(column)), which the prefix indexes cover."""
    folded = text.upper() if upper else text.lower()
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def search_condition(q: str) -> ColumnElement[bool] | None:
    """Prefix search, case-insensitive, shaped by what was typed so each branch can use an index."""
    q = " ".join(q.split())
    if not q:
        return None
    if "@" in q:
        return func.lower(Customer.email).like(like_prefix(q), escape="\\")
    digits = q.replace(" ", "").replace("-", "")
    if digits.lstrip("+").isdigit():
        return Customer.phone.like(like_prefix(digits if digits.startswith("+") else "+" + digits), escape="\\")
    first, _, rest = q.partition(" ")
    if rest:  # "ann smi": first-name prefix and last-name prefix, or a last name with a space in it
        return or_(
            (func.lower(Customer.first_name) == first.lower())
            & func.lower(Customer.last_name).like(like_prefix(rest), escape="\\"),
            func.lower(Customer.last_name).like(like_prefix(q), escape="\\"),
        )
    pattern = like_prefix(q)
    return or_(
        func.lower(Customer.last_name).like(pattern, escape="\\"),
        func.lower(Customer.first_name).like(pattern, escape="\\"),
        func.lower(Customer.email).like(pattern, escape="\\"),
    )
