"""Customers (Shopify's export and ShopCRM's own customers.csv) and products (products.csv) on both engines:
matched by normalised email and by SKU, updated only where the file differs, consent never re-given to
someone who unsubscribed, figures never taken from the file, stock changes written to the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
from sqlalchemy import select

from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.inventory.models import Product, StockMovement
from tests.factories import make_customer, make_product
from tests.imports import files
from tests.imports.helpers import errors, import_file, upload

SHOPIFY_CUSTOMERS = [
    {
        "Customer ID": "7001",
        "First Name": "Zoë",
        "Last Name": "Müller",
        "Email": "Zoe.Mueller@Example.com",
        "Accepts Email Marketing": "yes",
        "Default Address City": "München",
        "Default Address Country Code": "DE",
        "Phone": "'+4915123456789",
        "Total Spent": "1234.50",
        "Total Orders": "17",
        "Note": "VIP, likes \"linen\"\nsecond line",
    },
    {"Customer ID": "7002", "First Name": "Bob", "Last Name": "Stone", "Email": "bob@example.com",
     "Accepts Email Marketing": "no", "Default Address Country Code": "US", "Total Spent": "0.00"},
    {"Customer ID": "7003", "First Name": "Una", "Last Name": "Subscribed", "Email": "una@example.com",
     "Accepts Email Marketing": "yes"},
    {"Customer ID": "7004", "First Name": "Bad", "Last Name": "Mail", "Email": "bad@@example"},
    {"Customer ID": "7005", "First Name": "Bad", "Last Name": "Phone", "Email": "p@example.com", "Phone": "12"},
    {"Customer ID": "7006", "First Name": "Bad", "Last Name": "Land", "Email": "l@example.com",
     "Default Address Country Code": "Germany"},
]  # fmt: skip


async def test_shopify_customers_export(app_client: httpx.AsyncClient, writer, database: Database, settings: Settings):
    # Una unsubscribed in ShopCRM: the file's "yes" must not subscribe her again.
    unsubscribed = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    await make_customer(
        database, email="una@example.com", first_name="Una", last_name="Old", email_consent=False,
        unsubscribed_at=unsubscribed,
    )  # fmt: skip
    content = files.customers_file(SHOPIFY_CUSTOMERS, bom=True)
    uploaded = (await upload(app_client, writer, content, "customers")).json()
    assert uploaded["preset"] == "shopify_customers"
    assert (uploaded["mapping"]["Total Spent"], uploaded["mapping"]["Total Orders"]) == (None, None)
    result = await import_file(app_client, writer, database, settings, content, "customers")
    assert (result["rows_imported"], result["rows_unchanged"], result["rows_failed"]) == (3, 0, 3)

    async with database.sessionmaker() as session:
        people = {c.email: c for c in (await session.execute(select(Customer))).scalars()}
    zoe = people["zoe.mueller@example.com"]
    assert (zoe.first_name, zoe.last_name, zoe.city, zoe.country) == ("Zoë", "Müller", "München", "DE")
    assert (zoe.phone, zoe.email_consent) == ("+4915123456789", True)
    assert (zoe.total_spend, zoe.total_orders) == (Decimal("0"), 0)  # figures come from orders, not the file
    assert people["bob@example.com"].email_consent is False
    una = people["una@example.com"]
    assert (una.last_name, una.email_consent, una.unsubscribed_at) == ("Subscribed", False, unsubscribed)

    reported = {(int(r[0]), r[1], r[3].split(" (")[0]) for r in await errors(app_client, writer, result["id"])}
    assert reported == {
        (5, "Email", "not a valid email address"),
        (6, "Phone", "not a valid phone number"),
        (7, "Default Address Country Code", "not a country code of two letters"),
    }

    again = await import_file(app_client, writer, database, settings, content, "customers")
    assert (again["rows_imported"], again["rows_unchanged"]) == (0, 3)


async def test_no_in_the_file_unsubscribes_a_consenting_customer(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    await make_customer(database, email="ann@example.com", first_name="Ann", last_name="A", email_consent=True)
    content = b"email,email_consent\nANN@example.com,no\n"
    result = await import_file(app_client, writer, database, settings, content, "customers")
    assert result["rows_imported"] == 1
    async with database.sessionmaker() as session:
        ann = (await session.execute(select(Customer))).scalar_one()
    assert (ann.first_name, ann.email_consent) == ("Ann", False)
    assert ann.unsubscribed_at is not None


async def test_shopcrm_customers_csv_round_trips(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    content = (
        b"email,first_name,last_name,phone,status,city,country,email_consent,created_at,total_spend,total_orders,"
        b"first_order_at,last_order_at\n"
        b"kim@example.com,Kim,Lee,+14155552671,inactive,Oakland,US,true,2023-02-03T04:05:06Z,999.00,9,"
        b"2023-03-01T00:00:00Z,2023-04-01T00:00:00Z\n"
    )
    uploaded = (await upload(app_client, writer, content, "customers")).json()
    assert uploaded["preset"] == "customers"
    assert uploaded["mapping"]["total_spend"] is None
    await import_file(app_client, writer, database, settings, content, "customers")
    async with database.sessionmaker() as session:
        kim = (await session.execute(select(Customer))).scalar_one()
    assert (kim.status, kim.city, kim.country, kim.email_consent) == ("inactive", "Oakland", "US", True)
    assert kim.created_at == dt.datetime(2023, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    assert (kim.total_spend, kim.total_orders, kim.last_order_at) == (Decimal("0"), 0, None)


async def test_products_csv_creates_updates_and_counts_stock_in_the_ledger(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    await make_product(database, sku="MUG", name="Mug", price=Decimal("8.00"), stock=5, category="Kitchen")
    content = (
        b"sku,name,category,price,cost,stock,low_stock_threshold,reorder_lead_days\n"
        b"MUG,Mug,Kitchen,9.50,3.00,12,10,14\n"
        b"TEA,Green Tea,Pantry,4.20,,30,5,7\n"
        b"BAD,Broken,Pantry,-1,,1,1,1\n"
    )
    result = await import_file(app_client, writer, database, settings, content, "products")
    assert (result["rows_imported"], result["rows_failed"]) == (2, 1)
    async with database.sessionmaker() as session:
        products = {p.sku: p for p in (await session.execute(select(Product))).scalars()}
        moves = (
            await session.execute(
                select(Product.sku, StockMovement.kind, StockMovement.quantity, StockMovement.stock_after)
                .join(Product, Product.id == StockMovement.product_id)
                .order_by(StockMovement.id)
            )
        ).all()
    assert (products["MUG"].price, products["MUG"].cost, products["MUG"].stock) == (
        Decimal("9.50"),
        Decimal("3.00"),
        12,
    )
    tea = products["TEA"]
    assert (tea.name, tea.category, tea.price, tea.stock, tea.reorder_lead_days) == (
        "Green Tea",
        "Pantry",
        Decimal("4.20"),
        30,
        7,
    )
    assert [tuple(m) for m in moves] == [
        ("MUG", "opening", 5, 5),
        ("TEA", "opening", 30, 30),
        ("MUG", "correction", 7, 12),
    ]
    for sku, product in products.items():  # the ledger's rule: stock is the sum of its rows
        assert sum(q for s, _, q, _ in moves if s == sku) == product.stock

    again = await import_file(app_client, writer, database, settings, content, "products")
    assert (again["rows_imported"], again["rows_unchanged"], again["rows_failed"]) == (0, 2, 1)
