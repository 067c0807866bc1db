"""The app the benchmark serves: the product's own app, unchanged, plus the floor routes (bench/floor.py).

`uvicorn --factory bench.floor_app:app_from_env`. The product's routes, middleware and login checks are the
ones `shopcrm serve` runs; the floor routes sit beside them under /bench-floor and exist only here.
"""

from __future__ import annotations

from fastapi import FastAPI

from bench.floor import router
from shopcrm.main import app_from_env as product_app


def app_from_env() -> FastAPI:
    app = product_app()
    app.include_router(router)
    # The SPA's catch-all 404 handler serves pages for unknown paths; /bench-floor is matched before it.
    return app
