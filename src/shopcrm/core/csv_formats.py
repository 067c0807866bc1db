"""ShopCRM's own CSV formats (docs/csv-formats.md): the exports write these columns and the native import
presets read them, so a file round-trips. The figures at the end of customers.csv are read-only: an import
ignores them, since a customer's aggregates come from their orders."""

from __future__ import annotations

CUSTOMERS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "status",
    "city",
    "country",
    "email_consent",
    "created_at",
    "total_spend",
    "total_orders",
    "first_order_at",
    "last_order_at",
)
CUSTOMERS_READ_ONLY = frozenset({"total_spend", "total_orders", "first_order_at", "last_order_at"})

# One row per order line, the order's fields repeated on every line.
ORDERS = (
    "order_number",
    "placed_at",
    "status",
    "currency",
    "customer_email",
    "total_amount",
    "sku",
    "product_name",
    "quantity",
    "price",
    "shipping_name",
    "shipping_address1",
    "shipping_address2",
    "shipping_city",
    "shipping_postal_code",
    "shipping_country",
)

PRODUCTS = ("sku", "name", "category", "price", "cost", "stock", "low_stock_threshold", "reorder_lead_days")
