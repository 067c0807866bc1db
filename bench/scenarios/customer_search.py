"""Customer search through HTTP (`GET /api/customers?q=`), first page in the default order (created_at desc).

Terms come from real customers picked at random (so common names come up as often as they do in the
data): the start of an email (up to 8 characters, before the @), a whole email, and a last name. The floor
runs the same search branch by hand (bench/floor.py) with the capped count.
"""

from __future__ import annotations

from itertools import cycle
from typing import Any
from urllib.parse import urlencode

from bench.scenarios import BenchContext, Pair, scenario
from bench.scenarios._http import capped_total, http_pair

PAGE = 25
TERMS = 40
TARGET_MS = 50.0


async def random_values(ctx: BenchContext, column: str, k: int = TERMS) -> list[str]:
    assert ctx.rows is not None
    ids = [ctx.rng.randint(1, ctx.counts["customers"]) for _ in range(k)]
    found = {}
    for customer_id in ids:
        rows = await ctx.rows.fetch(f"SELECT {column} AS v FROM customers WHERE id = $1", customer_id)
        found[customer_id] = rows[0]["v"]
    return [found[i] for i in ids]


def _project(answer: dict[str, Any]) -> object:
    return [int(i["id"]) for i in answer["items"]], capped_total(answer["total"], answer["total_exact"])


def search_pair(ctx: BenchContext, terms: list[str]) -> Pair:
    return http_pair(
        ctx,
        (f"/api/customers?{urlencode({'q': t, 'limit': PAGE})}" for t in cycle(terms)),
        (f"/bench-floor/customers?{urlencode({'q': t, 'limit': PAGE})}" for t in cycle(terms)),
        _project,
        _project,
    )


@scenario(
    "customer_search email_prefix",
    description="search by the first (up to) 8 characters of a customer's email, before the @",
    n=120,
    warmup=TERMS,
    target_p95_ms=TARGET_MS,
)
async def email_prefix(ctx: BenchContext) -> Pair:
    emails = await random_values(ctx, "email")
    return search_pair(ctx, [e[: min(8, e.index("@"))] for e in emails])


@scenario(
    "customer_search email_full",
    description="search by a customer's whole email (the @ branch)",
    n=120,
    warmup=TERMS,
    target_p95_ms=TARGET_MS,
)
async def email_full(ctx: BenchContext) -> Pair:
    return search_pair(ctx, await random_values(ctx, "email"))


@scenario(
    "customer_search last_name",
    description="search by a customer's last name",
    n=120,
    warmup=TERMS,
    target_p95_ms=TARGET_MS,
)
async def last_name(ctx: BenchContext) -> Pair:
    names = await random_values(ctx, "last_name")
    # A last name with a space in it ("van Dijk") takes the two-word branch; keep to one-word names.
    return search_pair(ctx, [n for n in names if " " not in n.strip()] or names[:1])
