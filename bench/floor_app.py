"""The app the benchmark serves: the product's own app, unchanged, plus the floor routes (bench/floor.py).

`uvicorn --factory bench.floor_app:app_from_env`. The product's routes, middleware and login checks are the
ones `shopcrm serve` runs; the floor routes sit beside them under /bench-floor and exist only here. The
floor's connection opens at startup, as the product's pools do (shopcrm/core/warmup.py), so a cold
process's first floor request is not charged for it either.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from bench.floor import Raw, router
from shopcrm.main import app_from_env as product_app


def app_from_env() -> FastAPI:
    app = product_app()
    app.include_router(router)
    product_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with product_lifespan(app):
            raw = app.state.floor_raw = Raw(app.state.settings.database_url)
            await raw.fetch("SELECT 1")
            try:
                yield
            finally:
                await raw.close()

    app.router.lifespan_context = lifespan
    return app
