"""create_app(): the API, its middleware and error handlers, and the built SPA on the same port."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from shopcrm import __version__
from shopcrm.analytics.rollup import RollupRefresher
from shopcrm.analytics.router import router as dashboard_router
from shopcrm.apidocs.router import docs_router
from shopcrm.audit.router import router as audit_router
from shopcrm.auth.router import router as auth_router
from shopcrm.auth.router import users_router
from shopcrm.auth.token_cache import TokenCache
from shopcrm.config import Settings, get_settings
from shopcrm.core import warmup
from shopcrm.core.background import START_DELAY_S
from shopcrm.core.engines import capabilities_of
from shopcrm.core.errors import error_payload
from shopcrm.core.http_errors import COMMON_RESPONSES, UnexpectedErrors, install_error_handlers
from shopcrm.core.input_guard import InputGuard, state_rules_in_openapi
from shopcrm.core.logging import configure_logging
from shopcrm.core.middleware import BodySizeLimit, RequestLog, SecurityHeaders
from shopcrm.core.static_assets import HashedAssets, asset_response, load_asset
from shopcrm.customers.router import csv_router as customers_csv_router
from shopcrm.customers.router import router as customers_router
from shopcrm.customers.statistics import StatisticsRefresher
from shopcrm.db import Database
from shopcrm.forecasting.jobs import ForecastRefresher
from shopcrm.health.router import router as health_router
from shopcrm.imports.jobs import ImportRunner
from shopcrm.imports.router import router as imports_router
from shopcrm.inventory.router import csv_router as inventory_csv_router
from shopcrm.inventory.router import router as inventory_router
from shopcrm.orders.customer_details import rehearse as rehearse_customer_details
from shopcrm.orders.router import csv_router as orders_csv_router
from shopcrm.orders.router import customer_details_router, product_details_router
from shopcrm.orders.router import router as orders_router
from shopcrm.privacy.router import router as privacy_router
from shopcrm.segments.jobs import SegmentRefresher
from shopcrm.segments.router import customer_segments_router
from shopcrm.segments.router import router as segments_router


def operation_id(route: APIRoute) -> str:
    """`{tag}-{name}`, so the generated client reads `authLogin`, `customersList`, ..."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = database or Database(settings)
    statistics = StatisticsRefresher(database, interval_s=settings.stats_refresh_seconds)
    # On the embedded engine the server is the whole product: it refreshes segment members itself. Elsewhere
    # `shopcrm worker` processes do (segments/jobs.py).
    embedded = capabilities_of(settings.database_url).embedded
    segment_refresher = SegmentRefresher(database, settings) if embedded else None
    # Imports likewise: `shopcrm worker` runs them on PostgreSQL, the server itself on SQLite (imports/jobs.py).
    import_runner = ImportRunner(database, settings) if embedded else None
    # The forecasting batch too (after bringing the rollup up to date itself).
    forecast_refresher = ForecastRefresher(database, settings) if embedded else None
    rollup = RollupRefresher(database, interval_s=settings.analytics_refresh_seconds, timezone=settings.store_timezone)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await warmup.ready(app, database, rehearsals=[partial(rehearse_customer_details, settings=settings)])
        # Cross-customer statistics (RFM fifths) are computed here, in the background, never in a request:
        # serving does not wait for the first computation. In the embedded engine's process it waits a few
        # seconds, like the other in-process jobs: run at once, its pass over the customers shared the event
        # loop and the database file with the first requests (a cold process's first customer details: 130-160
        # ms beside it on the medium SQLite set).
        statistics.start(delay_s=START_DELAY_S if embedded else 0.0)
        # The dashboard's daily rollup, the same way (days not rolled up yet are read live meanwhile).
        rollup.start()
        if segment_refresher is not None:
            segment_refresher.start()
        if import_runner is not None:
            import_runner.start()
        if forecast_refresher is not None:
            forecast_refresher.start()
        try:
            yield
        finally:
            if import_runner is not None:
                await import_runner.stop()
            if forecast_refresher is not None:
                await forecast_refresher.stop()
            if segment_refresher is not None:
                await segment_refresher.stop()
            await rollup.stop()
            await statistics.stop()
            await database.dispose()
            warmup.release()

    app = FastAPI(
        title="ShopCRM",
        version=__version__,
        description="Customers, orders, stock, segments and email flows for an online store.",
        responses=COMMON_RESPONSES,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
        # Served by apidocs/router.py instead: behind a login in production, pinned assets, their own CSP.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.customer_statistics = statistics
    app.state.analytics_rollup = rollup
    app.state.import_runner = import_runner
    app.state.forecast_refresher = forecast_refresher
    app.state.token_cache = TokenCache(settings.token_cache_seconds)

    install_error_handlers(app)
    app.include_router(docs_router(settings))
    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(users_router)
    app.include_router(customers_router)
    app.include_router(customers_csv_router)
    app.include_router(customer_details_router)
    app.include_router(privacy_router)
    app.include_router(orders_router)
    app.include_router(orders_csv_router)
    app.include_router(segments_router)
    app.include_router(customer_segments_router)
    app.include_router(inventory_csv_router)
    app.include_router(inventory_router)  # ids are digits in its paths: /stats is never taken for one
    app.include_router(product_details_router)
    app.include_router(dashboard_router)
    app.include_router(imports_router)
    app.include_router(audit_router)

    # Outermost last: RequestLog > SecurityHeaders > UnexpectedErrors (its 500 gets the headers) >
    # BodySizeLimit > InputGuard (reads a body already size-limited) > the app.
    app.add_middleware(InputGuard)
    # An import's upload streams to disk under its own limit (settings.import_max_bytes, imports/upload.py).
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, exempt={("POST", "/api/imports")})
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog)
    if settings.trusted_proxies:
        # Outermost, so the throttle, the logs and everything else see the client behind the proxy.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    _serve_spa(app, settings.spa_dir)
    _list_allowed_methods(app)
    state_rules_in_openapi(app)
    return app


