"""Named SQL of the order write path, built once at import.

Order ingestion is the hottest write: building SQLAlchemy statements per request cost more CPU than the
database spent running them, so each statement here is constructed once with bind parameters and only
executed per order (on the request's connection, inside its transaction).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, case, insert, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from shopcrm.customers.models import Customer
from shopcrm.inventory.models import Product
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


def _claim(dialect_insert: Any) -> Any:
    """Insert the order row, claiming its number: no row back for a missing customer or a taken number."""
    source = select(
        Customer.id,
        *(bindparam(name, type_=Order.__table__.c[name].type) for name in _ORDER_COLUMNS),
    ).where(Customer.id == bindparam("customer_id"))
    return (
        dialect_insert(Order)
        .from_select(["customer_id", *_ORDER_COLUMNS], source)
        .on_conflict_do_nothing(index_elements=["order_number"])
        .returning(Order.id)
    )


CLAIM_ORDER_NUMBER = {"postgresql": _claim(postgresql.insert), "sqlite": _claim(sqlite.insert)}

# Take stock only if there is enough: a row back means it was taken.
TAKE_STOCK = (
    update(Product)
    .where(Product.id == bindparam("product_id"), Product.stock >= bindparam("quantity"))
    .values(stock=Product.stock - bindparam("quantity"), updated_at=bindparam("now"))
    .returning(Product.id)
)

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


# All items of an order in one statement on PostgreSQL (identity values follow the line order).
INSERT_ITEMS_POSTGRESQL = """
INSERT INTO order_items (order_id, product_id, customer_id, quantity, price)
SELECT $1, line.product_id, $2, line.quantity, line.price
FROM unnest($3::bigint[], $4::integer[], $5::numeric[]) WITH ORDINALITY AS line(product_id, quantity, price, n)
ORDER BY line.n
RETURNING id
"""


class PostgresStatements:
    """The statements above compiled once for asyncpg, run on the request connection's driver.

    On PostgreSQL the ingestion statements skip SQLAlchemy's per-execution work (about a third of each
    round trip's time here); the SQL is the same, compiled from the constructs above. The caller must
    have run one statement through SQLAlchemy first, so the transaction has begun on the connection.
    """

    def __init__(self) -> None:
        self._compiled: dict[int, tuple[str, tuple[str, ...], dict[str, Any]]] = {}
        self._dialect = asyncpg_dialect()  # type: ignore[no-untyped-call]

    def sql(self, stmt: Any) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        found = self._compiled.get(id(stmt))
        if found is None:
            compiled = stmt.compile(dialect=self._dialect)
            found = (compiled.string, tuple(compiled.positiontup or ()), dict(compiled.params))
            self._compiled[id(stmt)] = found
        return found

    def args(self, stmt: Any, params: dict[str, Any]) -> tuple[str, list[Any]]:
        sql, names, defaults = self.sql(stmt)
        return sql, [params[name] if name in params else defaults[name] for name in names]


POSTGRES = PostgresStatements()
