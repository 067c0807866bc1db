"""Many orders at once on PostgreSQL: never more stock sold than there was, and every customer's
figures equal the sum of their orders. Each request runs on its own connection (NullPool), so the
database sees real concurrent transactions."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import text

from shopcrm.auth.models import Role
from shopcrm.db import Database
from shopcrm.orders.models import UNCOUNTED_SQL
from tests.conftest import need_postgres
from tests.factories import make_customer, make_product


@pytest.fixture
def engine_name() -> str:
    """This module runs on PostgreSQL only: SQLite runs one writer at a time, so there is no race to test."""
    need_postgres()
    return "postgresql"


async def _aggregates_mismatches(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int(
            await conn.scalar(
                text(
                    f"""
                    SELECT count(*) FROM customers c
                    LEFT JOIN (
                        SELECT customer_id, sum(total_amount) AS spend, count(*) AS n,
                               min(placed_at) AS first_at, max(placed_at) AS last_at
                        FROM orders WHERE status NOT IN {UNCOUNTED_SQL} GROUP BY customer_id
                    ) o ON o.customer_id = c.id
                    WHERE c.total_spend <> coalesce(o.spend, 0) OR c.total_orders <> coalesce(o.n, 0)
                       OR c.first_order_at IS DISTINCT FROM o.first_at OR c.last_order_at IS DISTINCT FROM o.last_at
                    """
                )
            )
            or 0
        )


async def test_concurrent_orders_never_oversell(app_client: httpx.AsyncClient, make_user, database):
    user = await make_user(Role.marketer)
    headers = {"Authorization": f"Bearer {user.token}"}
    customers = [await make_customer(database) for _ in range(4)]
    scarce = await make_product(database, sku="SCARCE", price=Decimal("9.99"), stock=25)
    plenty = await make_product(database, sku="PLENTY", price=Decimal("1.00"), stock=10_000)

    async def place(n: int) -> int:
        body = {
            "order_number": f"C-{n}",
            "customer_id": customers[n % 4].id,
            "placed_at": f"2026-10-{1 + n % 28:02d}T10:00:00Z",
            # Two products in opposite line order: lock ordering must prevent deadlocks.
            "items": [{"sku": "SCARCE", "quantity": 1}, {"sku": "PLENTY", "quantity": 2}][:: 1 if n % 2 else -1],
        }
        return (await app_client.post("/api/orders", json=body, headers=headers)).status_code

    statuses = await asyncio.gather(*(place(n) for n in range(40)))
    assert statuses.count(201) == 25
    assert statuses.count(409) == 15
    async with database.engine.connect() as conn:
        stock = dict((await conn.execute(text("SELECT sku, stock FROM products"))).all())
        orders = await conn.scalar(text("SELECT count(*) FROM orders"))
    assert stock == {"SCARCE": 0, "PLENTY": 10_000 - 2 * 25}
    assert orders == 25
    assert await _aggregates_mismatches(database) == 0
    assert scarce.id != plenty.id


async def test_the_same_order_sent_at_once_is_stored_once(app_client: httpx.AsyncClient, make_user, database):
    user = await make_user(Role.marketer)
    headers = {"Authorization": f"Bearer {user.token}"}
    customer = await make_customer(database)
    await make_product(database, sku="ONE", price=Decimal("5.00"), stock=100)
    body = {"order_number": "DUP-1", "customer_id": customer.id, "items": [{"sku": "ONE", "quantity": 3}]}

    responses = await asyncio.gather(*(app_client.post("/api/orders", json=body, headers=headers) for _ in range(6)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    async with database.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM orders")) == 1
        assert await conn.scalar(text("SELECT stock FROM products WHERE sku = 'ONE'")) == 97
    assert await _aggregates_mismatches(database) == 0


async def test_concurrent_cancels_and_orders_keep_figures_exact(app_client: httpx.AsyncClient, make_user, database):
    user = await make_user(Role.marketer)
    headers = {"Authorization": f"Bearer {user.token}"}
    customer = await make_customer(database)
    await make_product(database, sku="P", price=Decimal("3.33"), stock=1_000)

    async def place(n: int) -> int:
        body = {
            "order_number": f"X-{n}",
            "customer_id": customer.id,
            "items": [{"sku": "P", "quantity": 1 + n % 3}],
            "placed_at": f"2026-09-{1 + n:02d}T08:00:00Z",
        }
        response = await app_client.post("/api/orders", json=body, headers=headers)
        assert response.status_code == 201
        return int(response.json()["id"])

    ids = await asyncio.gather(*(place(n) for n in range(20)))

    async def cancel(order_id: int) -> int:
        return (
            await app_client.patch(f"/api/orders/{order_id}", json={"status": "cancelled"}, headers=headers)
        ).status_code

    # Cancel half of them (each twice, racing itself) while ten more orders come in.
    results = await asyncio.gather(
        *(cancel(i) for i in ids[::2]), *(cancel(i) for i in ids[::2]), *(place(n) for n in range(20, 28))
    )
    assert all(code == 200 for code in results[:20])
    async with database.engine.connect() as conn:
        sold = await conn.scalar(
            text(
                "SELECT coalesce(sum(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id "
                "WHERE o.status <> 'cancelled'"
            )
        )
        stock = await conn.scalar(text("SELECT stock FROM products WHERE sku = 'P'"))
    assert stock == 1_000 - sold
    assert await _aggregates_mismatches(database) == 0


async def test_concurrent_cancels_of_one_customers_orders_keep_first_and_last_dates(
    app_client: httpx.AsyncClient, make_user, database
):
    """10 customers with 4 paid orders each, every order on its own product, all 40 cancelled at once.
    Each cancel recomputes the customer's first and last order times; one that missed a cancel committed
    a moment before it would leave a cancelled order's time behind (or dates where no order counts)."""
    user = await make_user(Role.marketer)
    headers = {"Authorization": f"Bearer {user.token}"}
    for round_ in range(2):
        customers = [await make_customer(database) for _ in range(10)]
        ids: list[int] = []
        for c, customer in enumerate(customers):
            for k in range(4):
                sku = f"R{round_}-C{c}-K{k}"
                await make_product(database, sku=sku, price=Decimal("7.00"), stock=5)
                body = {
                    "order_number": f"D-{round_}-{c}-{k}",
                    "customer_id": customer.id,
                    "items": [{"sku": sku, "quantity": 1}],
                    "placed_at": f"2026-0{k + 1}-1{c % 10}T12:00:00Z",
                }
                response = await app_client.post("/api/orders", json=body, headers=headers)
                assert response.status_code == 201, response.text
                order_id = int(response.json()["id"])
                paid = await app_client.patch(f"/api/orders/{order_id}", json={"status": "paid"}, headers=headers)
                assert paid.status_code == 200, paid.text
                ids.append(order_id)

        results = await asyncio.gather(
            *(app_client.patch(f"/api/orders/{i}", json={"status": "cancelled"}, headers=headers) for i in ids)
        )
        assert [r.status_code for r in results] == [200] * len(ids)
        assert await _aggregates_mismatches(database) == 0, f"round {round_}"
        async with database.engine.connect() as conn:
            left = await conn.scalar(
                text(
                    "SELECT count(*) FROM customers WHERE id = ANY(:ids) AND "
                    "(first_order_at IS NOT NULL OR last_order_at IS NOT NULL OR total_orders <> 0)"
                ),
                {"ids": [c.id for c in customers]},
            )
        assert left == 0
