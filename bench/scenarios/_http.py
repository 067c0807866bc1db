"""Scenarios as requests: the product's route against the floor's route, on the same server.

Each side has its own keep-alive connection; a call is one request, timed from sending it to the last byte
of the answer. Answers are parsed only on warm-up, when the two are compared (`Pair.project_*`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from bench.http import KeepAliveClient
from bench.scenarios import BenchContext, Pair


def http_pair(
    ctx: BenchContext,
    system_paths: Iterator[str],
    baseline_paths: Iterator[str],
    project_system: Callable[[Any], Any],
    project_baseline: Callable[[Any], Any],
    same: Callable[[Any, Any], bool] | None = None,
) -> Pair:
    """Two GETs per round: the next product path and the next floor path (they ask the same question)."""
    assert ctx.server is not None, "HTTP scenarios need the bench server"
    server = ctx.server
    clients: dict[str, KeepAliveClient] = {}

    def side(name: str, paths: Iterator[str]) -> Callable[[], Any]:
        async def call() -> bytes:
            client = clients.get(name)
            if client is None:
                client = clients[name] = await server.client()
            path = next(paths)
            status, body = await client.get(path)
            if status != 200:
                raise AssertionError(f"GET {path}: {status} {body[:300]!r}")
            return body

        return call

    async def close() -> None:
        for client in clients.values():
            await client.close()

    return Pair(
        side("system", system_paths),
        side("baseline", baseline_paths),
        project_system=lambda body: project_system(json.loads(body)),
        project_baseline=lambda body: project_baseline(json.loads(body)),
        close=close,
        same=same,
    )


def capped_total(total: int, exact: bool) -> object:
    """What two answers must agree on about a capped count: the number when exact, else only that it is."""
    return total if exact else "more than the cap"
