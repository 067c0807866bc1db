"""The import API's contract and its guards: roles, the mapping checks at start, and crafted uploads (NUL
bytes, a binary file, a huge header, too many columns, a file over the import's own size limit) refused
with a 4xx in the one error shape; the app's general body limit does not apply to an upload."""

from __future__ import annotations

import httpx
import pytest

from shopcrm.config import Settings
from shopcrm.db import Database
from tests.imports import files
from tests.imports.helpers import start, upload

SIMPLE = b"order number,email,date,total,status\nA-1,ann@example.com,2024-01-02,10.00,paid\n"


async def test_presets_and_fields(app_client: httpx.AsyncClient, viewer):
    presets = (await app_client.get("/api/imports/presets", headers=viewer)).json()
    assert {p["id"] for p in presets} >= {
        "shopify_customers",
        "shopify_orders",
        "orders_simple",
        "customers",
        "products",
    }
    assert {p["kind"] for p in presets} == {"customers", "orders", "products"}
    fields = (await app_client.get("/api/imports/fields", params={"kind": "orders"}, headers=viewer)).json()
    required = {f["id"] for f in fields if f["required"]}
    assert required == {"order_number", "customer_email", "placed_at"}
    bad = await app_client.get("/api/imports/fields", params={"kind": "people"}, headers=viewer)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["loc"] == ["query", "kind"]


async def test_writes_need_a_writer_and_reads_a_login(app_client: httpx.AsyncClient, writer, viewer):
    assert (await upload(app_client, {}, SIMPLE, "orders")).status_code == 401
    assert (await upload(app_client, viewer, SIMPLE, "orders")).status_code == 403
    created = await upload(app_client, writer, SIMPLE, "orders")
    assert created.status_code == 201, created.text
    import_id = created.json()["id"]
    assert (await start(app_client, viewer, import_id, {})).status_code == 403
    assert (await app_client.post(f"/api/imports/{import_id}/cancel", headers=viewer)).status_code == 403
    for path in ("", f"/{import_id}", f"/{import_id}/errors.csv", "/presets"):
        assert (await app_client.get(f"/api/imports{path}")).status_code == 401
        assert (await app_client.get(f"/api/imports{path}", headers=viewer)).status_code == 200
    listed = (await app_client.get("/api/imports", headers=viewer)).json()
    assert ([i["id"] for i in listed["items"]], listed["total"]) == ([import_id], 1)


def _loc(response: httpx.Response) -> list[object]:
    body = response.json()
    assert set(body) == {"error"}, body
    loc: list[object] = body["error"]["details"][0]["loc"]
    return loc


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"email,name\nann@example.com,A\x00nn\n", "NUL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "NUL"),
        (b"email,name\n\xff\xfeann@example.com,Ann\n", "UTF-8"),
        (b"", "empty"),
        (b"a" * (1 << 20) + b"\nx\n", "longer"),
        (",".join(f"c{i}" for i in range(600)).encode() + b"\n", "columns"),
        (b"email,email\nann@example.com,x\n", "two columns"),
        (b'email,name\n"ann@example.com,"unclosed' + b"x" * 70_000 + b"\n", "row 2"),
    ],
)
async def test_crafted_files_are_a_422_naming_the_file(
    app_client: httpx.AsyncClient, writer, content, reason, settings
):
    response = await upload(app_client, writer, content, "customers")
    assert response.status_code == 422, response.text
    assert _loc(response) == ["body", "file"]
    assert reason in response.json()["error"]["message"]
    assert list(settings.import_dir.glob("*")) == []  # nothing kept of a refused file


