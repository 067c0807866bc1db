"""Named SQL of the order write path, built once at import.

Order ingestion is the hottest write: building SQLAlchemy statements per request cost more CPU than the
database spent running them, so each statement here is constructed once with bind parameters and only
executed per order (on the request's connection, inside its transaction). PostgreSQL runs all of an
order's writes as the one statement `INGEST_POSTGRESQL`; SQLite runs the separate statements.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, case, insert, literal_column, select, update
from sqlalchemy.dialects import sqlite

from shopcrm.core.driver import DriverSQL
from shopcrm.customers.models import Customer
from shopcrm.inventory.models import Product, StockMovement
from shopcrm.orders.models import Order, OrderItem, OrderStatusEvent

# Products of an order, by SKU (no lock: prices are read, stock is taken separately).
PRODUCTS_BY_SKU = select(Product.id, Product.sku, Product.name, Product.price).where(
    Product.sku.in_(bindparam("skus", expanding=True))
)

_ORDER_COLUMNS = [
    "order_number",
    "placed_at",
    "status",
    "total_amount",
    "currency",
    "shipping_name",
    "shipping_address1",
    "shipping_address2",
    "shipping_city",
    "shipping_postal_code",
    "shipping_country",
    "created_at",
    "updated_at",
]


def _claim() -> Any:
    """Insert the order row, claiming its number: no row back for a missing or erased customer or a taken
    number."""
    source = select(
        Customer.id,
        *(bindparam(name, type_=Order.__table__.c[name].type) for name in _ORDER_COLUMNS),
    ).where(Customer.id == bindparam("customer_id"), Customer.erased_at.is_(None))
    return (
        sqlite.insert(Order)
        .from_select(["customer_id", *_ORDER_COLUMNS], source)
        .on_conflict_do_nothing(index_elements=["order_number"])
        .returning(Order.id)
    )


CLAIM_ORDER_NUMBER = _claim()

CUSTOMER_EXISTS = select(Customer.id).where(Customer.id == bindparam("customer_id"))

# Take stock only if there is enough: a row back means it was taken.
TAKE_STOCK = (
    update(Product)
    .where(Product.id == bindparam("product_id"), Product.stock >= bindparam("quantity"))
    .values(stock=Product.stock - bindparam("quantity"), updated_at=bindparam("now"))
    .returning(Product.stock)
)

# The ledger rows of stock taken or given back (one per product, with the stock after the change).
INSERT_MOVEMENTS = insert(StockMovement)

INSERT_ITEMS = insert(OrderItem).returning(OrderItem.id, sort_by_parameter_order=True)

_placed = bindparam("placed_at", type_=Order.__table__.c.placed_at.type)

# One more counted order for the customer, in one atomic statement (concurrent orders all count).
ADD_ORDER_TO_CUSTOMER = (
    update(Customer)
    .where(Customer.id == bindparam("customer_id"))
    .values(
        total_spend=Customer.total_spend + bindparam("amount", type_=Customer.__table__.c.total_spend.type),
        total_orders=Customer.total_orders + 1,
        first_order_at=case(
            (Customer.first_order_at.is_(None) | (Customer.first_order_at > _placed), _placed),
            else_=Customer.first_order_at,
        ),
        last_order_at=case(
            (Customer.last_order_at.is_(None) | (Customer.last_order_at < _placed), _placed),
            else_=Customer.last_order_at,
        ),
        updated_at=bindparam("now", type_=Customer.__table__.c.updated_at.type),
    )
    .returning(
        Customer.id,
        Customer.first_name,
        Customer.last_name,
        Customer.email,
        Customer.phone,
        Customer.total_orders,
        Customer.total_spend,
    )
)

INSERT_STATUS_EVENT = insert(OrderStatusEvent).values(
    order_id=bindparam("order_id"),
    customer_id=bindparam("customer_id"),
    from_status=literal_column("NULL"),
    to_status=bindparam("to_status"),
    changed_at=bindparam("changed_at", type_=OrderStatusEvent.__table__.c.changed_at.type),
)


# A whole order on PostgreSQL in one statement: one round trip, and atomic on its own, so it needs no
# transaction around it. It writes only when everything checks out, and always answers with the products
# it found, so the caller can tell what was wrong when nothing was written.
# - product: the order's products, locked in ascending id order (FOR NO KEY UPDATE, the lock the stock
#   update takes, which does not block other orders' foreign-key checks); every stock change locks in
#   this order, so concurrent orders queue instead of deadlocking. Locking returns the newest row, so the
#   stock seen here is current;
# - verdict: every SKU found, enough stock for each product over all its lines, and a total that fits;
# - claim: the order row, only with a good verdict; nothing back when the number is taken or the customer
#   does not exist or was erased (docs/privacy.md), and then every later part does nothing (each is
#   conditional on claim);
# - items (in line order, so their identity values follow it), stock (the CHECK stock >= 0 would fail the
#   whole statement if the verdict were ever wrong), moved (the ledger's "order taken" row per product, with
#   the stock after it), buyer (one more counted order; LEAST and GREATEST
#   skip NULLs, so a first order sets both times), event (the first history row).
INGEST_POSTGRESQL = DriverSQL(
    "orders.ingest",
    """