def _list_allowed_methods(app: FastAPI) -> None:
    """A 405 names every method the path supports (Starlette names only the first route's)."""
    # (regex, methods, static): a path with no parameters (/api/segments/fields) names its own methods only,
    # not those of a parameterised sibling its text also matches (/api/segments/{segment_id}).
    table: list[tuple[re.Pattern[str], set[str], bool]] = []

    @app.exception_handler(405)
    async def _method_not_allowed(request: Request, exc: StarletteHTTPException) -> Response:
        if not table:
            for ctx in iter_route_contexts(app.routes):
                original = ctx.original_route
                if isinstance(original, APIRoute) and not original.include_in_schema:
                    continue  # a route that only answers 405 (segments/router.py)
                if ctx.path and ctx.methods:
                    table.append((compile_path(ctx.path)[0], set(ctx.methods), "{" not in ctx.path))
        matching = [(methods, static) for regex, methods, static in table if regex.match(request.url.path)]
        if any(static for _, static in matching):
            matching = [(methods, static) for methods, static in matching if static]
        allowed: set[str] = set()
        for methods, _ in matching:
            allowed |= methods
        return JSONResponse(
            error_payload("method_not_allowed", f"{request.method} is not allowed here"),
            status_code=405,
            headers={"Allow": ", ".join(sorted(allowed))},
        )


def _serve_spa(app: FastAPI, spa_dir: Path) -> None:
    """The built frontend: files from dist/, and index.html for any other page path (client routing)."""
    has_spa = (spa_dir / "index.html").is_file()
    # Only files known at start are served by name, so no request path reaches the disk.
    root_files = {p.name: load_asset(p) for p in spa_dir.iterdir() if p.is_file()} if has_spa else {}
    if (spa_dir / "assets").is_dir():
        app.mount("/assets", HashedAssets(spa_dir / "assets"), name="assets")

    @app.exception_handler(404)
    async def _not_found(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if request.method in ("GET", "HEAD") and not path.startswith("/api") and has_spa:
            # Unhashed names (index.html, the icon) are checked for a newer version on every use.
            known = root_files.get(path.lstrip("/")) or root_files["index.html"]
            return asset_response(known, request.scope, cache_control="no-cache")
        message = exc.detail if isinstance(exc.detail, str) and exc.detail != "Not Found" else "Not found"
        return JSONResponse(error_payload("not_found", message), status_code=404)


def app_from_env() -> FastAPI:
    """Entry point for `uvicorn --factory shopcrm.main:app_from_env`."""
    settings = get_settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    return create_app(settings)
