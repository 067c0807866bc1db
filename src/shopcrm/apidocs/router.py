"""/openapi.json, /docs (Swagger UI) and /redoc: public in development and test; in production only for a
logged-in user (a browser session or an API token), unless SHOPCRM_PUBLIC_API_DOCS=true opens them.

The docs pages load Swagger UI and ReDoc from a CDN, at pinned versions with Subresource Integrity, so the
browser runs those exact files or nothing; each page carries its own Content-Security-Policy naming that
CDN and, by hash, the page's one inline script. Self-hosting them would mean shipping and upgrading two
front-end bundles with the server for pages only developers open. To move to a newer version, update the
version and its `sha384-` digest (of the file as the npm package ships it) together.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse

from shopcrm.auth.deps import current_principal
from shopcrm.config import Settings

CDN = "https://cdn.jsdelivr.net"
SWAGGER_JS = (
    f"{CDN}/npm/swagger-ui-dist@5.35.0/swagger-ui-bundle.js",
    "sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9",
)
SWAGGER_CSS = (
    f"{CDN}/npm/swagger-ui-dist@5.35.0/swagger-ui.css",
    "sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I",
)
REDOC_JS = (
    f"{CDN}/npm/redoc@2.5.4/bundles/redoc.standalone.js",
    "sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5",
)

_SWAGGER_OPTIONS = {
    "url": "/openapi.json",
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
    "validatorUrl": None,  # Swagger UI would otherwise load a badge from validator.swagger.io
}
_SWAGGER_INIT = (
    f"window.ui = SwaggerUIBundle(Object.assign({json.dumps(_SWAGGER_OPTIONS)}, "
    "{presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]}));"
)


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{title}</title>\n<link rel="icon" href="/favicon.svg">\n{head}</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


def _script(src_and_hash: tuple[str, str]) -> str:
    src, integrity = src_and_hash
    return f'<script src="{src}" integrity="{integrity}" crossorigin="anonymous"></script>\n'


SWAGGER_HTML = _page(
    "ShopCRM API - Swagger UI",
    f'<link rel="stylesheet" href="{SWAGGER_CSS[0]}" integrity="{SWAGGER_CSS[1]}" crossorigin="anonymous">\n',
    f'<div id="swagger-ui"></div>\n{_script(SWAGGER_JS)}<script>{_SWAGGER_INIT}</script>\n',
)
REDOC_HTML = _page(
    "ShopCRM API - ReDoc",
    "<style>body { margin: 0; padding: 0; }</style>\n",
    f'<redoc spec-url="/openapi.json"></redoc>\n{_script(REDOC_JS)}',
)

# The docs pages' policy: the app's, plus the CDN for scripts and styles, Swagger UI's inline start-up
# script by its hash, inline styles (both UIs inject them), ReDoc's search worker (a blob: URL) and its logo.
# Checked in Chromium with the pinned files: both pages render with no violation.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {CDN} '{_sha256(_SWAGGER_INIT)}'",
        f"style-src 'self' {CDN} 'unsafe-inline'",
        "img-src 'self' data: https://cdn.redoc.ly",  # ReDoc's "API docs by Redocly" logo
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)
_DOCS_HEADERS = {"Content-Security-Policy": DOCS_CONTENT_SECURITY_POLICY}


def docs_router(settings: Settings) -> APIRouter:
    """The three routes, behind a login when `settings.api_docs_need_login`."""
    guard = [Depends(current_principal)] if settings.api_docs_need_login else []
    router = APIRouter(include_in_schema=False, dependencies=guard)

    @router.get("/openapi.json")
    async def openapi(request: Request) -> JSONResponse:
        document: dict[str, Any] = request.app.openapi()
        return JSONResponse(document)

    @router.get("/docs")
    async def swagger_ui() -> HTMLResponse:
        return HTMLResponse(SWAGGER_HTML, headers=_DOCS_HEADERS)

    @router.get("/redoc")
    async def redoc() -> HTMLResponse:
        return HTMLResponse(REDOC_HTML, headers=_DOCS_HEADERS)

    return router
