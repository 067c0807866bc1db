"""On PostgreSQL an order is one statement that is its own transaction, whichever way the caller logged
in: a cookie session (whose lookup opened a transaction), an API token checked afresh (which may record
its use), or a token this process trusts from a moment ago (no statement at all before the order)."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import text

from shopcrm.auth.models import Role
from shopcrm.orders import ingestion
from shopcrm.orders.schemas import OrderCreate
from tests.conftest import login, need_postgres
from tests.factories import make_customer, make_product


@pytest.fixture
def engine_name() -> str:
    need_postgres()
    return "postgresql"


def _order(number: str, customer_id: int) -> dict[str, object]:
    return {"order_number": number, "customer_id": customer_id, "items": [{"sku": "TX", "quantity": 1}]}


async def test_every_auth_path_stores_the_order_as_its_own_transaction(
    app_client: httpx.AsyncClient, make_user, database
):
    user = await make_user(Role.marketer)
    customer = await make_customer(database)
    await make_product(database, sku="TX", price=Decimal("4.00"), stock=10)
    bearer = {"Authorization": f"Bearer {user.token}"}

    fresh_token = await app_client.post("/api/orders", json=_order("T-1", customer.id), headers=bearer)
    cached_token = await app_client.post("/api/orders", json=_order("T-2", customer.id), headers=bearer)
    csrf = await login(app_client, user)
    cookie = await app_client.post("/api/orders", json=_order("T-3", customer.id), headers={"X-CSRF-Token": csrf})
    replay = await app_client.post("/api/orders", json=_order("T-3", customer.id), headers={"X-CSRF-Token": csrf})

    assert [r.status_code for r in (fresh_token, cached_token, cookie, replay)] == [201, 201, 201, 200]
    async with database.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM orders")) == 3
        assert await conn.scalar(text("SELECT stock FROM products WHERE sku = 'TX'")) == 7


async def test_ingestion_refuses_to_join_an_open_transaction(database):
    customer = await make_customer(database)
    await make_product(database, sku="TX", price=Decimal("4.00"), stock=10)
    async with database.sessionmaker() as session:
        await session.execute(text("SELECT 1"))  # begins a transaction on the driver
        with pytest.raises(RuntimeError, match="its own transaction"):
            await ingestion.create_order(session, data=OrderCreate.model_validate(_order("T-9", customer.id)))
        await session.rollback()
    async with database.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM orders")) == 0
