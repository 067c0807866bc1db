"""Shared checks for the inventory tests."""

from __future__ import annotations

from sqlalchemy import text

from shopcrm.db import Database


async def ledger_mismatches(database: Database) -> list[tuple[int, int, int]]:
    """Products whose stock is not the sum of their movements, or whose last movement's stock_after is not
    their stock: (id, stock, sum)."""
    async with database.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    """
                    SELECT p.id, p.stock, coalesce(m.total, 0) FROM products p
                    LEFT JOIN (SELECT product_id, sum(quantity) AS total, max(id) AS last_id
                               FROM stock_movements GROUP BY product_id) m ON m.product_id = p.id
                    LEFT JOIN stock_movements l ON l.id = m.last_id
                    WHERE p.stock <> coalesce(m.total, 0) OR p.stock <> coalesce(l.stock_after, -1) OR p.stock < 0
                    """
                )
            )
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]
