"""The built web app is served compressed, hashed files cached for good, page paths answered by index.html."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopcrm.core.static_assets import HashedAssets
from shopcrm.db import Database
from shopcrm.main import create_app
from tests.conftest import make_settings

SCRIPT = ("export const x = 'ShopCRM';\n" * 400).encode()


@pytest.fixture
def spa_dir(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>ShopCRM</title>" + "<!-- pad -->" * 200)
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "assets" / "index-3f9a1c.js").write_bytes(SCRIPT)
    return tmp_path


@pytest.fixture
async def client(spa_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", spa_dir=spa_dir)
    database = Database(settings, null_pool=True)
    app = create_app(settings, database)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c
    await database.dispose()


async def test_hashed_assets_are_gzipped_and_cached_for_good(client: httpx.AsyncClient):
    response = await client.get("/assets/index-3f9a1c.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["content-type"].startswith("text/javascript")
    assert int(response.headers["content-length"]) < len(SCRIPT) / 10
    assert response.content == SCRIPT  # httpx undoes the gzip


async def test_a_client_without_gzip_gets_the_plain_file(client: httpx.AsyncClient):
    response = await client.get("/assets/index-3f9a1c.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.content == SCRIPT
    head = await client.head("/assets/index-3f9a1c.js", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(gzip.compress(SCRIPT, compresslevel=9, mtime=0))


async def test_page_paths_get_index_html_checked_every_time(client: httpx.AsyncClient):
    for path in ("/", "/customers", "/orders/12"):
        response = await client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert "<title>ShopCRM</title>" in response.text
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["content-encoding"] == "gzip"
    icon = await client.get("/favicon.svg")
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert "content-encoding" not in icon.headers  # too small to be worth it


@pytest.mark.parametrize("path", ["/assets/missing.js", "/assets/../index.html", "/assets/sub/../../x.db"])
async def test_only_the_files_read_at_start_are_served(spa_dir: Path, path: str):
    """Called as ASGI with the raw path (an HTTP client would normalise the dots away)."""
    (spa_dir / "x.db").write_text("secret")
    assets = HashedAssets(spa_dir / "assets")
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": []}
    await assets(scope, receive, send)
    assert sent[0]["status"] == 404
    assert sent[1]["body"] == b"Not found"
