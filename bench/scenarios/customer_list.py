"""The customer list through HTTP: the first page and a page 5,000 pages deep, for every sort the UI offers,
both ways. System: `GET /api/customers`. Floor: `GET /bench-floor/customers` (bench/floor.py), the same page
and capped count by hand on the raw driver.

The deep cursor is built once in setup from the row at offset 5,000 x 25 (found by a hand query in the
product's order: NULLs last ascending, first descending), signed with `CursorCodec` and the server's key,
exactly as the API would have issued it; the floor gets the same row's values as plain JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from itertools import repeat
from typing import Any, Literal
from urllib.parse import urlencode

from bench.floor import SORTS, _json_default
from bench.scenarios import BenchContext, Pair, add_scenario
from bench.scenarios._http import capped_total, http_pair
from shopcrm.core.pagination import CursorCodec
from shopcrm.customers.schemas import CustomerSort

PAGE = 25
DEEP_PAGES = 5_000
TARGET_MS = 50.0


async def deep_row(ctx: BenchContext, sort: CustomerSort, direction: Literal["asc", "desc"]) -> list[Any]:
    """[sort values..., id] of the row at offset 5,000 x 25 in the product's order."""
    assert ctx.rows is not None
    exprs, unique, nullable = SORTS[sort.value]
    keys = [*exprs] if unique else [*exprs, "id"]
    order_by = ", ".join(f"{k} {direction.upper()}" for k in keys)
    if nullable:  # NULLs last ascending, first descending, on either engine
        nulls_rank = f"CASE WHEN {exprs[0]} IS NULL THEN 1 ELSE 0 END"
        order_by = f"{nulls_rank} {'ASC' if direction == 'asc' else 'DESC'}, {order_by}"
    cols = ", ".join(f"{e} AS v{i}" for i, e in enumerate(exprs))
    offset = min(DEEP_PAGES * PAGE, ctx.counts["customers"] // 2)  # a small set: half-way down
    row = (await ctx.rows.fetch(f"SELECT {cols}, id FROM customers ORDER BY {order_by} LIMIT 1 OFFSET {offset}"))[0]
    return [*(row[f"v{i}"] for i in range(len(exprs))), row["id"]]


def _as_product_value(expr: str, value: Any, sqlite: bool) -> Any:
    """sqlite3 hands back stored text for times and floats for amounts; the product's cursors hold datetimes
    and decimals (asyncpg's values already are)."""
    if not sqlite or value is None:
        return value
    if expr in ("created_at", "last_order_at"):
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    if expr == "total_spend":
        return Decimal(str(value))
    return value


def _ids(items: list[dict[str, Any]]) -> list[int]:
    return [int(item["id"]) for item in items]


def make(sort: CustomerSort, direction: Literal["asc", "desc"], deep: bool) -> Any:
    async def factory(ctx: BenchContext) -> Pair:
        product: dict[str, Any] = {"sort": sort.value, "order": direction, "limit": PAGE}
        floor = dict(product)
        if deep:
            values = await deep_row(ctx, sort, direction)
            cursors = CursorCodec(ctx.settings.signing_key)
            sqlite = bool(ctx.rows and ctx.rows.sqlite)
            exprs = SORTS[sort.value][0]
            typed = tuple(_as_product_value(e, v, sqlite) for e, v in zip(exprs, values[:-1], strict=True))
            product["cursor"] = cursors.encode(sort.value, direction, typed, values[-1], backwards=False)
            floor["after"] = json.dumps(values, default=_json_default)
        return http_pair(
            ctx,
            repeat(f"/api/customers?{urlencode(product)}"),
            repeat(f"/bench-floor/customers?{urlencode(floor)}"),
            lambda a: (_ids(a["items"]), capped_total(a["total"], a["total_exact"])),
            lambda b: (_ids(b["items"]), capped_total(b["total"], b["total_exact"])),
        )

    return factory


for _sort in CustomerSort:
    for _direction in ("asc", "desc"):
        for _deep in (False, True):
            _where = f"page {DEEP_PAGES:,}" if _deep else "first page"
            add_scenario(
                f"customer_list {_sort.value} {_direction} {'p5000' if _deep else 'p1'}",
                make(_sort, _direction, _deep),
                description=f"GET /api/customers sorted by {_sort.value} {_direction}, {_where}",
                n=100,
                warmup=10,
                target_p95_ms=TARGET_MS,
            )
