"""Readying a server process before it listens, so its first request costs what any request costs.

Measured on the large data set: the first request of a new process took 90-240 ms more than the next
one, for three reasons that have nothing to do with that request: FastAPI builds every route's validation
models on the first request that walks the routes (about 160 ms for this app), anyio imports its asyncio
backend on first use, and the pools open their first database connection (connect, then the driver's own
introspection). The hot statements that run on the driver (core/driver.py) are prepared on each pool's
first connection too: the server process behind it loads the catalog entries of their tables and indexes
then, not in front of the first user, and a statement that no longer fits the schema shows in the log at
start-up. uvicorn starts listening only after the app's startup, so doing these there keeps them off
the first user's request. A database that cannot be reached at startup is not an error here: the process
still starts, the pools connect on first use as usual, and /api/health says the database is unavailable.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Sequence

import anyio
import anyio.lowlevel
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shopcrm.core.driver import named_statements, postgres_driver
from shopcrm.db import Database

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0


Rehearsal = Callable[[AsyncSession], Awaitable[None]]


async def ready(app: FastAPI, database: Database, rehearsals: Sequence[Rehearsal] = ()) -> None:
    """`rehearsals`: hot reads run once on the read pool, their answers discarded (a domain's own, passed in by
    the app: core does not know the domains), so their statements are compiled and their serialisers built
    before the first user's request; one that fails is logged and skipped."""
    for _ in iter_route_contexts(app.routes):  # builds each route's models, as the first request would
        pass
    await anyio.lowlevel.checkpoint()  # loads anyio's backend, which the first dependency run in a thread would
    engines = {id(e): e for e in (database.engine, database.read_engine)}.values()
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            for engine in engines:
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
                    await _prepare_hot_statements(conn)
    except Exception as exc:
        logger.warning("database not reachable at startup (%s); connecting on first use", type(exc).__name__)
        return
    for rehearse in rehearsals:
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT_S), database.read_sessionmaker() as session:
                await rehearse(session)
        except Exception as exc:  # a store that is not migrated yet, say: the request will say so too
            # Named by its function only: a partial's repr would print its arguments (the settings, with the
            # database URL and its password).
            name = getattr(getattr(rehearse, "func", rehearse), "__name__", "rehearsal")
            logger.warning("start-up rehearsal %s failed (%s)", name, type(exc).__name__)
    _settle_the_heap()


def _settle_the_heap() -> None:
    """Collect once, then move every object alive now (modules, routes, models, compiled statements: the
    process's lasting state) out of the collector's view. Without it the first requests' allocations set off
    a full collection that walked them all: the first customer details of a new process on the medium SQLite
    set took 105-135 ms, the next ones 5-10 ms."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """At shutdown: the frozen objects back in the collector's view, so an app stopped in a process that goes
    on (tests start hundreds) leaves no cycles behind for good."""
    gc.unfreeze()


async def _prepare_hot_statements(conn: AsyncConnection) -> None:
    driver = await postgres_driver(conn)
    if driver is None:
        return
    for name, sql in named_statements().items():
        try:
            await driver.prepare(sql)
        except Exception as exc:  # the schema is not migrated yet, say: the request will say so too
            logger.warning("statement %s did not prepare at startup (%s)", name, type(exc).__name__)
