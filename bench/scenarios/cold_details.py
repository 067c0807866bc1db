"""A cold process's first customer details: what the first user after a deploy or a restart waits for.

Each call starts a new server process (untimed: it returns once the port accepts connections; no request
has been sent, so its database pool, token cache and statement caches are empty) and times only its first
request, `GET /api/customers/{id}/details` (system) or the floor's `/bench-floor/customers/{id}/details`
(baseline, in its own new process), for a random customer. Anything the product computes across all
customers must already be stored: nothing of the kind may run in this request.
"""

from __future__ import annotations

import time
from typing import Any

from bench.http import BenchServer
from bench.scenarios import BenchContext, Pair, Timed, scenario

TARGET_MS = 50.0


@scenario(
    "customer_details cold process",
    description="the first GET /api/customers/{id}/details of a newly started server process",
    n=5,
    warmup=1,
    target_p95_ms=TARGET_MS,
)
async def cold_details(ctx: BenchContext) -> Pair:
    assert ctx.server is not None
    running = ctx.server

    def side(prefix: str) -> Any:
        async def call() -> Timed:
            customer_id = ctx.rng.randint(1, ctx.counts["customers"])
            server = BenchServer(running.env, running.token)
            await server.start()
            try:
                client = await server.client()
                t0 = time.perf_counter()
                status, body = await client.get(f"{prefix}/customers/{customer_id}/details")
                ms = (time.perf_counter() - t0) * 1000
                await client.close()
                if status != 200:
                    raise AssertionError(f"{prefix} details: {status} {body[:300]!r}")
                return Timed(ms, None)
            finally:
                await server.stop()

        return call

    # The two sides ask about different random customers: each call checks its own answer's status only.
    return Pair(side("/api"), side("/bench-floor"))
