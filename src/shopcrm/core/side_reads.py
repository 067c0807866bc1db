"""Independent reads of one request run at once, each on a read session of its own.

A page whose figures come from a few independent passes (the inventory's stats, the dashboard's sales and
its stock alerts) otherwise waits for them one after another; on PostgreSQL each runs on its own connection
and backend, so the request takes about as long as its dearest read. Each read sees its own snapshot (a
statement's, at READ COMMITTED): right for figures shown side by side, not for ones that must agree row for
row. The first error cancels the other reads and is raised as it was (an error group would turn a lost
connection's 503 into a 500).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

OpenRead = Callable[[], AsyncSession]


async def _on_own_session(open_read: OpenRead, read: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
    # Closing (not rolling back) ends the read: the connection goes back to the pool and rows loaded as ORM
    # objects stay readable, detached (a rollback would expire them).
    async with open_read() as session:
        return await read(session)


async def side_by_side(open_read: OpenRead, *reads: Callable[[AsyncSession], Awaitable[Any]]) -> list[Any]:
    """Each read's result, in order, the reads run at the same time on sessions from `open_read`."""
    tasks = [asyncio.create_task(_on_own_session(open_read, read)) for read in reads]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in tasks:
            error = task.exception() if task in done else None
            if error is not None:
                raise error
        return [task.result() for task in tasks]
    finally:
        # The others, when one failed or the request was given up: cancelled, and waited for, so no read
        # outlives the request holding a connection.
        unfinished = [task for task in tasks if not task.done()]
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
