"""Named heavy reads over customers.

These read every customer, so they run off the request path only (customers/statistics.py stores what
they find; requests read the stored row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnClause

from shopcrm.core.engines import capabilities_of
from shopcrm.customers.models import Customer

FIFTHS = (1, 2, 3, 4)

# percentile_disc(p) returns the value at 1-based position ceil(p * n); the fifths' definition is the
# 0-based position n*i//5, i.e. the 1-based position n*i//5 + 1. Asking for i/5 plus a nudge of 1e-10 gives
# exactly that for every n below 1.9 billion: when n*i is a multiple of 5, n*i/5 + n*1e-10 rounds up to the
# next position (plain i/5 would land one position lower); otherwise n*i/5 is at least 0.2 below the next
# whole number and the nudge (at most 0.19 there) keeps it below, far above float8 rounding error either way.
PERCENTILE_NUDGE = 1e-10
_FRACTIONS: ColumnClause[Any] = literal_column(
    "ARRAY[" + ", ".join(repr(i / 5 + PERCENTILE_NUDGE) for i in FIFTHS) + "]::float8[]"
)


@dataclass(frozen=True)
class Fifths:
    """RFM fifth boundaries among the customers with orders (empty tuples when there are none)."""

    customers_with_orders: int
    last_order_at: tuple[dt.datetime, ...]  # ascending: the oldest fifth's newest last order first
    total_orders: tuple[int, ...]
    total_spend: tuple[Decimal, ...]


async def rfm_fifths(session: AsyncSession) -> Fifths:
    """Fifth boundaries of last order time, order count and spend among customers with orders, in one
    statement that reads the customers once: ordered-set aggregates where the engine has them (PostgreSQL:
    0.9 s on a million customers, against 4 s for the twelve OFFSET probes this replaced), otherwise row
    numbers over the three orders (SQLite, the embedded engine, for up to about 100,000 customers).

    Same values as `ORDER BY col OFFSET n*i//5 LIMIT 1` for i = 1..4, so scores do not depend on the engine.
    """
    if capabilities_of(session).percentiles:
        return await _fifths_by_percentiles(session)
    return await _fifths_by_row_numbers(session)


async def _fifths_by_percentiles(session: AsyncSession) -> Fifths:
    has_orders = Customer.last_order_at.is_not(None)

    def fifths(column: Any) -> Any:
        # An array of the column's type (so UTCDateTime and Money process each element).
        return type_coerce(func.percentile_disc(_FRACTIONS).within_group(column).filter(has_orders), ARRAY(column.type))

    row = (
        await session.execute(
            select(
                func.count().filter(has_orders),
                fifths(Customer.last_order_at),
                fifths(Customer.total_orders),
                fifths(Customer.total_spend),
            )
        )
    ).one()
    n, last_orders, orders, spend = row
    if not n:
        return Fifths(0, (), (), ())
    return Fifths(int(n), tuple(last_orders), tuple(int(v) for v in orders), tuple(Decimal(v) for v in spend))


async def _fifths_by_row_numbers(session: AsyncSession) -> Fifths:
    measures = (Customer.last_order_at, Customer.total_orders, Customer.total_spend)
    ranked = (
        select(
            *(m.label(f"value_{i}") for i, m in enumerate(measures)),
            *((func.row_number().over(order_by=m) - 1).label(f"position_{i}") for i, m in enumerate(measures)),
            func.count().over().label("n"),
        )
        .where(Customer.last_order_at.is_not(None))
        .subquery()
    )
    n = ranked.c.n
    boundaries = [(n * i) // 5 for i in FIFTHS]
    rows = (
        await session.execute(
            select(ranked).where(
                ranked.c.position_0.in_(boundaries)
                | ranked.c.position_1.in_(boundaries)
                | ranked.c.position_2.in_(boundaries)
            )
        )
    ).all()
    if not rows:
        return Fifths(0, (), (), ())
    count = int(rows[0].n)
    positions = [count * i // 5 for i in FIFTHS]

    def at(index: int) -> tuple[Any, ...]:
        by_position = {getattr(r, f"position_{index}"): getattr(r, f"value_{index}") for r in rows}
        return tuple(by_position[p] for p in positions)

    return Fifths(
        count,
        at(0),
        tuple(int(v) for v in at(1)),
        tuple(Decimal(v).quantize(Decimal("0.01")) for v in at(2)),
    )
