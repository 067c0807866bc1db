"""The floor: the product's read pages answered the shortest way, for `make bench` only.

Each route answers the same request as a product route (same server, same middleware, same login check)
with SQL written by hand, run on the raw driver (asyncpg on PostgreSQL, sqlite3 on SQLite), its rows put
straight into JSON. What the product spends above this is the price of its layers: SQLAlchemy, pydantic,
response building, and how many statements it needs. Mounted by bench/floor_app.py only; never part of
`shopcrm.main`.

SQL is written once with `$n` parameters; on SQLite they become `?n`, which sqlite3 binds the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated, Any, Literal

import asyncpg
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from pyroaring import BitMap64
from sqlalchemy.engine import make_url

from shopcrm.auth.deps import CurrentUser
from shopcrm.core import csv_formats
from shopcrm.core.counting import COUNT_CAP
from shopcrm.core.csv_export import csv_lines
from shopcrm.customers.search import like_prefix, prefix_successor
from shopcrm.customers.service import SEARCH_IDS
from shopcrm.orders.models import UNCOUNTED_SQL
from shopcrm.orders.service import (
    SAMPLE_CUSTOMERS,
    SAMPLE_SCALE_CAP,
    SEARCH_CUSTOMERS,
    SEARCH_ORDER_ROWS,
    SEARCH_ORDERS,
)

router = APIRouter(prefix="/bench-floor", include_in_schema=False)

CUSTOMER_COLUMNS = (
    "id, first_name, last_name, email, phone, status, total_spend, total_orders, first_order_at, last_order_at, "
    "city, country, email_consent, unsubscribed_at, created_at, updated_at"
)
ORDER_COLUMNS = (
    "o.id, o.customer_id, o.order_number, o.placed_at, o.status, o.total_amount, o.currency, "
    "(SELECT count(*) FROM order_items i WHERE i.order_id = o.id) AS item_count"
)
STATUSES = ("pending", "paid", "processing", "shipped", "delivered", "cancelled", "refunded")

# Sort expressions as the product orders them; `nullable` sorts are walked as two segments like the product's.
SORTS: dict[str, tuple[tuple[str, ...], bool, bool]] = {  # exprs, unique, nullable
    "name": (("last_name", "first_name"), False, False),
    "email": (("lower(email)",), True, False),
    "status": (("status",), False, False),
    "country": (("country",), False, True),
    "total_spend": (("total_spend",), False, False),
    "tier": (("total_spend",), False, False),
    "total_orders": (("total_orders",), False, False),
    "created_at": (("created_at",), False, False),
    "last_order_at": (("last_order_at",), False, True),
}


_TYPES: dict[str, Any] = {
    "total_spend": Decimal,
    "created_at": dt.datetime.fromisoformat,
    "last_order_at": dt.datetime.fromisoformat,
}


def _typed(values: list[Any], exprs: tuple[str, ...], raw: Raw) -> list[Any]:
    """A cursor's values as the driver binds them: asyncpg wants datetimes and decimals, not their text
    (sqlite3 gets back exactly what it gave)."""
    if raw.sqlite:
        return values
    return [_TYPES[e](v) if v is not None and e in _TYPES else v for e, v in zip((*exprs, "id"), values, strict=True)]


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _answer(payload: Any) -> Response:
    return Response(json.dumps(payload, default=_json_default), media_type="application/json")


class Raw:
    """Rows as dicts from the raw driver of the app's database."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        self.url = parsed
        self._pool: Any = None
        self._conn: sqlite3.Connection | None = None

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        if self.sqlite:
            if self._conn is None:
                self._conn = sqlite3.connect(self.url.database or ":memory:", check_same_thread=False)
                self._conn.row_factory = sqlite3.Row
            # A floor for a single-client benchmark: the query runs on the event loop (no thread hop).
            rows = self._conn.execute(re.sub(r"\$(\d+)", r"?\1", sql), args).fetchall()
            return [dict(r) for r in rows]
        if self._pool is None:
            dsn = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
            # JIT off, as the product's read engine has it (shopcrm/db.py): the floor plans what an expert
            # would, not what the server's default JIT threshold makes of it.
            self._pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4, server_settings={"jit": "off"})
        async with self._pool.acquire() as conn:
            return [dict(r) for r in await conn.fetch(sql, *args)]

    async def stream(self, sql: str, batch: int) -> AsyncIterator[list[tuple[Any, ...]]]:
        """Rows in batches from a server-side cursor (sqlite3: a cursor's fetchmany), one snapshot."""
        if self.sqlite:
            conn = sqlite3.connect(self.url.database or ":memory:", check_same_thread=False)
            try:
                cursor = conn.execute(sql)
                while rows := cursor.fetchmany(batch):
                    yield rows
            finally:
                conn.close()
            return
        if self._pool is None:
            dsn = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
        async with self._pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            rows: list[tuple[Any, ...]] = []
            async for record in conn.cursor(sql, prefetch=batch):
                rows.append(tuple(record))
                if len(rows) == batch:
                    yield rows
                    rows = []
            if rows:
                yield rows

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        if self._conn is not None:
            self._conn.close()


def _raw(request: Request) -> Raw:
    raw: Raw | None = getattr(request.app.state, "floor_raw", None)
    if raw is None:
        raw = request.app.state.floor_raw = Raw(request.app.state.settings.database_url)
    return raw


