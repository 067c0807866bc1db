"""A job's loop run inside a server process (the embedded engine's `shopcrm serve`), started and stopped by
the app's lifespan; `shopcrm worker` runs the same loops directly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

# How long a server process waits before a job's first in-process run: run at once it shared the event loop
# and the database with the process's first requests (a cold process's first customer details: 154 ms beside
# them on the medium SQLite set, 24 ms without).
START_DELAY_S = 5.0


class InProcessLoop:
    def __init__(self, run_forever: Callable[[], Awaitable[None]], *, name: str) -> None:
        self._run_forever = run_forever
        self._name = name
        self._task: asyncio.Task[None] | None = None

    def start(self, *, delay_s: float = START_DELAY_S) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._after(delay_s), name=self._name)

    async def _after(self, delay_s: float) -> None:
        await asyncio.sleep(delay_s)
        await self._run_forever()

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