WITH line AS (
    SELECT l.sku, l.quantity, l.unit_price, l.n
    FROM unnest(:skus::varchar[], :quantities::integer[], :unit_prices::numeric[])
         WITH ORDINALITY AS l(sku, quantity, unit_price, n)
), product AS MATERIALIZED (
    SELECT p.id, p.sku, p.name, p.price, p.stock FROM products p
    WHERE p.sku = ANY(:skus::varchar[])
    ORDER BY p.id
    FOR NO KEY UPDATE
), priced AS (
    SELECT line.n, product.id AS product_id, line.quantity, coalesce(line.unit_price, product.price) AS price
    FROM line JOIN product ON product.sku = line.sku
), wanted AS (
    SELECT priced.product_id, sum(priced.quantity) AS quantity FROM priced GROUP BY priced.product_id
), verdict AS (
    SELECT (SELECT count(*) FROM priced) = cardinality(:skus::varchar[])
           AND NOT EXISTS (
               SELECT FROM wanted JOIN product ON product.id = wanted.product_id WHERE product.stock < wanted.quantity
           )
           AND (SELECT sum(priced.price * priced.quantity) FROM priced) <= :max_total::numeric AS ok,
           (SELECT sum(priced.price * priced.quantity) FROM priced) AS total
), claim AS (
    INSERT INTO orders (customer_id, order_number, placed_at, status, total_amount, currency,
                        shipping_name, shipping_address1, shipping_address2, shipping_city,
                        shipping_postal_code, shipping_country, created_at, updated_at)
    SELECT customers.id, :order_number::varchar, :placed_at::timestamptz, :status::varchar, verdict.total,
           :currency::varchar, :shipping_name::varchar, :shipping_address1::varchar, :shipping_address2::varchar,
           :shipping_city::varchar, :shipping_postal_code::varchar, :shipping_country::varchar,
           :now::timestamptz, :now::timestamptz
    FROM customers, verdict WHERE customers.id = :customer_id::bigint AND customers.erased_at IS NULL AND verdict.ok
    ON CONFLICT (order_number) DO NOTHING
    RETURNING id
), items AS (
    INSERT INTO order_items (order_id, product_id, customer_id, quantity, price)
    SELECT claim.id, priced.product_id, :customer_id::bigint, priced.quantity, priced.price
    FROM claim, priced
    ORDER BY priced.n
    RETURNING id
), stock AS (
    UPDATE products SET stock = products.stock - wanted.quantity, updated_at = :now::timestamptz
    FROM wanted WHERE products.id = wanted.product_id AND EXISTS (SELECT FROM claim)
    RETURNING products.id, products.stock, wanted.quantity
), moved AS (
    INSERT INTO stock_movements (product_id, kind, quantity, stock_after, order_id, created_at)
    SELECT stock.id, 'order_taken', -stock.quantity, stock.stock, claim.id, :now::timestamptz
    FROM stock, claim
    ORDER BY stock.id
), buyer AS (
    UPDATE customers SET total_spend = customers.total_spend + (SELECT verdict.total FROM verdict),
                         total_orders = customers.total_orders + 1,
                         first_order_at = LEAST(customers.first_order_at, :placed_at::timestamptz),
                         last_order_at = GREATEST(customers.last_order_at, :placed_at::timestamptz),
                         updated_at = :now::timestamptz
    WHERE customers.id = :customer_id::bigint AND EXISTS (SELECT FROM claim)
    RETURNING customers.id, customers.first_name, customers.last_name, customers.email, customers.phone,
              customers.total_orders, customers.total_spend
), event AS (
    INSERT INTO order_status_events (order_id, customer_id, from_status, to_status, changed_at)
    SELECT claim.id, :customer_id::bigint, NULL, :status::varchar, :now::timestamptz FROM claim
)
SELECT product.id AS product_id, product.sku, product.name, product.price, product.stock,
       claim.id AS order_id,
       EXISTS (SELECT FROM customers WHERE customers.id = :customer_id::bigint) AS customer_found,
       ARRAY(SELECT items.id FROM items ORDER BY items.id) AS item_ids,
       buyer.id, buyer.first_name, buyer.last_name, buyer.email, buyer.phone, buyer.total_orders, buyer.total_spend
FROM product LEFT JOIN claim ON true LEFT JOIN buyer ON true
ORDER BY product.id
""",
)