def _search_branches(q: str, first: int, sqlite: bool) -> tuple[list[str], list[Any]]:
    """The product's search branches (customers/search.py) as hand SQL on $first, $first+1, ...: a prefix
    LIKE on PostgreSQL (text_pattern_ops indexes), a range on SQLite (its expression indexes)."""
    q = " ".join(q.split())
    args: list[Any] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${first + len(args) - 1}"

    def starts(column: str, prefix: str) -> str:
        if not sqlite:
            return f"{column} LIKE {arg(like_prefix(prefix))} ESCAPE '\\'"
        upper = prefix_successor(prefix.lower())
        low = f"{column} >= {arg(prefix.lower())}"
        return low if upper is None else f"({low} AND {column} < {arg(upper)})"

    if "@" in q:
        return [starts("lower(email)", q)], args
    digits = q.replace(" ", "").replace("-", "")
    if digits.lstrip("+").isdigit():
        return [starts("phone", digits if digits.startswith("+") else "+" + digits)], args
    head, _, rest = q.partition(" ")
    if rest:
        return [
            f"(lower(first_name) = {arg(head.lower())} AND {starts('lower(last_name)', rest)})",
            starts("lower(last_name)", q),
        ], args
    return [starts("lower(last_name)", q), starts("lower(first_name)", q), starts("lower(email)", q)], args


def _search(q: str, first: int, sqlite: bool) -> tuple[str, list[Any]]:
    branches, args = _search_branches(q, first, sqlite)
    return "(" + " OR ".join(branches) + ")", args


async def _found_ids(raw: Raw, q: str, limit: int) -> tuple[list[int], int, bool]:
    """PostgreSQL: the customers a search finds, at most `limit`, one index-only scan per branch, as one
    array; with their orders (total_orders) and whether that is all of them."""
    branches, args = _search_branches(q, 1, raw.sqlite)
    union = " UNION ALL ".join(f"SELECT id, total_orders FROM customers WHERE {b}" for b in branches)
    row = (
        await raw.fetch(
            "SELECT array_agg(DISTINCT id) AS ids, count(*) AS n, coalesce(sum(total_orders), 0) AS orders "
            f"FROM ({union} LIMIT {limit + 1}) s",
            *args,
        )
    )[0]
    return list(row["ids"] or ()), int(row["orders"]), row["n"] <= limit


async def _capped(raw: Raw, select_one: str, args: list[Any]) -> tuple[int, bool]:
    n = (await raw.fetch(f"SELECT count(*) AS n FROM ({select_one} LIMIT {COUNT_CAP + 1}) s", *args))[0]["n"]
    return (int(n), True) if n <= COUNT_CAP else (COUNT_CAP + 1, False)


@router.get("/customers")
async def customers(
    request: Request,
    _: CurrentUser,
    sort: str = "created_at",
    order: Literal["asc", "desc"] = "desc",
    q: str | None = None,
    after: Annotated[str | None, Query(description="JSON [sort values..., id] of the row before the page")] = None,
    limit: int = 25,
) -> Response:
    raw = _raw(request)
    exprs, unique, nullable = SORTS[sort]
    where, args = _search(q, 1, raw.sqlite) if q else ("", [])
    known: tuple[int, bool] | None = None  # the total, when the search's customers were found first
    if q and not raw.sqlite:
        ids, _, complete = await _found_ids(raw, q, SEARCH_IDS)
        if complete:
            where, args, known = "id = ANY($1::bigint[])", [ids], (len(ids), True)
        else:
            known = (SEARCH_IDS + 1, False)
    op = ">" if order == "asc" else "<"
    keys = [*exprs] if unique else [*exprs, "id"]
    order_by = ", ".join(f"{k} {order.upper()}" for k in keys)
    start = _typed(json.loads(after), exprs, raw) if after else None

    def page_sql(extra: list[str], by: str, k: int) -> str:
        conds = [c for c in (where, *extra) if c]
        clause = f" WHERE {' AND '.join(conds)}" if conds else ""
        return f"SELECT {CUSTOMER_COLUMNS} FROM customers{clause} ORDER BY {by} LIMIT {k}"

    def after_values(values: list[Any]) -> tuple[str, list[Any]]:
        n = len(args)
        if unique:
            return f"{exprs[0]} {op} ${n + 1}", [values[0]]
        cols = ", ".join(keys)
        params = ", ".join(f"${n + i + 1}" for i in range(len(keys)))
        return f"({cols}) {op} ({params})", values

    rows: list[dict[str, Any]]
    if not nullable:
        extra, extra_args = after_values(start) if start else ("", [])
        rows = await raw.fetch(page_sql([extra], order_by, limit + 1), *args, *extra_args)
    else:
        column = exprs[0]
        in_nulls = start is not None and start[0] is None
        by_id = f"id {order.upper()}"

        async def values(k: int) -> list[dict[str, Any]]:
            extra, extra_args = after_values(start) if start and not in_nulls else ("", [])
            return await raw.fetch(page_sql([f"{column} IS NOT NULL", extra], order_by, k), *args, *extra_args)

        async def nulls(k: int) -> list[dict[str, Any]]:
            extra, extra_args = (f"id {op} ${len(args) + 1}", [start[-1]]) if in_nulls and start else ("", [])
            return await raw.fetch(page_sql([f"{column} IS NULL", extra], by_id, k), *args, *extra_args)

        if order == "asc":
            rows = [] if in_nulls else await values(limit + 1)
            if len(rows) <= limit:
                rows += await nulls(limit + 1 - len(rows))
        else:
            rows = await nulls(limit + 1) if (start is None or in_nulls) else []
            if len(rows) <= limit:
                rows += await values(limit + 1 - len(rows))
    total, exact = known or await _capped(raw, f"SELECT 1 FROM customers{' WHERE ' + where if where else ''}", args)
    items = rows[:limit]
    last = items[-1] if len(rows) > limit else None
    columns = [k.removeprefix("lower(").removesuffix(")") for k in (*exprs, "id")]
    return _answer(
        {
            "items": items,
            "total": total,
            "total_exact": exact,
            "next_cursor": [last[c] for c in columns] if last else None,
        }
    )


