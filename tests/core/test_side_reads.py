"""Reads side by side (core/side_reads.py) on both engines: results in order, each on its own session, ORM rows
still readable afterwards, and the first error raised as it was with the other reads cancelled."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.core.side_reads import side_by_side
from shopcrm.db import Database
from shopcrm.inventory.models import Product
from tests.factories import make_product


async def test_each_read_answers_in_order_on_a_session_of_its_own(database: Database):
    await make_product(database, sku="SIDE-1", name="Lamp", stock=7)
    sessions: list[AsyncSession] = []
    both_started = asyncio.Event()

    async def first(session: AsyncSession) -> int:
        sessions.append(session)
        await both_started.wait()  # only returns once the second read runs too: they overlap
        return int(await session.scalar(text("SELECT 41 + 1")))

    async def second(session: AsyncSession) -> Product:
        sessions.append(session)
        both_started.set()
        product = await session.scalar(select(Product).where(Product.sku == "SIDE-1"))
        assert product is not None
        return product

    answer, product = await asyncio.wait_for(side_by_side(database.read_sessionmaker, first, second), 30)
    assert answer == 42
    assert len({id(s) for s in sessions}) == 2
    # Loaded on a session that is closed now: still readable, not expired.
    assert (product.name, product.stock) == ("Lamp", 7)


async def test_the_first_error_is_raised_as_it_was_and_the_other_reads_are_cancelled(database: Database):
    cancelled = asyncio.Event()

    async def slow(session: AsyncSession) -> None:
        await session.scalar(text("SELECT 1"))
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def failing(session: AsyncSession) -> None:
        await asyncio.sleep(0.05)
        raise LookupError("no such thing")

    with pytest.raises(LookupError, match="no such thing"):
        await asyncio.wait_for(side_by_side(database.read_sessionmaker, slow, failing), 10)
    assert cancelled.is_set()