async def test_bad_envelopes_are_4xx(app_client: httpx.AsyncClient, writer):
    not_multipart = await app_client.post("/api/imports", json={"kind": "orders"}, headers=writer)
    assert (not_multipart.status_code, _loc(not_multipart)) == (422, ["body"])
    no_kind = await app_client.post("/api/imports", files={"file": ("a.csv", SIMPLE)}, headers=writer)
    assert (no_kind.status_code, _loc(no_kind)) == (422, ["body", "kind"])
    bad_kind = await upload(app_client, writer, SIMPLE, "people")
    assert (bad_kind.status_code, _loc(bad_kind)) == (422, ["body", "kind"])
    no_file = await app_client.post("/api/imports", data={"kind": "orders"}, files={"x": ("a", b"")}, headers=writer)
    assert no_file.status_code in (400, 422), no_file.text
    broken = await app_client.post(
        "/api/imports",
        content=b'--xyz\r\nContent-Disposition: form-data; name="kind"\r\n\r\norders',
        headers={**writer, "Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert 400 <= broken.status_code < 500


async def test_an_upload_has_its_own_size_limit(app_client: httpx.AsyncClient, writer, settings: Settings):
    # Larger than the app's general body limit (1 MB), so that limit must not apply here.
    rows = b"".join(b"A-%d,ann%d@example.com,2024-01-02,10.00,paid\n" % (i, i) for i in range(40_000))
    big = SIMPLE + rows
    assert len(big) > settings.max_body_bytes
    accepted = await upload(app_client, writer, big, "orders")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["rows_total"] == 40_001


async def test_an_upload_over_the_import_limit_is_a_413(
    engine_name: str, migrated_urls, tmp_path, make_user, database: Database
):
    from shopcrm.auth.models import Role
    from shopcrm.main import create_app
    from tests.conftest import make_settings

    small = make_settings(migrated_urls[engine_name], import_dir=tmp_path / "imp", import_max_bytes=1000)
    user = await make_user(Role.admin)
    transport = httpx.ASGITransport(app=create_app(small, database))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await upload(client, {"Authorization": f"Bearer {user.token}"}, SIMPLE * 100, "orders")
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "payload_too_large"
    assert list((tmp_path / "imp").glob("*")) == []


async def test_start_names_what_is_missing_or_wrong(app_client: httpx.AsyncClient, writer):
    uploaded = (await upload(app_client, writer, SIMPLE, "orders")).json()
    assert uploaded["preset"] == "orders_simple"
    assert uploaded["mapping"] == {
        "order number": "order_number",
        "email": "customer_email",
        "date": "placed_at",
        "total": "total",
        "status": "status",
    }
    import_id = uploaded["id"]
    mapping = dict(uploaded["mapping"])

    no_product = await start(app_client, writer, import_id, mapping, "orders_simple")
    assert (no_product.status_code, _loc(no_product)) == (422, ["body", "options", "product_sku"])
    unmapped = await start(
        app_client, writer, import_id, {**mapping, "email": None}, "orders_simple", {"product_sku": "H"}
    )
    assert unmapped.status_code == 422
    assert unmapped.json()["error"]["details"] == [
        {"loc": ["body", "mapping"], "message": "customer_email: required field not mapped", "type": "missing"}
    ]
    not_a_column = await start(app_client, writer, import_id, {"nope": "total"}, options={"product_sku": "H"})
    assert (not_a_column.status_code, _loc(not_a_column)) == (422, ["body", "mapping", "nope"])
    twice = await start(app_client, writer, import_id, {**mapping, "status": "total"}, options={"product_sku": "H"})
    assert (twice.status_code, _loc(twice)) == (422, ["body", "mapping", "status"])
    unknown = await start(app_client, writer, import_id, {**mapping, "status": "colour"}, options={"product_sku": "H"})
    assert (unknown.status_code, _loc(unknown)) == (422, ["body", "mapping", "status"])
    preset = await start(app_client, writer, import_id, mapping, "shopify_customers", {"product_sku": "H"})
    assert (preset.status_code, _loc(preset)) == (422, ["body", "preset"])
    nul = await start(app_client, writer, import_id, mapping, "orders_simple", {"product_sku": "H\u0000"})
    assert nul.status_code == 422
    extra = await app_client.post(f"/api/imports/{import_id}/start", json={"mapping": {}, "x": 1}, headers=writer)
    assert extra.status_code == 422

    ok = await start(app_client, writer, import_id, mapping, "orders_simple", {"product_sku": "HIST"})
    assert ok.status_code == 202, ok.text
    assert ok.json()["status"] == "queued"
    again = await start(app_client, writer, import_id, mapping, "orders_simple", {"product_sku": "HIST"})
    assert again.status_code == 409
    assert (await app_client.get("/api/imports/999999", headers=writer)).status_code == 404
    assert (await app_client.post("/api/imports/999999/start", json={"mapping": {}}, headers=writer)).status_code == 404
    assert (await app_client.get("/api/imports/99999999999999999999", headers=writer)).status_code in (404, 422)
    assert (await app_client.get("/api/imports/999999/errors.csv", headers=writer)).status_code == 404


async def test_detail_keeps_the_preview_until_the_import_ends(app_client: httpx.AsyncClient, writer):
    uploaded = (await upload(app_client, writer, files.orders_file(files.GOOD)[0], "orders")).json()
    detail = (await app_client.get(f"/api/imports/{uploaded['id']}", headers=writer)).json()
    assert detail["preview"] == uploaded["preview"]
    assert (detail["seconds_left"], detail["rows_per_second"]) == (None, None)
