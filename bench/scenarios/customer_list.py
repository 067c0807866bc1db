"""The customer list: the first page and a page 5,000 pages deep, for every sort the UI offers, both ways.

System: `shopcrm.customers.service.list_customers` on a read session (what GET /api/customers runs:
the keyset page and the capped count). Baseline: the same page and count written by hand on asyncpg.
The deep cursor is built once in setup from the row at offset 5,000 x 25 (found by a hand query in
the same order), signed with `shopcrm.core.pagination.CursorCodec` and the settings' key, exactly as the API
would have issued it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bench.scenarios import BenchContext, Pair, add_scenario
from bench.scenarios._sql import CUSTOMER_COLUMNS, capped_count
from shopcrm.core.pagination import CursorCodec
from shopcrm.customers import service as customer_service
from shopcrm.customers.schemas import CustomerListQuery, CustomerSort

PAGE = 25
DEEP_PAGES = 5_000
TARGET_MS = 50.0


@dataclass(frozen=True)
class HandSort:
    """How the hand-written SQL orders by a sort: its expressions, and the cursor's value columns."""

    exprs: tuple[str, ...]
    unique: bool = False  # the expression alone orders rows (no id tie-breaker)
    nullable: bool = False  # NULLs last ascending, first descending (PostgreSQL's default), walked apart


HAND_SORTS: dict[CustomerSort, HandSort] = {
    CustomerSort.name: HandSort(("last_name", "first_name")),
    CustomerSort.email: HandSort(("lower(email)",), unique=True),
    CustomerSort.status: HandSort(("status",)),
    CustomerSort.country: HandSort(("country",), nullable=True),
    CustomerSort.total_spend: HandSort(("total_spend",)),
    CustomerSort.tier: HandSort(("total_spend",)),  # tiers are bands of spend
    CustomerSort.total_orders: HandSort(("total_orders",)),
    CustomerSort.created_at: HandSort(("created_at",)),
    CustomerSort.last_order_at: HandSort(("last_order_at",), nullable=True),
}


def _order_by(hs: HandSort, direction: str) -> str:
    cols = [*hs.exprs] if hs.unique else [*hs.exprs, "id"]
    return ", ".join(f"{c} {direction.upper()}" for c in cols)


async def hand_page(
    raw: Any, hs: HandSort, direction: str, after: tuple[tuple[Any, ...], int] | None, limit: int
) -> list[Any]:
    """Up to `limit` customers after the (values, id) cursor, the way the API orders them."""
    op = ">" if direction == "asc" else "<"
    n = len(hs.exprs)
    select = f"SELECT {CUSTOMER_COLUMNS} FROM customers"

    def values_sql(with_cursor: bool) -> str:
        where = [f"{hs.exprs[0]} IS NOT NULL"] if hs.nullable else []
        if with_cursor:
            if hs.unique:
                where.append(f"{hs.exprs[0]} {op} $1")
            else:
                params = ", ".join(f"${i + 1}" for i in range(n + 1))
                where.append(f"({', '.join(hs.exprs)}, id) {op} ({params})")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return f"{select}{clause} ORDER BY {_order_by(hs, direction)} LIMIT {limit}"

    if not hs.nullable:
        if after is None:
            return list(await raw.fetch(values_sql(False)))
        args = after[0] if hs.unique else (*after[0], after[1])
        return list(await raw.fetch(values_sql(True), *args))

    column = hs.exprs[0]

    async def nulls(after_id: int | None, k: int) -> list[Any]:
        by_id = f"id {direction.upper()}"
        if after_id is None:
            return list(await raw.fetch(f"{select} WHERE {column} IS NULL ORDER BY {by_id} LIMIT {k}"))
        return list(
            await raw.fetch(f"{select} WHERE {column} IS NULL AND id {op} $1 ORDER BY {by_id} LIMIT {k}", after_id)
        )

    async def values(start: tuple[tuple[Any, ...], int] | None, k: int) -> list[Any]:
        sql = values_sql(start is not None).replace(f"LIMIT {limit}", f"LIMIT {k}")
        return list(await raw.fetch(sql, *((*start[0], start[1]) if start else ())))

    in_nulls = after is not None and after[0][0] is None
    if direction == "asc":
        rows = [] if in_nulls else await values(after, limit)
        if len(rows) < limit:
            rows += await nulls(after[1] if (after and in_nulls) else None, limit - len(rows))
        return rows
    rows = await nulls(after[1] if after else None, limit) if (after is None or in_nulls) else []
    if len(rows) < limit:
        rows += await values(None if (after is None or in_nulls) else after, limit - len(rows))
    return rows


async def deep_cursor(
    raw: Any, cursors: CursorCodec, sort: CustomerSort, direction: Literal["asc", "desc"]
) -> tuple[str, tuple[Any, ...], int]:
    """The cursor of the row at offset 5,000 x 25 in this order, as the API encodes it; and its values."""
    hs = HAND_SORTS[sort]
    cols = ", ".join(f"{e} AS v{i}" for i, e in enumerate(hs.exprs))
    row = await raw.fetchrow(
        f"SELECT {cols}, id FROM customers ORDER BY {_order_by(hs, direction)} OFFSET {DEEP_PAGES * PAGE} LIMIT 1"
    )
    values = tuple(row[f"v{i}"] for i in range(len(hs.exprs)))
    cursor = cursors.encode(sort.value, direction, values, row["id"], backwards=False)
    return cursor, values, int(row["id"])


def make(sort: CustomerSort, direction: Literal["asc", "desc"], deep: bool) -> Any:
    async def factory(ctx: BenchContext) -> Pair:
        hs = HAND_SORTS[sort]
        cursors = CursorCodec(ctx.settings.signing_key)
        cursor: str | None = None
        after: tuple[tuple[Any, ...], int] | None = None
        if deep:
            cursor, values, row_id = await deep_cursor(ctx.raw, cursors, sort, direction)
            after = (values, row_id)
        query = CustomerListQuery(sort=sort, order=direction, limit=PAGE, cursor=cursor)

        async def system() -> object:
            async with ctx.database.read_sessionmaker() as session:
                page, total, _exact = await customer_service.list_customers(
                    session, query=query, settings=ctx.settings, cursors=cursors
                )
                ids = [row.Customer.id for row in page.rows]
                await session.rollback()  # as the API's read session does after the response is built
            return ids, total

        async def baseline() -> object:
            rows = await hand_page(ctx.raw, hs, direction, after, PAGE + 1)
            total = await capped_count(ctx.raw, "SELECT id FROM customers")
            return [r["id"] for r in rows[:PAGE]], total

        return Pair(system, baseline)

    return factory


for _sort in CustomerSort:
    for _direction in ("asc", "desc"):
        for _deep in (False, True):
            _where = f"page {DEEP_PAGES:,}" if _deep else "first page"
            add_scenario(
                f"customer_list {_sort.value} {_direction} {'p5000' if _deep else 'p1'}",
                make(_sort, _direction, _deep),
                description=f"customer list sorted by {_sort.value} {_direction}, {_where}: service vs hand SQL",
                n=100,
                warmup=10,
                target_p95_ms=TARGET_MS,
            )
