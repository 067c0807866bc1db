"""A chunk of an orders file: rows grouped into orders by order number (Shopify writes one row per line item,
the order's fields repeated or only on its first line), each order checked whole, then written set-based:

- products by SKU, created when missing (no stock, an opening ledger row of 0); a line without a SKU is the
  product of its name (SKU `NOSKU-` + a hash of the name), so the same file finds it again;
- customers by normalised email, created when missing (name from the billing or shipping name, consent from
  Accepts Marketing); an existing customer's profile is left as it is;
- orders by order number: a number already taken is left as it is (so the same file twice, or a re-run after
  a crash, changes nothing), the others inserted with their items and one status event each (the change
  record the dashboard's rollup rebuilds days from);
- the customers of the new orders get their spend, order count and first/last order times recounted from
  their orders in one statement.

Historical orders take no stock and write no stock movements: importing history is not a sale today.
An order with any bad row is not imported at all; each of its rows is reported."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.core.types import normalize_email
from shopcrm.imports import parsing, queries
from shopcrm.imports.chunk import Context, Outcome, Row, RowProblem, insert_rows, read, required
from shopcrm.imports.suppression import ERASED, refused_emails
from shopcrm.inventory.models import MovementKind
from shopcrm.orders.models import UNCOUNTED_STATUSES, OrderStatus

DEFAULT_CATEGORY = "Imported"
SHIPPING_LIMITS = {
    "shipping_name": 200,
    "shipping_address1": 200,
    "shipping_address2": 200,
    "shipping_city": 100,
    "shipping_postal_code": 20,
}


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    quantity: int
    price: Decimal


@dataclass
class Draft:
    number: str
    email: str
    placed_at: dt.datetime
    status: OrderStatus
    currency: str
    total: Decimal
    first_name: str
    last_name: str
    consent: bool
    shipping: dict[str, str | None]
    lines: list[Line]
    rows: list[int]


class Refused(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("order refused")
        self.problems = problems


def nosku(name: str) -> str:
    """The SKU of a line that has none: the same name gives the same product on every import."""
    return "NOSKU-" + hashlib.sha256(name.casefold().encode()).hexdigest()[:12].upper()


@dataclass
class _Reader:
    """Reads one order's rows, keeping the first problem of each row."""

    ctx: Context
    rows: list[Row]
    problems: dict[int, RowProblem] = field(default_factory=dict)

    def first(self, field_id: str, parse: Any) -> Any:
        """The order-level field: the first row that has it (Shopify often fills only the first line)."""
        for row, record in self.rows:
            if self.ctx.cell(record, field_id):
                return self.attempt(row, lambda r=row, rec=record: read(self.ctx, r, rec, field_id, parse))
        return None

    def attempt(self, row: int, call: Any) -> Any:
        try:
            return call()
        except RowProblem as problem:
            self.problems.setdefault(row, problem)
            return None


def _text(limit: int, what: str) -> Any:
    return partial(parsing.text_of, limit=limit, what=what)


def draft(ctx: Context, number: str, rows: list[Row]) -> Draft:
    """The order these rows describe, or Refused with a problem for every row."""
    r = _Reader(ctx, rows)
    email = _email(r, number)
    placed_at = r.first("placed_at", partial(parsing.moment, tz=ctx.tz))
    if placed_at is None and not any(ctx.cell(rec, "placed_at") for _, rec in rows):
        r.problems.setdefault(rows[0][0], RowProblem(rows[0][0], "placed_at", None, "missing required field"))
    status = r.first("status", parsing.order_status)
    if status is None and not any(ctx.cell(rec, "status") for _, rec in rows):
        status = OrderStatus(ctx.options.default_status or OrderStatus.paid.value)
    fulfilment = r.first("fulfillment_status", str)
    if status is not None and fulfilment:
        status = parsing.after_fulfilment(status, fulfilment)
    cancelled_at = r.first("cancelled_at", partial(parsing.moment, tz=ctx.tz))
    if status is not None and cancelled_at is not None and status != OrderStatus.refunded:
        status = OrderStatus.cancelled
    currency = r.first("currency", parsing.currency) or "USD"
    total = r.first("total", parsing.money)
    refunded = r.first("refunded_amount", parsing.money)
    name = r.first("customer_name", _text(200, "the name")) or r.first("shipping_name", _text(200, "the name"))
    consent = r.first("accepts_marketing", parsing.boolean)
    shipping: dict[str, str | None] = {
        key: r.first(key, _text(limit, "the value")) for key, limit in SHIPPING_LIMITS.items()
    }
    shipping["shipping_country"] = r.first("shipping_country", parsing.country)
    lines = _lines(r, total)
    amount = total if total is not None else sum((line.price * line.quantity for line in lines), Decimal(0))
    if refunded and status not in UNCOUNTED_STATUSES:
        amount = max(amount - refunded, Decimal(0))
    if amount > parsing.MAX_MONEY:
        r.problems.setdefault(rows[0][0], RowProblem(rows[0][0], "total", str(amount), "the order total is too large"))
    if r.problems:
        first_bad = min(r.problems)
        raise Refused(
            [
                r.problems.get(row)
                or RowProblem(row, "order_number", number, f"not imported: row {first_bad} of this order has a problem")
                for row, _ in rows
            ]
        )
    assert email is not None
    assert placed_at is not None
    assert status is not None
    first_name, last_name = parsing.split_name(name or "")
    return Draft(
        number=number,
        email=email,
        placed_at=placed_at,
        status=status,
        currency=currency,
        total=amount.quantize(parsing.CENT),
        first_name=first_name,
        last_name=last_name,
        consent=bool(consent),
        shipping=shipping,
        lines=lines,
        rows=[row for row, _ in rows],
    )


