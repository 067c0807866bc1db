"""Named heavy reads over customers."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.customers.insights import Quintiles
from shopcrm.customers.models import Customer


@dataclass
class QuintileCache:
    """RFM fifths across all customers, recomputed at most every `ttl_s` seconds per process."""

    ttl_s: float = 600.0
    _value: Quintiles | None = None
    _at: float = field(default=0.0)

    async def get(self, session: AsyncSession) -> Quintiles | None:
        if self._value is None or time.monotonic() - self._at > self.ttl_s:
            self._value = await rfm_quintiles(session)
            self._at = time.monotonic()
        return self._value


async def rfm_quintiles(session: AsyncSession) -> Quintiles | None:
    """Fifth boundaries of recency, frequency and spend among customers with orders.

    Each boundary is one index seek (ORDER BY col LIMIT 1 OFFSET k on the sort indexes), so this works
    the same on SQLite and PostgreSQL and needs no percentile functions.
    """
    has_orders = Customer.last_order_at.is_not(None)
    n = int(await session.scalar(select(func.count()).select_from(Customer).where(has_orders)) or 0)
    if n == 0:
        return None
    now = dt.datetime.now(dt.UTC)

    async def bounds(column: Any) -> tuple[Any, ...]:
        values = []
        for i in range(1, 5):
            values.append(
                await session.scalar(select(column).where(has_orders).order_by(column).offset(n * i // 5).limit(1))
            )
        return tuple(values)

    last_orders = await bounds(Customer.last_order_at)
    # Recency in days, ascending (most recent first), from the newest-first order of last_order_at.
    recency = tuple(sorted((now - t).total_seconds() / 86400 for t in last_orders))
    frequency = tuple(float(v) for v in await bounds(Customer.total_orders))
    monetary = tuple(float(v) for v in await bounds(Customer.total_spend))
    return Quintiles(recency_days=recency, frequency=frequency, monetary=monetary, customers=n, computed_at=now)