@router.get("/customers.csv")
async def customers_csv(
    request: Request, _: CurrentUser, sort: str = "created_at", order: Literal["asc", "desc"] = "desc"
) -> StreamingResponse:
    """The whole customer list as CSV in the product's columns and order, streamed from a cursor by hand."""
    raw = _raw(request)
    exprs, unique, nullable = SORTS[sort]
    direction = order.upper()
    if nullable:
        nulls = "LAST" if order == "asc" else "FIRST"
        order_by = f"{exprs[0]} {direction} NULLS {nulls}, id {direction}"
    else:
        order_by = ", ".join(f"{k} {direction}" for k in ([*exprs] if unique else [*exprs, "id"]))
    sql = f"SELECT {', '.join(csv_formats.CUSTOMERS)} FROM customers ORDER BY {order_by}"

    async def body() -> AsyncIterator[str]:
        yield csv_lines([csv_formats.CUSTOMERS])
        async for rows in raw.stream(sql, 1000):
            yield csv_lines(rows)

    return StreamingResponse(body(), media_type="text/csv; charset=utf-8")


@router.get("/customers/{customer_id}/details")
async def customer_details(request: Request, _: CurrentUser, customer_id: int) -> Response:
    raw = _raw(request)
    found = await raw.fetch(f"SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = $1", customer_id)
    if not found:
        return Response(status_code=404)
    counted = f"status NOT IN {UNCOUNTED_SQL}"
    recent = await raw.fetch(
        f"SELECT {ORDER_COLUMNS} FROM orders o WHERE o.customer_id = $1 ORDER BY o.placed_at DESC, o.id DESC LIMIT 10",
        customer_id,
    )
    times = await raw.fetch(
        f"SELECT placed_at FROM orders WHERE customer_id = $1 AND {counted} ORDER BY placed_at", customer_id
    )
    spend = await raw.fetch(
        "SELECT p.category, sum(i.quantity * i.price) AS spend FROM order_items i "
        "JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id "
        f"WHERE i.customer_id = $1 AND o.{counted} GROUP BY p.category",
        customer_id,
    )
    # The stored RFM fifths the scores are ranked against (customers/statistics.py), as the product reads them.
    fifths = await raw.fetch("SELECT * FROM customer_statistics WHERE id = 1")
    by_category = {r["category"]: Decimal(str(r["spend"])) for r in spend}
    favourite = max(sorted(by_category), key=by_category.__getitem__) if by_category else None
    return _answer(
        {
            "customer": found[0],
            "recent_orders": recent,
            "order_times": [r["placed_at"] for r in times],
            "category_spend": spend,
            "favourite_category": favourite,
            "rfm_fifths": fifths[0] if fifths else None,
        }
    )


