"""Order and order-item tables."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Identity, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shopcrm.db import Base, BigId, Money, TimestampMixin, UTCDateTime, utcnow


class OrderStatus(enum.StrEnum):
    pending = "pending"
    paid = "paid"
    processing = "processing"
    shipped = "shipped"
    delivered = "delivered"
    cancelled = "cancelled"
    refunded = "refunded"


# Orders in these statuses do not count towards a customer's spend and order count.
UNCOUNTED_STATUSES = frozenset({OrderStatus.cancelled, OrderStatus.refunded})
# The same as a SQL list, for hand-written SQL (demo checks, benchmark baselines): `status NOT IN ...`.
UNCOUNTED_SQL = "(" + ", ".join(sorted(f"'{s.value}'" for s in UNCOUNTED_STATUSES)) + ")"

_STATUS_LIST = ", ".join(f"'{s.value}'" for s in OrderStatus)


class Order(TimestampMixin, Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id", ondelete="RESTRICT"))
    # The seed's ORDER.order_id: the store's own order number, unique, also the idempotency key
    # of ingestion (the same number twice never makes a second order).
    order_number: Mapped[str] = mapped_column(String(64), unique=True)
    placed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())  # the seed's ORDER.date
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.pending, server_default="pending")
    total_amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    shipping_name: Mapped[str | None] = mapped_column(String(200))
    shipping_address1: Mapped[str | None] = mapped_column(String(200))
    shipping_address2: Mapped[str | None] = mapped_column(String(200))
    shipping_city: Mapped[str | None] = mapped_column(String(100))
    shipping_postal_code: Mapped[str | None] = mapped_column(String(20))
    shipping_country: Mapped[str | None] = mapped_column(String(2))

    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_LIST})", name="status_valid"),
        CheckConstraint("total_amount >= 0", name="total_amount_nonnegative"),
        Index("ix_orders_customer_placed", "customer_id", "placed_at"),
        Index("ix_orders_placed_at_sort", "placed_at", "id"),
        # Status tabs sorted by time; on PostgreSQL it also carries the customer and the amount, so a segment's
        # window over counted orders ("3 orders in 90 days", "spent 100 in 30 days") is read index-only.
        Index(
            "ix_orders_status_placed_customer",
            "status",
            "placed_at",
            "id",
            postgresql_include=["customer_id", "total_amount"],
        ),
        Index("ix_orders_total_amount_sort", "total_amount", "id"),
        Index(
            "ix_orders_order_number_prefix",
            text("upper(order_number) text_pattern_ops"),
            info={"postgresql_only": True},
        ).ddl_if(dialect="postgresql"),
    )


class OrderItem(Base):
    """A line of an order. Immutable once written, so no timestamps of its own: the order has them."""

    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("products.id", ondelete="RESTRICT"))
    # Denormalised from the order so customer-scoped reads (favourite category, segments) and a
    # future shard key need no join.
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money())  # unit price at the time of the order

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("price >= 0", name="price_nonnegative"),
        Index("ix_order_items_order_id", "order_id"),
        # A product's lines; on PostgreSQL with their order and customer, so "bought in category X in the last
        # N days" reads the category's lines index-only and joins them to the window's orders by id.
        Index("ix_order_items_product_order_customer", "product_id", postgresql_include=["order_id", "customer_id"]),
        Index("ix_order_items_customer_id", "customer_id"),
    )


class OrderStatusEvent(Base):
    """One status change of an order (the first row records the status it was created with)."""

    __tablename__ = "order_status_events"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id", ondelete="RESTRICT"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # NULL when the change came from the storefront's ingestion or a system process.
    changed_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("ix_order_status_events_order_id", "order_id", "changed_at"),
        Index("ix_order_status_events_customer_id", "customer_id"),
        # Partial: most changes come from the storefront (NULL); only user ids need finding.
        Index(
            "ix_order_status_events_changed_by_user_id",
            "changed_by_user_id",
            postgresql_where=text("changed_by_user_id IS NOT NULL"),
            sqlite_where=text("changed_by_user_id IS NOT NULL"),
        ),
    )
