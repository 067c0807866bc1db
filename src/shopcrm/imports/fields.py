"""What a column may be mapped to (the ShopCRM fields of each kind of import), the presets that fill a mapping
for the formats stores have, and the guess of a mapping from a file's headers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shopcrm.core import csv_formats
from shopcrm.imports.models import ImportKind


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    help: str
    required: bool = False
    # Header spellings that mean this field, compared after `_key` (lower case, words only).
    aliases: tuple[str, ...] = ()


def _f(id_: str, label: str, help_: str, *aliases: str, required: bool = False) -> Field:
    return Field(id_, label, help_, required, (id_, label, *aliases))


FIELDS: dict[ImportKind, tuple[Field, ...]] = {
    ImportKind.customers: (
        _f("email", "Email", "Matches an existing customer (case and spacing ignored).", "e-mail", required=True),
        _f("first_name", "First name", "", "firstname", "given name"),
        _f("last_name", "Last name", "", "lastname", "surname", "family name"),
        _f("phone", "Phone", "With its country code, e.g. +49 151 23456789.", "phone number", "mobile"),
        _f("status", "Status", "active, inactive or archived (default active).", "customer status"),
        _f("city", "City", "", "default address city"),
        _f("country", "Country", "ISO code of two letters, e.g. DE.", "country code", "default address country code"),
        _f(
            "email_consent",
            "Email consent",
            "yes/no, true/false. Never re-subscribes someone who unsubscribed in ShopCRM.",
            "accepts email marketing",
            "accepts marketing",
            "newsletter",
        ),
        _f("created_at", "Customer since", "When the customer signed up.", "created at", "signed up"),
    ),
    ImportKind.orders: (
        _f(
            "order_number",
            "Order number",
            "The same number twice is one order: lines of an order share it.",
            "order",
            "order id",
            "order no",
            "name",
            required=True,
        ),
        _f("customer_email", "Customer email", "Finds or creates the customer.", "email", "e-mail", required=True),
        _f(
            "placed_at",
            "Order date",
            "With or without time and zone; no zone means the store's time zone.",
            "created at",
            "date",
            "order date",
            "placed at",
            required=True,
        ),
        _f(
            "status",
            "Status",
            "ShopCRM's statuses or Shopify's financial statuses.",
            "financial status",
            "order status",
        ),
        _f(
            "fulfillment_status",
            "Fulfilment status",
            "Shopify's: fulfilled orders count as shipped.",
            "fulfillment status",
            "fulfilment status",
        ),
        _f("cancelled_at", "Cancelled at", "A date here makes the order cancelled.", "cancelled at", "canceled at"),
        _f("currency", "Currency", "Three letters, e.g. EUR (default USD).", "currency code"),
        _f(
            "total",
            "Order total",
            "What the customer paid; when absent, the sum of the lines.",
            "total",
            "total amount",
            "total_amount",
            "amount",
            "order total",
        ),
        _f("refunded_amount", "Refunded amount", "Taken off the total of a partly refunded order.", "refunded amount"),
        _f(
            "sku",
            "Product SKU",
            "Matches a product; an unknown SKU creates the product (no stock).",
            "lineitem sku",
            "item sku",
            "product sku",
        ),
        _f(
            "product_name",
            "Product name",
            "Names a product created by the import.",
            "lineitem name",
            "item name",
            "product",
            "product name",
        ),
        _f("quantity", "Quantity", "A whole number of at least 1.", "lineitem quantity", "qty", "item quantity"),
        _f("price", "Unit price", "The price of one item.", "lineitem price", "item price", "unit price"),
        _f(
            "customer_name",
            "Customer name",
            "Names a new customer (first word first name).",
            "billing name",
            "customer",
            "customer name",
        ),
        _f(
            "accepts_marketing",
            "Accepts marketing",
            "Email consent of a customer this import creates.",
            "accepts marketing",
            "accepts email marketing",
        ),
        _f("shipping_name", "Shipping name", ""),
        _f("shipping_address1", "Shipping address", "", "shipping address1", "shipping street"),
        _f("shipping_address2", "Shipping address 2", "", "shipping address2"),
        _f("shipping_city", "Shipping city", ""),
        _f("shipping_postal_code", "Shipping postal code", "", "shipping zip", "shipping postcode"),
        _f("shipping_country", "Shipping country", "ISO code of two letters.", "shipping country code"),
    ),
    ImportKind.products: (
        _f("sku", "SKU", "Matches an existing product.", "lineitem sku", "variant sku", required=True),
        _f("name", "Name", "", "title", "product name", required=True),
        _f("category", "Category", "", "type", "product type"),
        _f("price", "Price", "", "variant price", required=True),
        _f("cost", "Cost", "", "cost per item"),
        _f(
            "stock",
            "Stock",
            "A change of an existing product's stock is written to its ledger as a count.",
            "inventory",
            "quantity",
            "variant inventory qty",
        ),
        _f("low_stock_threshold", "Low-stock threshold", "", "low stock threshold"),
        _f("reorder_lead_days", "Reorder lead days", "", "lead days"),
    ),
}

FIELD_IDS: dict[ImportKind, frozenset[str]] = {k: frozenset(f.id for f in fs) for k, fs in FIELDS.items()}
REQUIRED: dict[ImportKind, tuple[str, ...]] = {k: tuple(f.id for f in fs if f.required) for k, fs in FIELDS.items()}
# Columns of ShopCRM's own exports an import reads but does not take: figures derived from orders.
READ_ONLY = csv_formats.CUSTOMERS_READ_ONLY


@dataclass(frozen=True)
class Preset:
    id: str
    label: str
    kind: ImportKind
    description: str
    # header -> field, in order of preference: the first header present wins a field.
    columns: dict[str, str | None]
    # Headers that together recognise the format.
    signature: frozenset[str] = field(default_factory=frozenset)
    one_line_per_order: bool = False


_SHOPIFY_CUSTOMERS = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email": "email",
    "Phone": "phone",
    "Default Address Phone": "phone",
    "Accepts Email Marketing": "email_consent",
    "Accepts Marketing": "email_consent",
    "Default Address City": "city",
    "City": "city",
    "Default Address Country Code": "country",
    "Country Code": "country",
    "Total Spent": None,
    "Total Orders": None,
}
_SHOPIFY_ORDERS = {
    "Name": "order_number",
    "Email": "customer_email",
    "Financial Status": "status",
    "Fulfillment Status": "fulfillment_status",
    "Created at": "placed_at",
    "Cancelled at": "cancelled_at",
    "Currency": "currency",
    "Total": "total",
    "Refunded Amount": "refunded_amount",
    "Lineitem quantity": "quantity",
    "Lineitem name": "product_name",
    "Lineitem price": "price",
    "Lineitem sku": "sku",
    "Billing Name": "customer_name",
    "Accepts Marketing": "accepts_marketing",
    "Shipping Name": "shipping_name",
    "Shipping Address1": "shipping_address1",
    "Shipping Address2": "shipping_address2",
    "Shipping City": "shipping_city",
    "Shipping Zip": "shipping_postal_code",
    "Shipping Country": "shipping_country",
    "Paid at": None,
}
# ShopCRM's own files (core/csv_formats.py), as its exports write them.
NATIVE_CUSTOMERS = list(csv_formats.CUSTOMERS)
NATIVE_ORDERS = list(csv_formats.ORDERS)
NATIVE_PRODUCTS = list(csv_formats.PRODUCTS)


def _native(headers: list[str]) -> dict[str, str | None]:
    return {h: (None if h in READ_ONLY else "total" if h == "total_amount" else h) for h in headers}


PRESETS: tuple[Preset, ...] = (
    Preset(
        "shopify_customers",
        "Shopify customers export",
        ImportKind.customers,
        "Customers → Export in Shopify. Total Spent and Total Orders are not imported: they come from orders.",
        _SHOPIFY_CUSTOMERS,
        frozenset({"First Name", "Last Name", "Email", "Total Spent"}),
    ),
    Preset(
        "shopify_orders",
        "Shopify orders export",
        ImportKind.orders,
        "Orders → Export in Shopify: one row per line item, the order's fields repeated or on its first line.",
        _SHOPIFY_ORDERS,
        frozenset({"Name", "Email", "Financial Status", "Lineitem quantity", "Lineitem name"}),
    ),
    Preset(
        "orders_simple",
        "One row per order",
        ImportKind.orders,
        "Order number, customer email, date, total and status; each order is booked as one line of a product "
        "you name (created when missing).",
        {},
        one_line_per_order=True,
    ),
    Preset(
        "customers",
        "ShopCRM customers.csv",
        ImportKind.customers,
        "ShopCRM's own customer export. Spend and order figures are not imported: they come from orders.",
        _native(NATIVE_CUSTOMERS),
        frozenset(NATIVE_CUSTOMERS[:9]),
    ),
    Preset(
        "orders",
        "ShopCRM orders.csv",
        ImportKind.orders,
        "ShopCRM's own order export: one row per order line.",
        _native(NATIVE_ORDERS),
        frozenset(NATIVE_ORDERS),
    ),
    Preset(
        "products",
        "ShopCRM products.csv",
        ImportKind.products,
        "ShopCRM's own product export.",
        _native(NATIVE_PRODUCTS),
        frozenset(NATIVE_PRODUCTS[:4]),
    ),
)
PRESETS_BY_ID = {p.id: p for p in PRESETS}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


_ALIASES: dict[ImportKind, dict[str, str]] = {
    kind: {_key(alias): f.id for f in fields for alias in f.aliases} for kind, fields in FIELDS.items()
}


def preset_mapping(preset: Preset, headers: list[str]) -> dict[str, str | None]:
    """The preset's mapping of these headers: its own columns, each field taken by the first header that has
    it; a header the preset does not know is guessed like any other."""
    guessed = guess_mapping(preset.kind, headers)
    mapping: dict[str, str | None] = dict.fromkeys(headers)
    taken: set[str] = set()
    present = set(headers)
    for header, field_id in preset.columns.items():
        if header in present and field_id is not None and field_id not in taken:
            mapping[header] = field_id
            taken.add(field_id)
    for header in headers:
        if header in preset.columns:
            continue
        candidate = guessed.get(header)
        if candidate is not None and candidate not in taken:
            mapping[header] = candidate
            taken.add(candidate)
    return mapping


def guess_mapping(kind: ImportKind, headers: list[str]) -> dict[str, str | None]:
    """Each header mapped to the field its name means, each field once (the first header wins)."""
    aliases = _ALIASES[kind]
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        key = _key(header)
        if key in READ_ONLY_KEYS:
            mapping[header] = None
            continue
        field_id = aliases.get(key)
        if field_id is not None and field_id not in taken:
            mapping[header] = field_id
            taken.add(field_id)
        else:
            mapping[header] = None
    return mapping


READ_ONLY_KEYS = frozenset(_key(name) for name in (*READ_ONLY, "Total Spent", "Total Orders"))


def guess_preset(kind: ImportKind, headers: list[str]) -> Preset | None:
    """The preset whose format these headers are, among the presets of `kind`."""
    present = set(headers)
    for preset in PRESETS:
        if preset.kind == kind and preset.signature and preset.signature <= present:
            return preset
    if kind == ImportKind.orders:
        fields = {v for v in guess_mapping(kind, headers).values() if v}
        if "total" in fields and not fields & {"sku", "product_name", "quantity", "price"}:
            return PRESETS_BY_ID["orders_simple"]
    return None