def _email(r: _Reader, number: str) -> str | None:
    """The order's customer; every row that names another one is a problem."""
    found: tuple[int, str] | None = None
    for row, record in r.rows:
        email = r.attempt(row, lambda row=row, record=record: read(r.ctx, row, record, "customer_email", parsing.email))
        if email is None:
            continue
        if found is None:
            found = (row, email)
        elif email != found[1]:
            reason = f"the lines of order {number} disagree about its customer (row {found[0]} names another)"
            r.problems.setdefault(row, RowProblem(row, "customer_email", r.ctx.cell(record, "customer_email"), reason))
    if found is None and not r.problems:
        row = r.rows[0][0]
        r.problems[row] = RowProblem(row, "customer_email", None, "missing required field")
    return found[1] if found else None


def _lines(r: _Reader, total: Decimal | None) -> list[Line]:
    ctx = r.ctx
    if ctx.options.product_sku:  # one row per order: booked as one line of the named product
        if total is None:
            row = r.rows[0][0]
            r.problems.setdefault(row, RowProblem(row, "total", None, "missing required field"))
            return []
        return [Line(ctx.options.product_sku, ctx.options.product_name or ctx.options.product_sku, 1, total)]
    lines = []
    for row, record in r.rows:
        sku = r.attempt(row, lambda row=row, record=record: read(ctx, row, record, "sku", _text(64, "the SKU")))
        name = r.attempt(row, lambda row=row, rec=record: read(ctx, row, rec, "product_name", _text(200, "the name")))
        if not ctx.cell(record, "sku") and not ctx.cell(record, "product_name"):
            r.problems.setdefault(row, RowProblem(row, "sku", None, "missing required field: a SKU or a product name"))
        quantity = 1
        if ctx.has("quantity"):
            quantity = r.attempt(
                row,
                lambda row=row, rec=record: required(
                    ctx, row, rec, "quantity", partial(parsing.count, minimum=1, what="quantity")
                ),
            )
        price = r.attempt(row, lambda row=row, record=record: required(ctx, row, record, "price", parsing.money))
        if row not in r.problems:
            label = name or sku or ""
            lines.append(Line(sku or nosku(label), label, quantity, price))
    return lines


def prepare(ctx: Context, rows: list[Row]) -> tuple[list[Draft], Outcome]:
    """The chunk's orders, each checked whole, and the rows of those that cannot be imported (no database
    needed, so the job runs it outside the chunk's transaction)."""
    out = Outcome(ctx)
    groups: dict[str, list[Row]] = {}
    for row, record in rows:
        number = ctx.cell(record, "order_number")
        if not number:
            out.fail(RowProblem(row, "order_number", None, "missing required field"))
        elif len(number) > 64:
            out.fail(RowProblem(row, "order_number", number, "the order number is longer than 64 characters"))
        else:
            groups.setdefault(number, []).append((row, record))
    drafts: list[Draft] = []
    for number, group in groups.items():
        try:
            drafts.append(draft(ctx, number, group))
        except Refused as refused:
            for problem in refused.problems:
                out.fail(problem)
    return drafts, out


async def write(session: AsyncSession, ctx: Context, drafts: list[Draft], out: Outcome) -> Outcome:
    refused = await refused_emails(session, {d.email for d in drafts})
    if refused:
        for d in drafts:
            if d.email in refused:
                for row in d.rows:
                    out.fail(RowProblem(row, "customer_email", None, ERASED))
        drafts = [d for d in drafts if d.email not in refused]
    if drafts:
        await _write(await session.connection(), ctx, drafts, out)
    return out


