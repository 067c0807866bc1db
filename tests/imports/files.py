"""Files written the way shops write them: Shopify's orders export (one row per line item, the order's fields
on its first line only, or repeated), Shopify's customers export, and variations (a byte order mark, `;` with
decimal commas as a European spreadsheet saves it)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

SHOPIFY_ORDER_HEADERS = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
    "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
    "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
    "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at",
    "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee",
    "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Phone",
]  # fmt: skip

SHOPIFY_CUSTOMER_HEADERS = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company",
    "Default Address Address1", "Default Address Address2", "Default Address City", "Default Address Province Code",
    "Default Address Country Code", "Default Address Zip", "Default Address Phone", "Phone",
    "Accepts SMS Marketing", "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]  # fmt: skip


@dataclass
class Line:
    quantity: str
    name: str
    price: str
    sku: str


@dataclass
class ShopifyOrder:
    name: str
    email: str
    financial: str
    created: str
    total: str
    lines: list[Line]
    fulfillment: str = "fulfilled"
    accepts: str = "no"
    currency: str = "EUR"
    cancelled: str = ""
    refunded: str = "0.00"
    billing_name: str = "Ann Example"
    address1: str = "1 High Street"
    notes: str = ""
    email_on_every_line: bool = False
    # line index -> email, for a line that names another customer
    other_emails: dict[int, str] = field(default_factory=dict)


def order_rows(order: ShopifyOrder) -> list[dict[str, str]]:
    rows = []
    for index, line in enumerate(order.lines):
        row = {h: "" for h in SHOPIFY_ORDER_HEADERS}
        row.update(
            {
                "Name": order.name,
                "Lineitem quantity": line.quantity,
                "Lineitem name": line.name,
                "Lineitem price": line.price,
                "Lineitem sku": line.sku,
                "Lineitem requires shipping": "true",
                "Lineitem taxable": "true",
                "Lineitem fulfillment status": "fulfilled",
            }
        )
        if index == 0 or order.email_on_every_line:
            row["Email"] = order.email
            row["Created at"] = order.created
        if index in order.other_emails:
            row["Email"] = order.other_emails[index]
        if index == 0:
            row.update(
                {
                    "Financial Status": order.financial,
                    "Paid at": order.created if order.financial == "paid" else "",
                    "Fulfillment Status": order.fulfillment,
                    "Accepts Marketing": order.accepts,
                    "Currency": order.currency,
                    "Subtotal": order.total,
                    "Shipping": "0.00",
                    "Taxes": "0.00",
                    "Total": order.total,
                    "Shipping Method": "Standard",
                    "Billing Name": order.billing_name,
                    "Billing Address1": order.address1,
                    "Billing City": "Berlin",
                    "Billing Zip": "10115",
                    "Billing Country": "DE",
                    "Shipping Name": order.billing_name,
                    "Shipping Address1": order.address1,
                    "Shipping City": "Berlin",
                    "Shipping Zip": "'10115",
                    "Shipping Country": "DE",
                    "Notes": order.notes,
                    "Cancelled at": order.cancelled,
                    "Payment Method": "Shopify Payments",
                    "Refunded Amount": order.refunded,
                    "Id": "4500000000" + order.name.lstrip("#"),
                    "Source": "web",
                }
            )
        rows.append(row)
    return rows


def write(headers: list[str], rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode()
    return b"\xef\xbb\xbf" + data if bom else data


def orders_file(orders: list[ShopifyOrder], **kwargs: object) -> tuple[bytes, dict[str, list[int]]]:
    """The file and, per order, the row numbers of its lines (the header is row 1)."""
    rows: list[dict[str, str]] = []
    numbers: dict[str, list[int]] = {}
    for order in orders:
        these = order_rows(order)
        numbers.setdefault(order.name, []).extend(range(len(rows) + 2, len(rows) + 2 + len(these)))
        rows.extend(these)
    return write(SHOPIFY_ORDER_HEADERS, rows, **kwargs), numbers  # type: ignore[arg-type]


def european(rows_file: bytes) -> bytes:
    """The same file as a European spreadsheet saves it: `;` between cells, decimal commas in amounts."""
    text = rows_file.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text)))
    amounts = {SHOPIFY_ORDER_HEADERS.index(h) for h in ("Subtotal", "Total", "Lineitem price", "Refunded Amount")}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for n, record in enumerate(records):
        writer.writerow([c.replace(".", ",") if n and i in amounts else c for i, c in enumerate(record)])
    return out.getvalue().encode()


def money(text: str) -> Decimal:
    return Decimal(text)


# The history the Shopify tests import. Good orders first, then one bad order per kind of problem.
GOOD = [
    ShopifyOrder(
        "#1001",
        "Alice@Example.com",
        "paid",
        "2024-03-05 14:22:10 +0100",
        "59.80",
        [Line("2", "Linen Shirt - M", "19.90", "SHIRT-M"), Line("1", "Canvas Bag", "20.00", "BAG-1")],
        accepts="yes",
        billing_name="Alice Smith",
        address1="12 Main St, Apt 4",
        notes="Leave at the door\nRing twice, please",
    ),
    ShopifyOrder(
        "#1002",
        "bob@example.com",
        "pending",
        "2024-03-06T10:00:00Z",
        "24.90",
        [Line("1", "Linen Shirt - M", "19.90", "SHIRT-M")],
        fulfillment="",
        billing_name="Bob Stone",
        email_on_every_line=True,
    ),
    ShopifyOrder(
        "#1003",
        "alice@example.com",
        "refunded",
        "2024-04-01 09:00:00 -0500",
        "25.00",
        [Line("1", "Gift Card", "25.00", "")],
        billing_name="Alice Smith",
    ),
    ShopifyOrder(
        "#1004",
        "carol@example.com",
        "voided",
        "2024-04-02 08:00:00 +0000",
        "10.00",
        [Line("1", "Canvas Bag", "10.00", "BAG-1")],
        cancelled="2024-04-02 09:00:00 +0000",
        fulfillment="",
        billing_name="Carol",
    ),
    ShopifyOrder(
        "#1005",
        "dave@example.com",
        "partially_refunded",
        "2024-04-10 12:00:00 +0200",
        "100.00",
        [Line("2", "Linen Shirt - L", "30.00", "SHIRT-L"), Line("1", "Candle", "40.00", "CANDLE")],
        refunded="30.00",
        billing_name="Dave de Vries",
        email_on_every_line=True,
    ),
    ShopifyOrder(
        "#1011",
        "alice@example.com",
        "paid",
        "2024-05-01",
        "40.00",
        [Line("1", "Candle", "40.00", "CANDLE")],
        fulfillment="",
    ),
]
# (order number, email, total counted, status) as the import must store them: worked out by hand from GOOD.
EXPECTED = {
    "#1001": ("alice@example.com", Decimal("59.80"), "shipped"),
    "#1002": ("bob@example.com", Decimal("24.90"), "pending"),
    "#1003": ("alice@example.com", Decimal("25.00"), "refunded"),
    "#1004": ("carol@example.com", Decimal("10.00"), "cancelled"),
    "#1005": ("dave@example.com", Decimal("70.00"), "shipped"),
    "#1011": ("alice@example.com", Decimal("40.00"), "paid"),
}
BAD = [
    ShopifyOrder(
        "#1006",
        "erin@example.com",
        "paid",
        "2024-05-02 10:00:00 +0000",
        "20.00",
        [Line("1", "Canvas Bag", "10.00", "BAG-1"), Line("1", "Canvas Bag", "10.00", "BAG-1")],
        other_emails={1: "frank@example.com"},
    ),
    ShopifyOrder(
        "#1007", "not-an-email", "paid", "2024-05-03 10:00:00 +0000", "10.00", [Line("1", "Bag", "10.00", "BAG-1")]
    ),
    ShopifyOrder(
        "#1008", "gina@example.com", "weird", "2024-05-04 10:00:00 +0000", "10.00", [Line("1", "B", "10.00", "BAG-1")]
    ),
    ShopifyOrder(
        "#1009",
        "hank@example.com",
        "paid",
        "2024-05-05 10:00:00 +0000",
        "10.00",
        [Line("1", "Canvas Bag", "10.00", "BAG-1"), Line("-1", "Candle", "40.00", "CANDLE")],
    ),
    ShopifyOrder(
        "#1010", "ivy@example.com", "paid", "05/03/2024", "10.00", [Line("1", "Canvas Bag", "10.00", "BAG-1")]
    ),
    ShopifyOrder(
        "#1012",
        '=HYPERLINK("http://x")',
        "paid",
        "2024-05-06 10:00:00 +0000",
        "1.00",
        [Line("1", "B", "1.00", "BAG-1")],
    ),
]


def customers_file(rows: list[dict[str, str]], **kwargs: object) -> bytes:
    full = [{h: "" for h in SHOPIFY_CUSTOMER_HEADERS} | row for row in rows]
    return write(SHOPIFY_CUSTOMER_HEADERS, full, **kwargs)  # type: ignore[arg-type]
