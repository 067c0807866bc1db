"""The one-row-per-order history (orders_simple) and ShopCRM's own orders.csv on both engines, and what the rest
of the product sees afterwards: the dashboard's rollup rebuilds the imported days, customer figures are true."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
from sqlalchemy import select

from shopcrm.analytics.models import DailySales
from shopcrm.analytics.rollup import refresh_rollup
from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.inventory.models import Product, StockMovement
from shopcrm.orders.models import Order, OrderItem
from tests.imports.helpers import aggregates_match_orders, errors, import_file

HISTORY = (
    "Order No;E-Mail;Date;Total;Status\r\n"
    "H-1;ann@example.com;2023-12-31 23:30:00 +0100;120,50;paid\r\n"
    "H-2;ann@example.com;2024-01-15;80,00;delivered\r\n"
    "H-3;ben@example.com;2024-01-16T08:00:00+02:00;15,00;\r\n"
    "H-4;ben@example.com;2024-01-17;15,00;refunded\r\n"
    "H-5;cat@example.com;yesterday;15,00;paid\r\n"
)


async def test_one_row_per_order_books_each_total_against_the_named_product(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    result = await import_file(
        app_client,
        writer,
        database,
        settings,
        HISTORY.encode(),
        "orders",
        options={"product_sku": "LEGACY", "product_name": "Order history", "default_status": "delivered"},
    )
    assert result["preset"] == "orders_simple"
    assert (result["rows_imported"], result["rows_failed"]) == (4, 1)
    assert [(r[0], r[1], r[2]) for r in await errors(app_client, writer, result["id"])] == [("6", "Date", "yesterday")]
    async with database.sessionmaker() as session:
        orders = {o.order_number: o for o in (await session.execute(select(Order))).scalars()}
        items = (await session.execute(select(OrderItem.quantity, OrderItem.price, Product.sku).join(Product))).all()
        product = (await session.execute(select(Product))).scalar_one()
        moves = (await session.execute(select(StockMovement.kind, StockMovement.quantity))).all()
        ann = (await session.execute(select(Customer).where(Customer.email == "ann@example.com"))).scalar_one()
    assert orders["H-1"].placed_at == dt.datetime(2023, 12, 31, 22, 30, tzinfo=dt.UTC)
    assert orders["H-1"].total_amount == Decimal("120.50")
    assert orders["H-3"].status == "delivered"  # the default for an empty status cell
    assert sorted((q, p) for q, p, _ in items) == [
        (1, Decimal("15.00")),
        (1, Decimal("15.00")),
        (1, Decimal("80.00")),
        (1, Decimal("120.50")),
    ]
    assert (product.sku, product.name, product.stock) == ("LEGACY", "Order history", 0)
    assert moves == [("opening", 0)]
    assert (ann.total_spend, ann.total_orders) == (Decimal("200.50"), 2)
    assert await aggregates_match_orders(database) == []


async def test_shopcrm_orders_csv_and_the_dashboard_rollup(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    # The rollup is built (empty) before the import, as a running server would have it.
    assert await refresh_rollup(database, timezone="UTC") is not None
    content = (
        b"order_number,placed_at,status,currency,customer_email,total_amount,sku,product_name,quantity,price,"
        b"shipping_name,shipping_address1,shipping_address2,shipping_city,shipping_postal_code,shipping_country\n"
        b"N-1,2024-02-01T10:00:00Z,paid,USD,sam@example.com,30.00,MUG,Mug,2,15.00,Sam,1 Road,,Leeds,LS1,GB\n"
        b"N-1,2024-02-01T10:00:00Z,paid,USD,sam@example.com,30.00,,Sticker,1,0.00,Sam,1 Road,,Leeds,LS1,GB\n"
        b"N-2,2024-02-02T10:00:00Z,cancelled,USD,sam@example.com,15.00,MUG,Mug,1,15.00,,,,,,\n"
        b"N-3,2024-02-02T11:00:00Z,shipped,USD,tia@example.com,45.00,MUG,Mug,3,15.00,,,,,,\n"
    )
    result = await import_file(app_client, writer, database, settings, content, "orders")
    assert result["preset"] == "orders"
    assert (result["rows_imported"], result["rows_failed"]) == (4, 0)
    assert await refresh_rollup(database, timezone="UTC") == 2  # the two imported days, after the watermark
    async with database.sessionmaker() as session:
        days = {
            (d.day, d.status): (d.orders, d.sales, d.items)
            for d in (await session.execute(select(DailySales))).scalars()
        }
    assert days == {
        (dt.date(2024, 2, 1), "paid"): (1, Decimal("30.00"), 3),
        (dt.date(2024, 2, 2), "cancelled"): (1, Decimal("15.00"), 1),
        (dt.date(2024, 2, 2), "shipped"): (1, Decimal("45.00"), 3),
    }
    assert await aggregates_match_orders(database) == []
