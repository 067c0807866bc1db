"""A chunk of a products file, matched by SKU: new products inserted with an opening row in the stock ledger
(their stock as it stands), existing ones updated only where the file differs. A different stock for an
existing product is a count: the stock is set and a `correction` ledger row written, so a product's stock
stays the sum of its ledger rows. The same file twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.imports import parsing, queries
from shopcrm.imports.chunk import Context, Outcome, Row, RowProblem, among, execute_rows, insert_rows, read, required
from shopcrm.inventory.models import MovementKind

EDITABLE = ("name", "category", "price", "cost", "low_stock_threshold", "reorder_lead_days")
DEFAULT_CATEGORY = "Imported"


@dataclass
class Item:
    sku: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _parse(ctx: Context, row: int, record: list[str]) -> tuple[str, dict[str, Any]]:
    sku = required(ctx, row, record, "sku", partial(parsing.text_of, limit=64, what="the SKU"))
    values = {
        "name": read(ctx, row, record, "name", partial(parsing.text_of, limit=200, what="the name")),
        "category": read(ctx, row, record, "category", partial(parsing.text_of, limit=64, what="the category")),
        "price": read(ctx, row, record, "price", parsing.money),
        "cost": read(ctx, row, record, "cost", parsing.money),
        "stock": read(ctx, row, record, "stock", partial(parsing.count, what="stock")),
        "low_stock_threshold": read(ctx, row, record, "low_stock_threshold", partial(parsing.count, what="threshold")),
        "reorder_lead_days": read(ctx, row, record, "reorder_lead_days", partial(parsing.count, what="day count")),
    }
    return sku, {k: v for k, v in values.items() if v is not None}


def prepare(ctx: Context, rows: list[Row]) -> tuple[dict[str, Item], Outcome]:
    """The chunk's products, folded by SKU, and the rows that could not be read (no database needed)."""
    out = Outcome(ctx)
    items: dict[str, Item] = {}
    for row, record in rows:
        try:
            sku, values = _parse(ctx, row, record)
        except RowProblem as problem:
            out.fail(problem)
            continue
        item = items.setdefault(sku, Item(sku))
        item.rows.append(row)
        item.values.update(values)
    return items, out


async def write(session: AsyncSession, ctx: Context, items: dict[str, Item], out: Outcome) -> Outcome:
    if not items:
        return out

    conn = await session.connection()
    table = queries.products
    # Locked (PostgreSQL), so an order taking stock meanwhile cannot slip between the read and the count.
    query = select(table).where(among(table.c.sku, list(items), ctx.caps, table.c.sku.type)).order_by(table.c.id)
    stored = (await conn.execute(query.with_for_update() if ctx.caps.row_locks else query)).mappings()
    existing = {r["sku"]: dict(r) for r in stored}

    new = []
    for sku, item in items.items():
        if sku in existing:
            continue
        missing = [f for f in ("name", "price") if f not in item.values]
        if missing:
            for row in item.rows:
                out.fail(RowProblem(row, missing[0], None, "missing required field (a new product needs it)"))
            continue
        new.append(item)
    if new:
        created = await insert_rows(
            conn, ctx.caps, table, [_new_row(item, ctx) for item in new], skip_conflicts=True, returning=("id", "stock")
        )
        await _ledger(conn, [(pid, MovementKind.opening, stock, stock) for pid, stock in created], ctx)
        out.imported += sum(len(item.rows) for item in new)

    changes, counts = [], []
    for sku, item in items.items():
        current = existing.get(sku)
        if current is None:
            continue
        after = {name: item.values.get(name, current[name]) for name in EDITABLE}
        stock = item.values.get("stock", current["stock"])
        if stock != current["stock"]:
            counts.append((current["id"], MovementKind.correction, stock - current["stock"], stock))
        if stock == current["stock"] and all(after[k] == current[k] for k in EDITABLE):
            out.unchanged += len(item.rows)
            continue
        changes.append({"b_id": current["id"], "v_stock": stock, **{f"v_{k}": v for k, v in after.items()}})
        out.imported += len(item.rows)
    if changes:
        await execute_rows(
            conn,
            ctx.caps,
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({**{c: bindparam(f"v_{c}") for c in (*EDITABLE, "stock")}, "updated_at": ctx.now}),
            changes,
        )
    await _ledger(conn, counts, ctx)
    return out


def _new_row(item: Item, ctx: Context) -> dict[str, Any]:
    values = item.values
    return {
        "sku": item.sku,
        "name": values["name"],
        "category": values.get("category", DEFAULT_CATEGORY),
        "price": values["price"],
        "cost": values.get("cost"),
        "stock": values.get("stock", 0),
        "low_stock_threshold": values.get("low_stock_threshold", queries.product_default("low_stock_threshold")),
        "reorder_lead_days": values.get("reorder_lead_days", queries.product_default("reorder_lead_days")),
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }


async def _ledger(conn: Any, moves: list[tuple[int, MovementKind, int, int]], ctx: Context) -> None:
    """The ledger rows of the chunk's stock changes: (product, kind, quantity, stock after)."""
    if not moves:
        return
    await insert_rows(
        conn,
        ctx.caps,
        queries.stock_movements,
        [
            {
                "product_id": product_id,
                "kind": kind.value,
                "quantity": quantity,
                "stock_after": after,
                "order_id": None,
                "user_id": None,
                "reason": f"import {ctx.import_id}",
                "created_at": ctx.now,
            }
            for product_id, kind, quantity, after in moves
        ],
    )
