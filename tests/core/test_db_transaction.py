"""`Database.transaction()`: the one unit of work outside requests (the CLI today, the worker next)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shopcrm.customers.models import Customer
from shopcrm.db import Database


class Boom(Exception):
    pass


async def _count(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(Customer)) or 0)


async def test_work_is_committed_when_the_block_ends_and_rolled_back_when_it_raises(database: Database):
    async with database.transaction() as session:
        session.add(Customer(first_name="Ada", last_name="Lovelace", email="ada@example.com"))
        await session.flush()
        assert await _count(database) == 0  # not visible to others until the block ends
    assert await _count(database) == 1

    async def fails_half_way() -> None:
        async with database.transaction() as session:
            session.add(Customer(first_name="Bo", last_name="Bad", email="bo@example.com"))
            await session.flush()
            raise Boom

    with pytest.raises(Boom):
        await fails_half_way()
    assert await _count(database) == 1
