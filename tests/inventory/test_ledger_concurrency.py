"""On PostgreSQL, concurrent orders, cancels and stock adjustments on the same products: afterwards no
stock is below zero and every product's stock equals the sum of its movements (and its last movement's
stock_after). Each request runs on its own connection (NullPool), so the races are real."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest

from shopcrm.auth.models import Role
from tests.conftest import need_postgres
from tests.factories import make_customer, make_product
from tests.inventory.helpers import ledger_mismatches


@pytest.fixture
def engine_name() -> str:
    need_postgres()
    return "postgresql"


async def test_concurrent_orders_cancels_and_adjustments_keep_the_ledger(
    app_client: httpx.AsyncClient, make_user, database
):
    user = await make_user(Role.marketer)
    headers = {"Authorization": f"Bearer {user.token}"}
    customers = [await make_customer(database) for _ in range(3)]
    a = await make_product(database, sku="A", price=Decimal("2.00"), stock=30)
    b = await make_product(database, sku="B", price=Decimal("3.00"), stock=15)

    async def place(n: int) -> int | None:
        body = {
            "order_number": f"R-{n}",
            "customer_id": customers[n % 3].id,
            "items": [{"sku": "A", "quantity": 1 + n % 2}, {"sku": "B", "quantity": 1}][:: 1 if n % 2 else -1],
        }
        response = await app_client.post("/api/orders", json=body, headers=headers)
        assert response.status_code in (201, 409), response.text
        return int(response.json()["id"]) if response.status_code == 201 else None

    first = [i for i in await asyncio.gather(*(place(n) for n in range(12))) if i is not None]

    async def cancel(order_id: int) -> int:
        response = await app_client.patch(f"/api/orders/{order_id}", json={"status": "cancelled"}, headers=headers)
        return response.status_code

    async def adjust(n: int) -> int:
        product = (a, b)[n % 2]
        body = (
            {"kind": "received", "quantity": 1 + n % 4, "reason": f"delivery {n}"}
            if n % 3
            else {"kind": "correction", "counted": 5 + n, "reason": f"count {n}"}
        )
        response = await app_client.post(f"/api/inventory/{product.id}/adjustments", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.status_code

    results = await asyncio.gather(
        *(cancel(i) for i in first[::2]),
        *(cancel(i) for i in first[::2]),  # each cancel races itself: only one returns stock
        *(place(n) for n in range(12, 40)),
        *(adjust(n) for n in range(16)),
    )
    assert all(code == 200 for code in results[: 2 * len(first[::2])])
    assert await ledger_mismatches(database) == []
    async with database.engine.connect() as conn:
        from sqlalchemy import text

        returned = await conn.scalar(text("SELECT count(*) FROM stock_movements WHERE kind = 'order_returned'"))
        taken = await conn.scalar(text("SELECT count(*) FROM stock_movements WHERE kind = 'order_taken'"))
        orders = await conn.scalar(text("SELECT count(*) FROM orders"))
    assert returned == 2 * len(first[::2])  # one per product per cancelled order, never twice
    assert taken == 2 * orders
