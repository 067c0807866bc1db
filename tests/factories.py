"""Rows for tests, written straight to the database (the API is what the tests exercise)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.inventory.models import Product, StockMovement

_seq = itertools.count(1)


async def make_customer(database: Database, **fields: object) -> Customer:
    n = next(_seq)
    values: dict[str, object] = {
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "email": f"customer{n}@example.com",
        "status": "active",
        "total_spend": Decimal("0"),
        "total_orders": 0,
        "email_consent": True,
    }
    values.update(fields)
    async with database.transaction() as session:
        customer = Customer(**values)
        session.add(customer)
    return customer


async def make_product(database: Database, **fields: object) -> Product:
    n = next(_seq)
    values: dict[str, object] = {
        "name": f"Product {n}",
        "sku": f"SKU-{n}",
        "price": Decimal("10.00"),
        "stock": 100,
        "category": "Home",
    }
    values.update(fields)
    async with database.transaction() as session:
        product = Product(**values)
        session.add(product)
        await session.flush()
        session.add(
            StockMovement(
                product_id=product.id,
                kind="opening",
                quantity=product.stock,
                stock_after=product.stock,
                reason="opening balance",
            )
        )
    return product


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]
