"""Driving an import the way the page does (upload, start) and the worker does (run what is queued), and
reading back what it wrote."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select

from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.imports.jobs import ImportRunner
from shopcrm.orders.models import UNCOUNTED_STATUSES, Order, OrderItem, OrderStatusEvent


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes, kind: str, filename: str = "export.csv"
) -> httpx.Response:
    return await client.post(
        "/api/imports", files={"file": (filename, content, "text/csv")}, data={"kind": kind}, headers=headers
    )


async def start(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    import_id: int,
    mapping: dict[str, str | None],
    preset: str | None = None,
    options: dict[str, Any] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"mapping": mapping, "preset": preset}
    if options is not None:
        body["options"] = options
    return await client.post(f"/api/imports/{import_id}/start", json=body, headers=headers)


async def run_queued(database: Database, settings: Settings) -> list[tuple[int, str]]:
    """What a worker (or the SQLite server's own loop) does: run every queued import to its end."""
    return await ImportRunner(database, settings).run_once()


async def import_file(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    database: Database,
    settings: Settings,
    content: bytes,
    kind: str,
    *,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Upload, start with the guessed mapping and preset, run; the import as the API shows it afterwards."""
    uploaded = await upload(client, headers, content, kind)
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    started = await start(client, headers, body["id"], body["mapping"], body["preset"], options)
    assert started.status_code == 202, started.text
    await run_queued(database, settings)
    final = await client.get(f"/api/imports/{body['id']}", headers=headers)
    assert final.status_code == 200, final.text
    result: dict[str, Any] = final.json()
    return result


async def errors(client: httpx.AsyncClient, headers: dict[str, str], import_id: int) -> list[list[str]]:
    import csv
    import io

    response = await client.get(f"/api/imports/{import_id}/errors.csv", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["row", "column", "value", "reason"]
    return rows[1:]


async def snapshot(database: Database) -> dict[str, Any]:
    """Everything an orders import writes, in a form two runs can be compared by."""
    async with database.sessionmaker() as session:
        orders = (
            await session.execute(
                select(Order.order_number, Order.status, Order.total_amount, Order.placed_at, Order.currency).order_by(
                    Order.order_number
                )
            )
        ).all()
        items = (
            await session.execute(
                select(Order.order_number, OrderItem.quantity, OrderItem.price)
                .join(Order, Order.id == OrderItem.order_id)
                .order_by(Order.order_number, OrderItem.id)
            )
        ).all()
        customers = (
            await session.execute(
                select(
                    Customer.email,
                    Customer.total_spend,
                    Customer.total_orders,
                    Customer.first_order_at,
                    Customer.last_order_at,
                    Customer.email_consent,
                ).order_by(Customer.email)
            )
        ).all()
        events = await session.scalar(select(func.count()).select_from(OrderStatusEvent))
    return {"orders": orders, "items": items, "customers": customers, "events": events}


async def aggregates_match_orders(database: Database) -> list[str]:
    """Customers whose stored figures differ from their counted orders, recomputed here in Python."""
    async with database.sessionmaker() as session:
        orders = (
            await session.execute(select(Order.customer_id, Order.status, Order.total_amount, Order.placed_at))
        ).all()
        customers = (
            await session.execute(
                select(
                    Customer.id,
                    Customer.total_spend,
                    Customer.total_orders,
                    Customer.first_order_at,
                    Customer.last_order_at,
                )
            )
        ).all()
    wrong = []
    uncounted = {s.value for s in UNCOUNTED_STATUSES}
    for cid, spend, n, first, last in customers:
        mine = [(t, at) for c, s, t, at in orders if c == cid and s not in uncounted]
        expected = (
            sum((t for t, _ in mine), Decimal("0")),
            len(mine),
            min((at for _, at in mine), default=None),
            max((at for _, at in mine), default=None),
        )
        if (spend, n, first, last) != expected:
            wrong.append(f"customer {cid}: {(spend, n, first, last)} != {expected}")
    return wrong
