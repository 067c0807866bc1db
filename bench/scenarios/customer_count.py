"""How many customers: the ORM through an async session (as a service would) vs raw asyncpg."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.scenarios import BenchContext, Pair, scenario
from shopcrm.customers.models import Customer


@scenario("customer_count", description="SELECT count(*) FROM customers: async ORM session vs raw asyncpg", n=50)
async def customer_count(ctx: BenchContext) -> Pair:
    stmt = select(func.count()).select_from(Customer)

    async def system() -> object:
        async with ctx.database.read_sessionmaker() as session:
            return await session.scalar(stmt)

    async def baseline() -> object:
        return await ctx.raw.fetchval("SELECT count(*) FROM customers")

    return Pair(system, baseline)
