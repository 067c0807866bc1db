"""A chunk of a customers file: rows read and folded by normalised email (a later row of the same person adds
to or overrides an earlier one, as it would in a later chunk), new customers inserted, existing ones updated
only where the file says something different, so the same file twice changes nothing.

Spend, order counts and order times are never read from the file: they come from orders. Consent: `no` on a
consenting customer is an unsubscribe (as in the API); `yes` never re-subscribes someone who unsubscribed."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.core.types import normalize_email
from shopcrm.customers.models import Customer, CustomerStatus
from shopcrm.imports import parsing, queries
from shopcrm.imports.chunk import Context, Outcome, Row, RowProblem, among, execute_rows, insert_rows, read, required
from shopcrm.imports.suppression import ERASED, refused_emails

PROFILE = ("first_name", "last_name", "phone", "status", "city", "country")


def _status(text: str) -> str:
    value = text.strip().lower()
    if value not in {s.value for s in CustomerStatus}:
        raise parsing.BadValue("unknown status (active, inactive or archived)")
    return value


@dataclass
class Person:
    email: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _parse(ctx: Context, row: int, record: list[str]) -> tuple[str, dict[str, Any]]:
    email = required(ctx, row, record, "email", parsing.email)
    values = {
        "first_name": read(ctx, row, record, "first_name", partial(parsing.text_of, limit=100, what="the name")),
        "last_name": read(ctx, row, record, "last_name", partial(parsing.text_of, limit=100, what="the name")),
        "phone": read(ctx, row, record, "phone", parsing.phone),
        "status": read(ctx, row, record, "status", _status),
        "city": read(ctx, row, record, "city", partial(parsing.text_of, limit=100, what="the city")),
        "country": read(ctx, row, record, "country", parsing.country),
        "email_consent": read(ctx, row, record, "email_consent", parsing.boolean),
        "created_at": read(ctx, row, record, "created_at", partial(parsing.moment, tz=ctx.tz)),
    }
    return email, {k: v for k, v in values.items() if v is not None}


def prepare(ctx: Context, rows: list[Row]) -> tuple[dict[str, Person], Outcome]:
    """The chunk's people, folded by email, and the rows that could not be read (no database needed)."""
    out = Outcome(ctx)
    people: dict[str, Person] = {}
    for row, record in rows:
        try:
            email, values = _parse(ctx, row, record)
        except RowProblem as problem:
            out.fail(problem)
            continue
        person = people.setdefault(email, Person(email))
        person.rows.append(row)
        person.values.update(values)
    return people, out


async def write(session: AsyncSession, ctx: Context, people: dict[str, Person], out: Outcome) -> Outcome:
    for email in await refused_emails(session, list(people)):
        for row in people.pop(email).rows:
            out.fail(RowProblem(row, "email", None, ERASED))
    if not people:
        return out

    conn = await session.connection()
    stored = (
        await conn.execute(
            select(Customer.__table__).where(
                among(func.lower(Customer.email), list(people), ctx.caps, Customer.__table__.c.email.type)
            )
        )
    ).mappings()
    existing = {normalize_email(r["email"]): dict(r) for r in stored}

    new = [p for email, p in people.items() if email not in existing]
    if new:
        await insert_rows(conn, ctx.caps, queries.customers, [_new_row(p, ctx) for p in new], skip_conflicts=True)
        out.imported += sum(len(p.rows) for p in new)

    changes = []
    for email, person in people.items():
        if email not in existing:
            continue
        change = _change(existing[email], person.values, ctx)
        if change is None:
            out.unchanged += len(person.rows)
        else:
            changes.append(change)
            out.imported += len(person.rows)
    if changes:
        columns = (*PROFILE, "email_consent", "unsubscribed_at")
        await execute_rows(
            conn,
            ctx.caps,
            update(queries.customers)
            .where(queries.customers.c.id == bindparam("b_id"))
            .values({**{c: bindparam(f"v_{c}") for c in columns}, "updated_at": ctx.now}),
            changes,
        )
    return out


def _new_row(person: Person, ctx: Context) -> dict[str, Any]:
    values = person.values
    first, last = values.get("first_name"), values.get("last_name")
    if first is None and last is None:
        first = person.email.split("@", 1)[0][:100]  # a name is required; the address is what we know
    return {
        "email": person.email,
        "first_name": first or "",
        "last_name": last or "",
        "phone": values.get("phone"),
        "status": values.get("status", CustomerStatus.active.value),
        "city": values.get("city"),
        "country": values.get("country"),
        "email_consent": bool(values.get("email_consent", False)),
        "unsubscribed_at": None,
        "total_spend": 0,
        "total_orders": 0,
        "created_at": values.get("created_at", ctx.now),
        "updated_at": ctx.now,
    }


def _change(current: dict[str, Any], values: dict[str, Any], ctx: Context) -> dict[str, Any] | None:
    """The full profile to write when the file changes anything of it, else None."""
    after = {name: current[name] for name in (*PROFILE, "email_consent", "unsubscribed_at")}
    for name in PROFILE:
        if name in values:
            after[name] = values[name]
    consent = values.get("email_consent")
    if consent is False and current["email_consent"]:
        after["email_consent"], after["unsubscribed_at"] = False, ctx.now
    elif consent is True and not current["email_consent"] and current["unsubscribed_at"] is None:
        after["email_consent"] = True
    if all(after[k] == current[k] for k in after):
        return None
    return {"b_id": current["id"], **{f"v_{k}": v for k, v in after.items()}}