@router.get("/orders")
async def orders(
    request: Request,
    _: CurrentUser,
    status: str | None = None,
    q: str | None = None,
    limit: int = 25,
) -> Response:
    """First page of an order tab (newest first) and every tab's count, by the product's rules (a search's
    customers found once; few and light ones counted exactly, the rest estimated), written by hand."""
    raw = _raw(request)
    where: list[str] = []
    args: list[Any] = []
    counted = False  # every tab counted exactly from the customers found
    estimate_where: list[str] | None = None  # the search as the planner estimates it, if not `where`
    if q:
        search, search_args = _search(q, 1, raw.sqlite)
        if raw.sqlite:
            found = await raw.fetch(
                f"SELECT id, total_orders FROM customers WHERE {search} LIMIT {SEARCH_CUSTOMERS + 1}", *search_args
            )
            ids, orders_found = [r["id"] for r in found], sum(r["total_orders"] for r in found)
            complete = len(found) <= SEARCH_CUSTOMERS
        else:
            ids, orders_found, complete = await _found_ids(raw, q, SEARCH_IDS)
        if not ids:
            return _answer({"items": [], "status_counts": dict.fromkeys([*STATUSES, "all"], 0), "exact": {}})
        if complete and len(ids) <= SEARCH_CUSTOMERS:
            where.append(f"o.customer_id IN ({', '.join(str(int(i)) for i in ids)})")
            counted = orders_found <= SEARCH_ORDERS
        elif complete:
            where.append("o.customer_id = ANY($1::bigint[])")
            args = [ids]
            estimate_where = [f"o.customer_id IN (SELECT id FROM customers WHERE {search})"]
            estimate_args = search_args
        elif raw.sqlite and orders_found >= SEARCH_ORDERS:
            # The newest orders walked, the matches kept (unary + keeps SQLite off the customer index).
            where.append(f"+o.customer_id IN (SELECT id FROM customers WHERE {search})")
            args = search_args
        else:
            where.append(f"o.customer_id IN (SELECT id FROM customers WHERE {search})")
            args = search_args
    tab = [*where, f"o.status = ${len(args) + 1}"] if status else where
    clause = f" WHERE {' AND '.join(tab)}" if tab else ""
    rows = await raw.fetch(
        f"SELECT {ORDER_COLUMNS}, c.first_name, c.last_name, c.email FROM orders o "
        f"JOIN customers c ON c.id = o.customer_id{clause} ORDER BY o.placed_at DESC, o.id DESC LIMIT {limit + 1}",
        *args,
        *([status] if status else []),
    )
    counts: dict[str, int]
    exact: dict[str, bool]
    if counted:
        found_counts = await raw.fetch(
            f"SELECT status, count(*) AS n FROM (SELECT o.status FROM orders o WHERE {' AND '.join(where)} "
            f"LIMIT {SEARCH_ORDER_ROWS + 1}) s GROUP BY status"
        )
        counts = {s: 0 for s in STATUSES} | {r["status"]: int(r["n"]) for r in found_counts}
        exact = dict.fromkeys(counts, sum(counts.values()) <= SEARCH_ORDER_ROWS)
    elif raw.sqlite and q:
        # No statistics to estimate from: the product's way, by hand. The orders of the first
        # SAMPLE_CUSTOMERS customers found, by status, scaled by how many customers match (counted up to a cap).
        sample = ", ".join(str(int(r["id"])) for r in found[:SAMPLE_CUSTOMERS])
        by_status = await raw.fetch(
            f"SELECT status, count(*) AS n FROM (SELECT o.status FROM orders o WHERE o.customer_id IN ({sample}) "
            f"LIMIT {SEARCH_ORDER_ROWS + 1}) s GROUP BY status"
        )
        matching = await raw.fetch(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM customers WHERE {search} LIMIT {SAMPLE_SCALE_CAP}) s",
            *search_args,
        )
        scale = int(matching[0]["n"]) / min(len(found), SAMPLE_CUSTOMERS)
        counts = {s: 0 for s in STATUSES} | {r["status"]: round(int(r["n"]) * scale) for r in by_status}
        exact = dict.fromkeys(counts, False)
    elif raw.sqlite:
        # Each tab counted up to the cap, in one statement (the product's capped counts without estimates).
        capped = " UNION ALL ".join(
            f"SELECT '{s}' AS status, (SELECT count(*) FROM (SELECT 1 FROM orders o WHERE o.status = '{s}' "
            f"LIMIT {COUNT_CAP + 1}) x) AS n"
            for s in STATUSES
        )
        counts = {r["status"]: int(r["n"]) for r in await raw.fetch(capped)}
        exact = {name: n <= COUNT_CAP for name, n in counts.items()}
    else:
        # PostgreSQL's statistics: the share of each status (pg_stats) of the rows the filter is estimated to
        # leave (pg_class, or one EXPLAIN under a search); estimates, as the product's are here.
        shares = await raw.fetch(
            "SELECT most_common_vals::text::text[] AS vals, most_common_freqs AS freqs FROM pg_stats "
            "WHERE tablename = 'orders' AND attname = 'status'"
        )
        if estimate_where is not None:
            plan = await raw.fetch(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM orders o WHERE {' AND '.join(estimate_where)}", *estimate_args
            )
            rows_left = int(json.loads(plan[0]["QUERY PLAN"])[0]["Plan"]["Plan Rows"])
        elif where:
            plan = await raw.fetch(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM orders o WHERE {' AND '.join(where)}", *args)
            rows_left = int(json.loads(plan[0]["QUERY PLAN"])[0]["Plan"]["Plan Rows"])
        else:
            rows_left = int(
                (await raw.fetch("SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'orders'"))[0]["n"]
            )
        share = dict(zip(shares[0]["vals"], shares[0]["freqs"], strict=True)) if shares else {}
        counts = {s: round(rows_left * share.get(s, 0.0)) for s in STATUSES}
        exact = dict.fromkeys(counts, False)
        if not where:
            # The product's rule with no filter: a tab estimated within the cap is counted, exactly up to it.
            small = [s for s in STATUSES if counts[s] <= COUNT_CAP]
            if small:
                counted = await raw.fetch(
                    " UNION ALL ".join(
                        f"SELECT '{s}' AS status, (SELECT count(*) FROM (SELECT 1 FROM orders o WHERE o.status = "
                        f"'{s}' LIMIT {COUNT_CAP + 1}) x) AS n"
                        for s in small
                    )
                )
                for r in counted:
                    n = int(r["n"])
                    counts[r["status"]], exact[r["status"]] = (
                        (n, True) if n <= COUNT_CAP else (max(counts[r["status"]], COUNT_CAP + 1), False)
                    )
    counts["all"] = sum(counts[s] for s in STATUSES)
    exact["all"] = all(exact[s] for s in STATUSES)
    return _answer({"items": rows[:limit], "status_counts": counts, "exact": exact, "next": len(rows) > limit})


@router.get("/orders/{order_id}")
async def order_details(request: Request, _: CurrentUser, order_id: int) -> Response:
    raw = _raw(request)
    found = await raw.fetch(
        "SELECT o.*, c.first_name, c.last_name, c.email, c.phone, c.total_orders, c.total_spend "
        "FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1",
        order_id,
    )
    if not found:
        return Response(status_code=404)
    items = await raw.fetch(
        "SELECT i.id, i.product_id, i.quantity, i.price, p.name, p.sku FROM order_items i "
        "JOIN products p ON p.id = i.product_id WHERE i.order_id = $1 ORDER BY i.id",
        order_id,
    )
    history = await raw.fetch(
        "SELECT e.id, e.from_status, e.to_status, e.changed_at, u.full_name FROM order_status_events e "
        "LEFT JOIN users u ON u.id = e.changed_by_user_id WHERE e.order_id = $1 ORDER BY e.changed_at, e.id",
        order_id,
    )
    return _answer({"order": found[0], "items": items, "history": history})


# --- segments: the ten bench segments (bench/scenarios/segments.py) by hand ----------------------------
# What an expert writes for each segment's preview: the count, the first page (newest customers first, the
# columns the product shows) and each top-level rule's count alone and running under the combinator.
# - A segment of one behaviour rule is its set of customers, computed once (a MATERIALIZED CTE) for the count
#   and the page: the count is the set's size (every order's customer exists), no pass over customers.
# - A segment of one plain rule is `count(*) WHERE rule`, which the planner may answer from an index.
# - Several rules: one pass over customers with a FILTERed count per rule and per running prefix.
# The tiers in gold_plus_us_gb are the default spend floors (gold from 1,000, platinum from 5,000): "gold or
# platinum" is one range. `{now}` and `{ago:N}` become the request's instant and N days before it.

# Counted statuses listed, so a window of counted orders is ranges of the status/time index.
_COUNTED = "o.status IN ('pending', 'paid', 'processing', 'shipped', 'delivered')"
_WINDOW = "o.placed_at >= {ago:%d} AND o.placed_at <= {now}"
_PAGE = f"SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE %s ORDER BY created_at DESC, id DESC LIMIT 25"


class SetFloor:
    """One behaviour rule: the customers (distinct ids) of `members`, counted and paged in one statement."""

    def __init__(self, members: str) -> None:
        self.members = members


class RulesFloor:
    """Top-level rules over the customer row, combined with `combinator`."""

    def __init__(self, combinator: Literal["and", "or"], *rules: str) -> None:
        self.combinator = combinator
        self.rules = list(rules)


SEGMENT_FLOORS: dict[str, SetFloor | RulesFloor] = {
    "profile": RulesFloor("and", "country = 'DE'", "email_consent", "status = 'active'"),
    "spend_range": RulesFloor("and", "total_spend BETWEEN 200 AND 1000"),
    "ordered_30d": RulesFloor("and", "last_order_at >= {ago:30} AND last_order_at <= {now}"),
    "footwear_90d": SetFloor(
        "SELECT DISTINCT i.customer_id FROM orders o JOIN order_items i ON i.order_id = o.id "
        "JOIN products p ON p.id = i.product_id "
        f"WHERE p.category = 'Footwear' AND {_WINDOW % 90} AND {_COUNTED}"
    ),
    "3_orders_90d": SetFloor(
        f"SELECT o.customer_id FROM orders o WHERE {_WINDOW % 90} AND {_COUNTED} "
        "GROUP BY o.customer_id HAVING count(*) >= 3"
    ),
    "gold_plus_us_gb": RulesFloor("and", "total_spend >= 1000", "country IN ('US', 'GB')"),
    "not_us_or_no_consent": RulesFloor("and", "(country IS NULL OR country <> 'US') AND email_consent"),
    "lapsed_regulars": RulesFloor("and", "last_order_at <= {ago:180}", "total_orders >= 2"),
    "spend_30d": SetFloor(
        f"SELECT o.customer_id FROM orders o WHERE {_WINDOW % 30} AND {_COUNTED} "
        # In cents: exact on SQLite too, where amounts add up as binary floats.
        "GROUP BY o.customer_id HAVING sum(round(o.total_amount * 100)) > 10000"
    ),
    "san_new": RulesFloor("or", "lower(city) LIKE '%san%'", "created_at >= {ago:365} AND created_at <= {now}"),
}


def _instants(sql: str, now: dt.datetime, sqlite: bool) -> str:
    def literal(t: dt.datetime) -> str:
        if sqlite:  # stored as naive UTC text
            return "'" + t.astimezone(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") + "'"
        return "'" + t.isoformat() + "'::timestamptz"

    sql = sql.replace("{now}", literal(now))
    return re.sub(r"\{ago:(\d+)\}", lambda m: literal(now - dt.timedelta(days=int(m.group(1)))), sql)


async def _set_preview(raw: Raw, members: str) -> tuple[int, list[dict[str, Any]], list[list[int]]]:
    # The page by key (PostgreSQL): the members looked up by id, then the newest 25; joined, the planner
    # merged the set with all of customers in id order.
    page = "id = ANY(ARRAY(SELECT customer_id FROM s))" if not raw.sqlite else "id IN (SELECT customer_id FROM s)"
    rows = await raw.fetch(
        f"WITH s AS MATERIALIZED ({members}), n AS (SELECT count(*) AS n FROM s) "
        f"SELECT n.n AS n_, p.* FROM n LEFT JOIN ({_PAGE % page}) p ON true "
        "ORDER BY p.created_at DESC, p.id DESC"
    )
    n = rows[0]["n_"]
    items = [{k: v for k, v in r.items() if k != "n_"} for r in rows if r["id"] is not None]
    return n, items, [[n, n]]


async def _rules_preview(
    raw: Raw, floor: RulesFloor, now: dt.datetime
) -> tuple[int, list[dict[str, Any]], list[list[int]]]:
    conds = [f"({_instants(r, now, raw.sqlite)})" for r in floor.rules]
    joiner = " AND " if floor.combinator == "and" else " OR "
    whole = joiner.join(conds)
    if len(conds) == 1:
        n = (await raw.fetch(f"SELECT count(*) AS n FROM customers WHERE {whole}"))[0]["n"]
        counts = [[n, n]]
    else:
        running = [joiner.join(conds[: i + 1]) for i in range(1, len(conds))]
        aggregates = [f"count(*) FILTER (WHERE {c})" for c in (*conds, *running)]
        row = (await raw.fetch(f"SELECT {', '.join(f'{a} AS c{i}' for i, a in enumerate(aggregates))} FROM customers"))[
            0
        ]
        k = len(conds)
        alone = [row[f"c{i}"] for i in range(k)]
        counts = [[alone[0], alone[0]], *([alone[i], row[f"c{k + i - 1}"]] for i in range(1, k))]
        n = counts[-1][1]
    items = await raw.fetch(_PAGE % whole)
    return n, items, counts


@router.get("/segments/{name}")
async def segment_preview(request: Request, _: CurrentUser, name: str) -> Response:
    raw = _raw(request)
    floor = SEGMENT_FLOORS[name]
    now = dt.datetime.now(dt.UTC)
    if isinstance(floor, SetFloor):
        n, items, counts = await _set_preview(raw, _instants(floor.members, now, raw.sqlite))
    else:
        n, items, counts = await _rules_preview(raw, floor, now)
    return _answer({"count": n, "items": items, "ids": [r["id"] for r in items], "rule_counts": counts})


def _instant(raw: Raw, day: dt.date) -> Any:
    """The UTC midnight starting `day` as the driver binds it (the bench runs the store in UTC)."""
    return f"{day.isoformat()} 00:00:00" if raw.sqlite else dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _day(raw: Raw, day: dt.date) -> Any:
    return day.isoformat() if raw.sqlite else day


@router.get("/dashboard")
async def dashboard(
    request: Request,
    _: CurrentUser,
    period: Literal["7d", "30d", "90d", "custom"] = "30d",
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
) -> Response:
    """The whole dashboard by hand over the same rollup (UTC days): rolled-up days from daily_*, today and the
    days touched after the rollup's watermark from orders; active customers as the union of the days' customer
    sets; the top products from the period's stored totals when no closed day of it is touched. A custom
    period (`from`, `to`: the bench's valid ones only) is the same reads over its days."""
    raw = _raw(request)
    today = dt.datetime.now(dt.UTC).date()
    if period == "custom":
        assert date_from is not None
        assert date_to is not None
        n, last = (date_to - date_from).days + 1, date_to
    else:
        n, last = int(period[:-1]), today
    first, prev_first = last - dt.timedelta(days=n - 1), last - dt.timedelta(days=2 * n - 1)
    # The last closed day the period's top lists read from the rollup.
    closed = min(last, today - dt.timedelta(days=1))
    state = await raw.fetch("SELECT event_watermark FROM analytics_rollup_state WHERE id = 1")
    touched = await raw.fetch(
        "SELECT DISTINCT placed_at FROM orders WHERE id IN (SELECT order_id FROM order_status_events WHERE id > $1)",
        state[0]["event_watermark"] if state else 0,
    )
    live = {today} | {
        (dt.datetime.fromisoformat(t["placed_at"]) if raw.sqlite else t["placed_at"]).date() for t in touched
    }
    live = {d for d in live if prev_first <= d <= last}
    sales = {"now": Decimal("0"), "before": Decimal("0")}
    orders = {"now": 0, "before": 0}
    by_status: dict[str, int] = dict.fromkeys(STATUSES, 0)
    series: dict[dt.date, list[Any]] = {first + dt.timedelta(days=i): [Decimal("0"), 0] for i in range(n)}

    def add(day: dt.date, status: str, count: int, amount: Any) -> None:
        key = "now" if day >= first else "before"
        if key == "now":
            by_status[status] += count
        if status in ("cancelled", "refunded"):
            return
        sales[key] += Decimal(str(amount))
        orders[key] += count
        if key == "now":
            series[day][0] += Decimal(str(amount))
            series[day][1] += count

    for row in await raw.fetch(
        "SELECT day, status, orders AS n, sales AS s FROM daily_sales WHERE day >= $1 AND day <= $2",
        _day(raw, prev_first),
        _day(raw, last),
    ):
        day = dt.date.fromisoformat(row["day"]) if raw.sqlite else row["day"]
        if day not in live:
            add(day, row["status"], row["n"], row["s"])
    live_customers: dict[str, list[int]] = {"now": [], "before": []}
    for day in sorted(live):
        start, end = _instant(raw, day), _instant(raw, day + dt.timedelta(days=1))
        for row in await raw.fetch(
            "SELECT status, count(*) AS n, coalesce(sum(total_amount), 0) AS s FROM orders WHERE placed_at >= $1 "
            "AND placed_at < $2 GROUP BY status",
            start,
            end,
        ):
            add(day, row["status"], row["n"], row["s"])
        ids = await raw.fetch(
            f"SELECT DISTINCT customer_id FROM orders WHERE placed_at >= $1 AND placed_at < $2 "
            f"AND status NOT IN {UNCOUNTED_SQL}",
            start,
            end,
        )
        live_customers["now" if day >= first else "before"] += [r["customer_id"] for r in ids]
    packed: dict[str, list[bytes]] = {"now": [], "before": []}
    for row in await raw.fetch(
        "SELECT day, ids FROM daily_customers WHERE day >= $1 AND day <= $2", _day(raw, prev_first), _day(raw, last)
    ):
        day = dt.date.fromisoformat(row["day"]) if raw.sqlite else row["day"]
        if day not in live:
            packed["now" if day >= first else "before"].append(row["ids"])
    active = {
        key: len(BitMap64.union(*(BitMap64.deserialize(b) for b in packed[key]), BitMap64(live_customers[key])))
        for key in packed
    }
    bounds = (_instant(raw, prev_first), _instant(raw, first), _instant(raw, last + dt.timedelta(days=1)))
    new = {
        key: (
            await raw.fetch(
                "SELECT count(*) AS n FROM customers WHERE first_order_at >= $1 AND first_order_at < $2", lo, hi
            )
        )[0]["n"]
        for key, lo, hi in (("before", bounds[0], bounds[1]), ("now", bounds[1], bounds[2]))
    }
    window = await raw.fetch("SELECT first_day, last_day FROM period_windows WHERE days = $1", n)
    stored = (
        period != "custom"
        and bool(window)
        and [str(window[0]["first_day"]), str(window[0]["last_day"])]
        == [
            first.isoformat(),
            (today - dt.timedelta(days=1)).isoformat(),
        ]
    )
    if stored and live == {today}:
        top = await raw.fetch(
            "SELECT t.product_id, t.units, t.sales, p.name, p.sku, p.category FROM period_product_sales t "
            "JOIN products p ON p.id = t.product_id WHERE t.days = $1 ORDER BY t.sales DESC, t.product_id LIMIT 5",
            n,
        )
    else:
        top = await raw.fetch(
            "SELECT t.product_id, t.units, t.sales, p.name, p.sku, p.category FROM (SELECT product_id, "
            "sum(units) AS units, sum(sales) AS sales FROM daily_product_sales WHERE day >= $1 AND day <= $2 "
            "GROUP BY product_id ORDER BY sales DESC, product_id LIMIT 5) t JOIN products p ON p.id = t.product_id "
            "ORDER BY t.sales DESC, t.product_id",
            _day(raw, first),
            _day(raw, closed),
        )
    categories = await raw.fetch(
        "SELECT category, sum(units) AS units, sum(sales) AS sales FROM daily_category_sales WHERE day >= $1 "
        "AND day <= $2 GROUP BY category ORDER BY sales DESC, category LIMIT 5",
        _day(raw, first),
        _day(raw, closed),
    )
    alerts = await raw.fetch(
        "SELECT count(*) AS n FROM products p LEFT JOIN product_forecasts f ON f.product_id = p.id "
        "AND f.need_rank = 4 WHERE p.stock <= p.low_stock_threshold OR f.product_id IS NOT NULL"
    )
    return _answer(
        {
            "sales": str(sales["now"].quantize(Decimal("0.01"))),
            "previous_sales": str(sales["before"].quantize(Decimal("0.01"))),
            "orders": orders["now"],
            "previous_orders": orders["before"],
            "active": active["now"],
            "previous_active": active["before"],
            "new": new["now"],
            "previous_new": new["before"],
            "top": [r["product_id"] for r in top],
            "top_products": top,
            "top_categories": categories,
            "orders_by_status": by_status,
            "series": [[d.isoformat(), str(s), k] for d, (s, k) in sorted(series.items())],
            "stock_alerts": alerts[0]["n"],
        }
    )


PRODUCT_COLUMNS = "id, name, sku, price, cost, stock, category, low_stock_threshold, reorder_lead_days"
FORECAST_SORTS = {"need": "need_rank", "days_of_cover": "days_of_cover"}
STOCK_STATES = {"out": "stock <= 0", "low": "stock > 0 AND stock <= low_stock_threshold"}


def _money_arg(raw: Raw, value: str) -> Any:
    return value if raw.sqlite else Decimal(value)


async def _product_filter(
    raw: Raw, q: str | None, category: list[str] | None, min_price: str | None, max_price: str | None, state: str | None
) -> tuple[str, list[Any]]:
    """The inventory filters as a WHERE clause; an unknown category is checked as the product checks it."""
    conds: list[str] = []
    args: list[Any] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if q:
        pattern = like_prefix(q)
        conds.append(f"(lower(name) LIKE {arg(pattern)} ESCAPE '\\' OR lower(sku) LIKE {arg(pattern)} ESCAPE '\\')")
    if category:
        own = ", ".join(f"${i + 1}" for i in range(len(category)))
        known = await raw.fetch(f"SELECT DISTINCT category FROM products WHERE category IN ({own})", *category)
        listed = ", ".join(arg(c) for c in category)
        assert len(known) == len(set(category)), "the bench asks for categories that exist"
        conds.append(f"category IN ({listed})")
    if min_price:
        conds.append(f"price >= {arg(_money_arg(raw, min_price))}")
    if max_price:
        conds.append(f"price <= {arg(_money_arg(raw, max_price))}")
    if state:
        conds.append(f"({STOCK_STATES[state]})")
    return (f" WHERE {' AND '.join(conds)}" if conds else ""), args


@router.get("/inventory")
async def inventory(
    request: Request,
    _: CurrentUser,
    sort: str = "name",
    order: Literal["asc", "desc"] = "asc",
    q: str | None = None,
    category: Annotated[list[str] | None, Query()] = None,
    min_price: str | None = None,
    max_price: str | None = None,
    stock_state: str | None = None,
    limit: int = 25,
) -> Response:
    """First page of the inventory list and its capped count, by hand."""
    raw = _raw(request)
    where, args = await _product_filter(raw, q, category, min_price, max_price, stock_state)
    direction = order.upper()
    source = "products"
    if sort in FORECAST_SORTS:  # the stored forecast's column, NULL for a product without one
        source = (
            f"(SELECT products.*, f.{FORECAST_SORTS[sort]} AS {sort} FROM products "
            "LEFT JOIN product_forecasts f ON f.product_id = products.id) products"
        )
    keys = [sort] if sort == "sku" else [sort, "id"]
    order_by = ", ".join(f"{k} {direction}" for k in keys)
    if sort == "need":  # no need level yet: last both ways
        order_by = f"{sort} IS NULL, {order_by}" if raw.sqlite else f"{sort} {direction} NULLS LAST, id {direction}"
    elif sort in ("cost", "days_of_cover") and raw.sqlite:  # NULLs last ascending, first descending, as on PG
        order_by = f"{sort} IS NULL {direction}, {order_by}"
    rows = await raw.fetch(
        f"SELECT {PRODUCT_COLUMNS} FROM {source}{where} ORDER BY {order_by} LIMIT {limit + 1}", *args
    )
    counted = (
        await raw.fetch(f"SELECT count(*) AS n FROM (SELECT 1 FROM products{where} LIMIT {COUNT_CAP + 1}) x", *args)
    )[0]["n"]
    return _answer({"items": rows[:limit], "total": counted, "exact": counted <= COUNT_CAP})


@router.get("/inventory/stats")
async def inventory_stats(request: Request, _: CurrentUser) -> Response:
    """Stock figures per category (the totals are their sums) and the most urgent alerts, by hand."""
    raw = _raw(request)
    categories = await raw.fetch(
        "SELECT category, count(*) AS products, coalesce(sum(stock), 0) AS units, "
        "coalesce(sum(stock * coalesce(cost, 0)), 0) AS value_at_cost, "
        "coalesce(sum(stock * price), 0) AS value_at_price, "
        "sum(CASE WHEN cost IS NULL THEN 1 ELSE 0 END) AS without_cost, "
        "sum(CASE WHEN stock > 0 AND stock <= low_stock_threshold THEN 1 ELSE 0 END) AS low, "
        "sum(CASE WHEN stock <= 0 THEN 1 ELSE 0 END) AS out FROM products GROUP BY category ORDER BY category"
    )
    # Out, low, or in stock but running out before the lead time (a critical forecast); most urgent first: out,
    # then the fewest days of cover (none after those with one), the least stock per unit of threshold, ...
    alerts = await raw.fetch(
        "SELECT p.id FROM products p LEFT JOIN product_forecasts f ON f.product_id = p.id "
        "WHERE p.stock <= p.low_stock_threshold OR f.need_rank = 4 ORDER BY p.stock > 0, "
        "f.days_of_cover IS NULL, f.days_of_cover, coalesce(p.stock * 1.0 / nullif(p.low_stock_threshold, 0), 0), "
        "p.stock, p.name, p.id LIMIT 50"
    )
    return _answer(
        {
            "products": sum(c["products"] for c in categories),
            "units": sum(c["units"] for c in categories),
            "low": sum(c["low"] for c in categories),
            "out": sum(c["out"] for c in categories),
            "categories": categories,
            "alerts": [a["id"] for a in alerts],
        }
    )


@router.get("/inventory.csv")
async def inventory_csv(request: Request, _: CurrentUser) -> Response:
    """Every product as CSV by hand: one read, written out whole (the floor need not stream)."""
    raw = _raw(request)
    rows = await raw.fetch(f"SELECT {PRODUCT_COLUMNS} FROM products ORDER BY name, id")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["id", "sku", "name", "category", "price", "cost", "stock", "low_stock_threshold", "reorder_lead_days"]
    )
    for r in rows:
        writer.writerow(
            [
                r["id"],
                r["sku"],
                r["name"],
                r["category"],
                r["price"],
                r["cost"],
                r["stock"],
                r["low_stock_threshold"],
                r["reorder_lead_days"],
            ]
        )
    return Response(out.getvalue(), media_type="text/csv")
