"""A Shopify orders export imported end to end on both engines: the preset recognised, orders, lines,
statuses, customers and their figures as worked out by hand, bad rows reported with their row numbers, no
stock taken, the same file twice changing nothing, and the `;` / BOM variants giving the same result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
from sqlalchemy import func, select

from shopcrm.config import Settings
from shopcrm.customers.models import Customer
from shopcrm.db import Database
from shopcrm.inventory.models import Product, StockMovement
from shopcrm.orders.models import Order, OrderItem
from tests.factories import make_product
from tests.imports import files
from tests.imports.helpers import aggregates_match_orders, errors, import_file, snapshot, upload


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


async def test_upload_recognises_the_shopify_export_and_previews_it(app_client: httpx.AsyncClient, writer):
    content, _ = files.orders_file(files.GOOD, bom=True)
    response = await upload(app_client, writer, content, "orders", filename="orders_export_1.csv")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "uploaded"
    assert body["filename"] == "orders_export_1.csv"
    assert body["preset"] == "shopify_orders"
    assert body["headers"] == files.SHOPIFY_ORDER_HEADERS  # the byte order mark is not part of "Name"
    assert body["mapping"]["Name"] == "order_number"
    assert body["mapping"]["Lineitem sku"] == "sku"
    assert body["mapping"]["Paid at"] is None
    assert body["rows_total"] == sum(len(o.lines) for o in files.GOOD)
    assert len(body["preview"]) == body["rows_total"]
    first = body["preview"][0]
    assert first[files.SHOPIFY_ORDER_HEADERS.index("Shipping Address1")] == "12 Main St, Apt 4"
    assert first[files.SHOPIFY_ORDER_HEADERS.index("Notes")] == "Leave at the door\nRing twice, please"


async def test_shopify_orders_import_as_worked_out_by_hand(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    existing = await make_product(database, sku="SHIRT-M", name="Linen Shirt M", stock=7)
    content, rows = files.orders_file(files.GOOD + files.BAD, bom=True)
    result = await import_file(app_client, writer, database, settings, content, "orders")

    good_rows = sum(len(o.lines) for o in files.GOOD)
    bad_rows = sum(len(o.lines) for o in files.BAD)
    assert result["status"] == "done"
    assert (result["rows_total"], result["rows_done"]) == (good_rows + bad_rows, good_rows + bad_rows)
    assert (result["rows_imported"], result["rows_unchanged"], result["rows_failed"]) == (good_rows, 0, bad_rows)
    assert result["created_by"] == "Test marketer"

    async with database.sessionmaker() as session:
        stored = {o.order_number: o for o in (await session.execute(select(Order))).scalars()}
        customers = {c.email: c for c in (await session.execute(select(Customer))).scalars()}
        by_id = {c.id: c.email for c in customers.values()}
        assert set(stored) == set(files.EXPECTED)
        for number, (email, total, status) in files.EXPECTED.items():
            order = stored[number]
            assert (by_id[order.customer_id], order.total_amount, order.status) == (email, total, status), number
        # Times as the file wrote them, in UTC; a date alone is midnight in the store's zone (UTC here).
        assert stored["#1001"].placed_at == utc(2024, 3, 5, 13, 22, 10)
        assert stored["#1003"].placed_at == utc(2024, 4, 1, 14, 0, 0)
        assert stored["#1011"].placed_at == utc(2024, 5, 1)
        assert stored["#1001"].shipping_address1 == "12 Main St, Apt 4"
        assert stored["#1001"].shipping_postal_code == "10115"  # the spreadsheet guard ' removed
        assert stored["#1001"].currency == "EUR"

        lines = (
            await session.execute(
                select(Order.order_number, Product.sku, OrderItem.quantity, OrderItem.price)
                .join(Order, Order.id == OrderItem.order_id)
                .join(Product, Product.id == OrderItem.product_id)
                .order_by(Order.order_number, OrderItem.id)
            )
        ).all()
        by_order: dict[str, list[tuple[str, int, Decimal]]] = {}
        for number, sku, quantity, price in lines:
            by_order.setdefault(number, []).append((sku, quantity, price))
        assert by_order["#1001"] == [("SHIRT-M", 2, Decimal("19.90")), ("BAG-1", 1, Decimal("20.00"))]
        assert by_order["#1005"] == [("SHIRT-L", 2, Decimal("30.00")), ("CANDLE", 1, Decimal("40.00"))]
        gift = by_order["#1003"][0]
        assert gift[0].startswith("NOSKU-")
        assert gift[1:] == (1, Decimal("25.00"))

        # Customers as the orders say; Alice's two counted orders (the refund counts nowhere).
        alice = customers["alice@example.com"]
        assert (alice.first_name, alice.last_name, alice.email_consent) == ("Alice", "Smith", True)
        assert (alice.total_spend, alice.total_orders) == (Decimal("99.80"), 2)
        assert (alice.first_order_at, alice.last_order_at) == (utc(2024, 3, 5, 13, 22, 10), utc(2024, 5, 1))
        assert (customers["bob@example.com"].total_spend, customers["bob@example.com"].email_consent) == (
            Decimal("24.90"),
            False,
        )
        carol = customers["carol@example.com"]
        assert (carol.total_spend, carol.total_orders, carol.first_order_at) == (Decimal("0"), 0, None)
        assert customers["dave@example.com"].total_spend == Decimal("70.00")
        # Nobody from a refused order was created.
        assert not {"erin@example.com", "frank@example.com", "gina@example.com", "hank@example.com"} & set(customers)

        # History takes no stock: the existing product kept its stock and ledger; new products have none.
        stock = dict((await session.execute(select(Product.sku, Product.stock))).all())
        assert (stock["SHIRT-M"], stock["BAG-1"], stock["CANDLE"]) == (7, 0, 0)
        moves = (await session.execute(select(StockMovement.kind, StockMovement.quantity))).all()
        assert all(kind == "opening" for kind, _ in moves)
        assert sum(q for _, q in moves) == sum(stock.values())
        assert (await session.get(Product, existing.id)).name == "Linen Shirt M"  # type: ignore[union-attr]
    assert await aggregates_match_orders(database) == []

    problems = await errors(app_client, writer, result["id"])
    reported = {(int(r[0]), r[3]) for r in problems}
    r = rows
    assert (
        r["#1006"][1],
        f"the lines of order #1006 disagree about its customer (row {r['#1006'][0]} names another)",
    ) in reported
    assert (r["#1006"][0], f"not imported: row {r['#1006'][1]} of this order has a problem") in reported
    assert (r["#1007"][0], "not a valid email address") in reported
    assert (r["#1008"][0], "unknown status") in reported
    assert (r["#1009"][1], "negative quantity") in reported
    assert (r["#1010"][0], "unreadable date (use e.g. 2024-03-05 14:22:10 +0100 or 2024-03-05T13:22:10Z)") in reported
    assert len(problems) == bad_rows
    by_row = {int(p[0]): p for p in problems}
    assert by_row[r["#1008"][0]][1:3] == ["Financial Status", "weird"]
    assert by_row[r["#1009"][1]][1:3] == ["Lineitem quantity", "'-1"]  # a leading - is guarded like a formula
    # A cell a spreadsheet would run as a formula comes back neutralised.
    assert by_row[r["#1012"][0]][2] == '\'=HYPERLINK("http://x")'


async def test_the_same_file_twice_changes_nothing(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    content, _ = files.orders_file(files.GOOD + files.BAD)
    first = await import_file(app_client, writer, database, settings, content, "orders")
    before = await snapshot(database)
    async with database.sessionmaker() as session:
        updated = dict((await session.execute(select(Customer.email, Customer.updated_at))).all())
    second = await import_file(app_client, writer, database, settings, content, "orders")
    assert second["status"] == "done"
    assert second["rows_imported"] == 0
    assert second["rows_unchanged"] == first["rows_imported"]
    assert second["rows_failed"] == first["rows_failed"]
    assert await snapshot(database) == before
    async with database.sessionmaker() as session:
        assert dict((await session.execute(select(Customer.email, Customer.updated_at))).all()) == updated


async def test_semicolons_decimal_commas_and_crlf_give_the_same_history(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    content, _ = files.orders_file(files.GOOD)
    european = files.european(content)
    assert b";" in european.split(b"\n", 1)[0]
    result = await import_file(app_client, writer, database, settings, european, "orders")
    assert (result["status"], result["rows_failed"]) == ("done", 0)
    async with database.sessionmaker() as session:
        totals = dict((await session.execute(select(Order.order_number, Order.total_amount))).all())
        addresses = set((await session.scalars(select(Order.shipping_address1))).all())
    assert totals == {number: total for number, (_, total, _) in files.EXPECTED.items()}
    assert "12 Main St, Apt 4" in addresses
    assert await aggregates_match_orders(database) == []


async def test_customer_figures_count_existing_orders_too(
    app_client: httpx.AsyncClient, writer, database: Database, settings: Settings
):
    """An import into a store that has orders already: the recount is over all of a customer's orders."""
    content, _ = files.orders_file(files.GOOD[:1])
    await import_file(app_client, writer, database, settings, content, "orders")
    later, _ = files.orders_file(files.GOOD[5:])  # Alice's #1011 in a second file
    await import_file(app_client, writer, database, settings, later, "orders")
    async with database.sessionmaker() as session:
        alice = (await session.execute(select(Customer).where(Customer.email == "alice@example.com"))).scalar_one()
        n = await session.scalar(select(func.count()).select_from(Order))
    assert (alice.total_spend, alice.total_orders, n) == (Decimal("99.80"), 2, 2)
    assert await aggregates_match_orders(database) == []
