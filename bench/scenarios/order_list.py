"""The orders page through HTTP: the first page of each status tab (and "all"), with and without a search
for a customer, with every tab's count. System: `GET /api/orders`. Floor: `GET /bench-floor/orders`, the same
page and capped counts by hand (bench/floor.py).

The search term is the most common last name in the data (the hardest case: on the large set, 7.5% of
customers) and, in a separate row, last names of random customers.
"""

from __future__ import annotations

from itertools import cycle, repeat
from typing import Any
from urllib.parse import urlencode

from bench.floor import STATUSES
from bench.scenarios import BenchContext, Pair, add_scenario
from bench.scenarios._http import http_pair
from bench.scenarios.customer_search import random_values

PAGE = 25
TARGET_MS = 50.0


def _product(a: dict[str, Any]) -> object:
    counts = {k: (n, a["status_counts_exact"][k]) for k, n in a["status_counts"].items()}
    return [i["id"] for i in a["items"]], counts


def _floor(b: dict[str, Any]) -> object:
    counts = {k: (n, b["exact"].get(k, True)) for k, n in b["status_counts"].items()}
    return [i["id"] for i in b["items"]], counts


def _same(a: Any, b: Any) -> bool:
    """The same page, and the same count on every tab both counted exactly (estimates may differ)."""
    (ids_a, counts_a), (ids_b, counts_b) = a, b
    both = [k for k, (_, exact) in counts_a.items() if exact and counts_b.get(k, (0, False))[1]]
    return ids_a == ids_b and all(counts_a[k][0] == counts_b[k][0] for k in both)


async def most_common_last_name(ctx: BenchContext) -> str:
    assert ctx.rows is not None
    rows = await ctx.rows.fetch("SELECT last_name FROM customers GROUP BY last_name ORDER BY count(*) DESC LIMIT 1")
    return str(rows[0]["last_name"])


def _paths(prefix: str, status: str | None, terms: Any) -> Any:
    for term in terms:
        params: dict[str, Any] = {"limit": PAGE}
        if status:
            params["status"] = status
        if term:
            params["q"] = term
        yield f"{prefix}?{urlencode(params)}"


def make(status: str | None, search: str | None) -> Any:
    async def factory(ctx: BenchContext) -> Pair:
        if search == "common":
            terms: Any = repeat(await most_common_last_name(ctx))
        elif search == "random":
            names = [n for n in await random_values(ctx, "last_name") if " " not in n.strip()]
            terms = cycle(names)
        else:
            terms = repeat(None)
        product_terms, floor_terms = (terms, terms) if search != "random" else (cycle(names), cycle(names))
        return http_pair(
            ctx,
            _paths("/api/orders", status, product_terms),
            _paths("/bench-floor/orders", status, floor_terms),
            _product,
            _floor,
            same=_same,
        )

    return factory


for _status in (None, *STATUSES):
    for _search in (None, "common"):
        _label = f"order_list {_status or 'all'}" + (" q=most common last name" if _search else "")
        add_scenario(
            _label,
            make(_status, _search),
            description=f"GET /api/orders, tab {_status or 'all'}"
            + (", searching the commonest name" if _search else ""),
            n=60,
            warmup=5,
            target_p95_ms=TARGET_MS,
        )
add_scenario(
    "order_list all q=random last name",
    make(None, "random"),
    description="GET /api/orders searching the last names of random customers",
    n=80,
    warmup=40,
    target_p95_ms=TARGET_MS,
)