async def _write(conn: AsyncConnection, ctx: Context, drafts: list[Draft], out: Outcome) -> None:
    products = await _products(conn, ctx, drafts)
    customers = await _customers(conn, ctx, drafts)
    taken = set((await conn.execute(queries.known_order_numbers([d.number for d in drafts], ctx.caps))).scalars())
    fresh = [d for d in drafts if d.number not in taken]
    created: dict[str, int] = {}
    if fresh:
        inserted = await insert_rows(
            conn,
            ctx.caps,
            queries.orders,
            [_order_row(d, customers[d.email], ctx) for d in fresh],
            skip_conflicts=True,
            returning=("id", "order_number"),
        )
        created = {number: order_id for order_id, number in inserted}
    written = [d for d in fresh if d.number in created]
    for d in drafts:
        if d.number in created:
            out.imported += len(d.rows)
        else:
            out.unchanged += len(d.rows)
    if not written:
        return
    await insert_rows(
        conn,
        ctx.caps,
        queries.order_items,
        [
            {
                "order_id": created[d.number],
                "product_id": products[line.sku],
                "customer_id": customers[d.email],
                "quantity": line.quantity,
                "price": line.price,
            }
            for d in written
            for line in d.lines
        ],
    )
    await insert_rows(
        conn,
        ctx.caps,
        queries.status_events,
        [
            {
                "order_id": created[d.number],
                "customer_id": customers[d.email],
                "from_status": None,
                "to_status": d.status.value,
                "changed_at": ctx.now,
                "changed_by_user_id": None,
            }
            for d in written
        ],
    )
    buyers = sorted({customers[d.email] for d in written})
    if ctx.caps.row_locks:
        await conn.execute(queries.lock_customers(buyers, ctx.caps))
    await conn.execute(queries.recount_customers(buyers, ctx.caps, ctx.now))


def _order_row(d: Draft, customer_id: int, ctx: Context) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "order_number": d.number,
        "placed_at": d.placed_at,
        "status": d.status.value,
        "total_amount": d.total,
        "currency": d.currency,
        **d.shipping,
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }


async def _products(conn: AsyncConnection, ctx: Context, drafts: Iterable[Draft]) -> dict[str, int]:
    """SKU -> product id for every line, creating the products that are missing (no stock)."""
    wanted: dict[str, Line] = {}
    for d in drafts:
        for line in d.lines:
            wanted.setdefault(line.sku, line)
    found = {sku: pid for pid, sku in (await conn.execute(queries.products_by_sku(list(wanted), ctx.caps))).all()}
    missing = [line for sku, line in wanted.items() if sku not in found]
    if missing:
        table = queries.products
        created = await insert_rows(
            conn,
            ctx.caps,
            table,
            [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "category": DEFAULT_CATEGORY,
                    "price": line.price,
                    "cost": None,
                    "stock": 0,
                    "low_stock_threshold": queries.product_default("low_stock_threshold"),
                    "reorder_lead_days": queries.product_default("reorder_lead_days"),
                    "created_at": ctx.now,
                    "updated_at": ctx.now,
                }
                for line in missing
            ],
            skip_conflicts=True,
            returning=("id", "sku"),
        )
        if created:
            await insert_rows(
                conn,
                ctx.caps,
                queries.stock_movements,
                [
                    {
                        "product_id": pid,
                        "kind": MovementKind.opening.value,
                        "quantity": 0,
                        "stock_after": 0,
                        "order_id": None,
                        "user_id": None,
                        "reason": f"created by import {ctx.import_id}",
                        "created_at": ctx.now,
                    }
                    for pid, _ in created
                ],
            )
        found.update({sku: pid for pid, sku in created})
        late = [line.sku for line in missing if line.sku not in found]
        if late:  # created by someone else meanwhile
            found.update({sku: pid for pid, sku in (await conn.execute(queries.products_by_sku(late, ctx.caps))).all()})
    return found


async def _customers(conn: AsyncConnection, ctx: Context, drafts: list[Draft]) -> dict[str, int]:
    """Normalised email -> customer id for every order, creating the customers that are missing."""
    first: dict[str, Draft] = {}
    for d in drafts:
        first.setdefault(d.email, d)
    found = {
        normalize_email(email): cid
        for cid, email in (await conn.execute(queries.customers_by_email(first, ctx.caps))).all()
    }
    missing = [d for email, d in first.items() if email not in found]
    if missing:
        table = queries.customers
        created = await insert_rows(
            conn,
            ctx.caps,
            table,
            [
                {
                    "email": d.email,
                    "first_name": d.first_name or (d.email.split("@", 1)[0][:100] if not d.last_name else ""),
                    "last_name": d.last_name,
                    "phone": None,
                    "status": "active",
                    "city": d.shipping.get("shipping_city"),
                    "country": d.shipping.get("shipping_country"),
                    "email_consent": d.consent,
                    "unsubscribed_at": None,
                    "total_spend": 0,
                    "total_orders": 0,
                    "created_at": ctx.now,
                    "updated_at": ctx.now,
                }
                for d in missing
            ],
            skip_conflicts=True,
            returning=("id", "email"),
        )
        found.update({email: cid for cid, email in created})
        late = [d.email for d in missing if d.email not in found]
        if late:
            rows = (await conn.execute(queries.customers_by_email(late, ctx.caps))).all()
            found.update({normalize_email(email): cid for cid, email in rows})
    return found
