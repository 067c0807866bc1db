"""Export, then import: ShopCRM's own CSV files (customers, products, orders) come back in through the native
presets with nothing failed and nothing changed, on both engines; a phone the export guarded as text (a
leading `'`) reads back as the number it was."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
from sqlalchemy import select

from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from tests.factories import make_customer, make_product
from tests.imports.helpers import aggregates_match_orders, errors, import_file, snapshot


async def test_each_export_imports_back_unchanged(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    customers = [
        await make_customer(database, email=f"round{i}@example.com", phone=f"+49151234567{i:02d}") for i in range(4)
    ]
    products = [
        await make_product(database, category="Home", price=Decimal(f"{5 + i}.50"), stock=500) for i in range(3)
    ]
    placed = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)
    for i, customer in enumerate(customers):
        body = {
            "order_number": f"RT-{i}",
            "customer_id": customer.id,
            "placed_at": (placed + dt.timedelta(days=i)).isoformat(),
            "items": [{"sku": p.sku, "quantity": 1 + i} for p in products[: 1 + i % 3]],
        }
        assert (await app_client.post("/api/orders", json=body, headers=writer)).status_code == 201
    before = await snapshot(database)

    for kind, path in (
        ("customers", "/api/customers.csv"),
        ("products", "/api/products.csv"),
        ("orders", "/api/orders.csv"),
    ):
        exported = await app_client.get(path, headers=writer)
        assert exported.status_code == 200, exported.text
        result = await import_file(app_client, writer, database, settings, exported.content, kind)
        assert result["preset"] == kind, result
        assert result["status"] == "done", result
        assert result["rows_failed"] == 0, (kind, await errors(app_client, writer, result["id"]))
        assert result["rows_imported"] == 0, (kind, result)  # nothing new, nothing changed
    assert await snapshot(database) == before
    assert await aggregates_match_orders(database) == []
    async with database.sessionmaker() as session:
        phones = set((await session.scalars(select(Customer.phone))).all())
    assert phones == {c.phone for c in customers}
