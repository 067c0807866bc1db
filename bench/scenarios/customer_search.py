"""Customer search (`list_customers` with `q=`), first page in the default order (created_at desc).

Terms come from real customers picked at random (so common names come up as often as they do in the
data): the start of an email (up to 8 characters, before the @) and a last name. The baseline is the
search written by hand the way `shopcrm.customers.search` shapes it, plus the capped count.
"""

from __future__ import annotations

from itertools import cycle
from typing import Any

from bench.scenarios import BenchContext, Pair, scenario
from bench.scenarios._sql import CUSTOMER_COLUMNS, capped_count
from shopcrm.core.pagination import CursorCodec
from shopcrm.customers import service as customer_service
from shopcrm.customers.schemas import CustomerListQuery
from shopcrm.customers.search import like_prefix

PAGE = 25
TERMS = 40
TARGET_MS = 50.0


async def _random_customers(ctx: BenchContext, column: str) -> list[str]:
    ids = [ctx.rng.randint(1, ctx.counts["customers"]) for _ in range(TERMS)]
    rows = await ctx.raw.fetch(f"SELECT id, {column} AS v FROM customers WHERE id = ANY($1::bigint[])", ids)
    by_id = {r["id"]: r["v"] for r in rows}
    return [by_id[i] for i in ids]


def _pair(ctx: BenchContext, terms: list[str], where: str) -> Pair:
    """`where` is the hand-written condition on $1 (the LIKE pattern) and $2 (the lowercased term)."""
    system_terms, baseline_terms = cycle(terms), cycle(terms)
    select_page = (
        f"SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {where} ORDER BY created_at DESC, id DESC LIMIT {PAGE + 1}"
    )
    select_ids = f"SELECT id FROM customers WHERE {where}"
    cursors = CursorCodec(ctx.settings.signing_key)

    async def system() -> object:
        query = CustomerListQuery(q=next(system_terms), limit=PAGE)
        async with ctx.database.read_sessionmaker() as session:
            page, total, _exact = await customer_service.list_customers(
                session, query=query, settings=ctx.settings, cursors=cursors
            )
            ids = [row.Customer.id for row in page.rows]
            await session.rollback()  # as the API's read session does after the response is built
        return ids, total

    async def baseline() -> object:
        term = next(baseline_terms)
        args: tuple[Any, ...] = (like_prefix(term), term.lower()) if "$2" in where else (like_prefix(term),)
        rows = await ctx.raw.fetch(select_page, *args)
        total = await capped_count(ctx.raw, select_ids, *args)
        return [r["id"] for r in rows[:PAGE]], total

    return Pair(system, baseline)


# One word (no @, not digits): last name, first name or email starting with it.
ONE_WORD = (
    "(lower(last_name) LIKE $1 ESCAPE '\\' OR lower(first_name) LIKE $1 ESCAPE '\\' "
    "OR lower(email) LIKE $1 ESCAPE '\\')"
)


@scenario(
    "customer_search email_prefix",
    description="search by the first (up to) 8 characters of a customer's email, before the @",
    n=120,
    warmup=TERMS,
    target_p95_ms=TARGET_MS,
)
async def email_prefix(ctx: BenchContext) -> Pair:
    emails = await _random_customers(ctx, "email")
    terms = [e[: min(8, e.index("@"))] for e in emails]
    return _pair(ctx, terms, ONE_WORD)


@scenario(
    "customer_search email_full",
    description="search by a customer's whole email (the @ branch: one index seek)",
    n=120,
    warmup=TERMS,
    target_p95_ms=TARGET_MS,
)
async def email_full(ctx: BenchContext) -> Pair:
    return _pair(ctx, await _random_customers(ctx, "email"), "lower(email) LIKE $1 ESCAPE '\\'")


@scenario(
    "customer_search last_name",
    description="search by a customer's last name",
    n=120,
    warmup=TERMS,
    target_p95_ms=TARGET_MS,
)
async def last_name(ctx: BenchContext) -> Pair:
    names = await _random_customers(ctx, "last_name")
    # A last name with a space in it ("van Dijk") takes the two-word branch; keep to one-word names.
    return _pair(ctx, [n for n in names if " " not in n.strip()] or names[:1], ONE_WORD)
