"""Crashes and cancels leave whole chunks, and going on afterwards completes the import exactly: a worker
killed mid-import is taken over once its lease runs out and resumes from its last chunk; a cancelled import
stops after its current chunk and a re-run of the same file completes it. Both compared with the same file
imported in one go into an empty database."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database, utcnow
from shopcrm.imports import jobs
from shopcrm.imports.jobs import LEASE, claim, run_import
from shopcrm.imports.models import DataImport, ImportProblem
from shopcrm.inventory.models import Product, StockMovement
from shopcrm.orders.models import Order, OrderItem, OrderStatusEvent
from tests.imports import files
from tests.imports.helpers import aggregates_match_orders, import_file, snapshot, start, upload

# Enough orders for several chunks of CHUNK_ROWS rows (multi-line orders keep their lines together).
ORDERS = [
    files.ShopifyOrder(
        f"#{2000 + n}",
        f"buyer{n % 7}@example.com",
        ["paid", "refunded", "pending", "voided"][n % 4],
        f"2024-0{1 + n % 9}-1{n % 10} 10:00:00 +0100",
        f"{10 + n}.00",
        [files.Line("1", f"Item {k}", f"{(10 + n) / (1 + n % 3):.2f}", f"SKU-{k}") for k in range(1 + n % 3)],
        cancelled="2024-09-01 10:00:00 +0000" if n % 4 == 3 else "",
    )
    for n in range(24)
]


def _file() -> bytes:
    content, _ = files.orders_file(ORDERS)
    return content


async def _reference(app_client, writer, database, settings) -> dict[str, Any]:
    """What the file gives imported in one go; then the store is emptied again (its users kept)."""
    await import_file(app_client, writer, database, settings, _file(), "orders")
    reference = await snapshot(database)
    async with database.transaction() as session:
        for table in (ImportProblem, DataImport, OrderStatusEvent, OrderItem, Order, StockMovement, Product, Customer):
            await session.execute(delete(table))
    return reference


def _die_after(chunks: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker process dies (nothing more runs: no status written) after committing `chunks` chunks."""
    real = jobs._commit_chunk
    done = 0

    async def commit(*args: Any, **kwargs: Any) -> bool:
        nonlocal done
        if done == chunks:
            raise asyncio.CancelledError  # the process is gone mid-chunk: its transaction never commits
        done += 1
        return await real(*args, **kwargs)

    monkeypatch.setattr(jobs, "_commit_chunk", commit)


async def test_a_killed_worker_is_taken_over_and_the_import_completes_exactly(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    reference = await _reference(app_client, writer, database, settings)
    uploaded = (await upload(app_client, writer, _file(), "orders")).json()
    assert (await start(app_client, writer, uploaded["id"], uploaded["mapping"], "shopify_orders")).status_code == 202

    import_id = await claim(database, "worker-a")
    assert import_id == uploaded["id"]
    _die_after(2, monkeypatch)
    with pytest.raises(asyncio.CancelledError):
        await run_import(database, settings, import_id, "worker-a")
    monkeypatch.undo()
    halfway = (await app_client.get(f"/api/imports/{import_id}", headers=writer)).json()
    assert halfway["status"] == "running"
    assert 0 < halfway["rows_done"] < halfway["rows_total"]
    assert await aggregates_match_orders(database) == []  # whole chunks only, figures true at every step

    # Another worker cannot take it while the lease holds; once it has run out, it can.
    assert await claim(database, "worker-b") is None
    later = utcnow() + LEASE + dt.timedelta(seconds=1)
    assert await claim(database, "worker-b", now=later) == import_id
    assert await run_import(database, settings, import_id, "worker-b") == "done"

    final = (await app_client.get(f"/api/imports/{import_id}", headers=writer)).json()
    assert final["rows_done"] == final["rows_total"]
    assert final["rows_imported"] + final["rows_unchanged"] + final["rows_failed"] == final["rows_total"]
    assert final["rows_failed"] == 0
    assert await snapshot(database) == reference
    assert await aggregates_match_orders(database) == []


async def test_a_worker_that_lost_its_claim_mid_chunk_writes_nothing(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """Worker A stalls past its lease in its first chunk; B takes the import over; A's chunk is undone."""
    uploaded = (await upload(app_client, writer, _file(), "orders")).json()
    await start(app_client, writer, uploaded["id"], uploaded["mapping"], "shopify_orders")
    import_id = await claim(database, "worker-a")
    real = jobs._commit_chunk

    async def stall_then_commit(*args: Any, **kwargs: Any) -> bool:
        assert await claim(database, "worker-b", now=utcnow() + LEASE * 2) == import_id
        return await real(*args, **kwargs)

    monkeypatch.setattr(jobs, "_commit_chunk", stall_then_commit)
    assert await run_import(database, settings, import_id, "worker-a") == "lost"
    monkeypatch.undo()
    after = await snapshot(database)
    assert (after["orders"], after["customers"], after["events"]) == ([], [], 0)
    taken = (await app_client.get(f"/api/imports/{import_id}", headers=writer)).json()
    assert (taken["status"], taken["rows_done"]) == ("running", 0)
    assert await run_import(database, settings, import_id, "worker-b") == "done"
    assert await aggregates_match_orders(database) == []


async def test_cancel_stops_after_the_chunk_and_a_rerun_completes_it(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    reference = await _reference(app_client, writer, database, settings)
    uploaded = (await upload(app_client, writer, _file(), "orders")).json()
    import_id = uploaded["id"]
    await start(app_client, writer, import_id, uploaded["mapping"], "shopify_orders")

    real = jobs._commit_chunk
    calls = 0

    async def commit_then_cancel(*args: Any, **kwargs: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 2:  # the user presses cancel while the second chunk runs
            response = await app_client.post(f"/api/imports/{import_id}/cancel", headers=writer)
            assert response.status_code == 202, response.text
        return await real(*args, **kwargs)

    monkeypatch.setattr(jobs, "_commit_chunk", commit_then_cancel)
    assert await claim(database, "w") == import_id
    assert await run_import(database, settings, import_id, "w") == "cancelled"
    monkeypatch.undo()
    assert calls == 2  # the chunk in progress was finished, nothing after it
    cancelled = (await app_client.get(f"/api/imports/{import_id}", headers=writer)).json()
    assert cancelled["status"] == "cancelled"
    assert 0 < cancelled["rows_done"] < cancelled["rows_total"]
    assert await aggregates_match_orders(database) == []
    # A finished import cannot be started or cancelled into another state.
    assert (await app_client.post(f"/api/imports/{import_id}/cancel", headers=writer)).status_code == 202
    assert (await start(app_client, writer, import_id, uploaded["mapping"])).status_code == 409

    rerun = await import_file(app_client, writer, database, settings, _file(), "orders")
    assert rerun["rows_unchanged"] == cancelled["rows_imported"]
    assert rerun["rows_imported"] == rerun["rows_total"] - cancelled["rows_imported"]
    assert await snapshot(database) == reference
    assert await aggregates_match_orders(database) == []


async def test_finished_imports_leave_no_file_behind(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    await import_file(app_client, writer, database, settings, _file(), "orders")
    assert list(settings.import_dir.glob("*.csv")) == []
