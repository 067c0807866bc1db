"""Customer table."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Identity, Index, Integer, String, false, func, text
from sqlalchemy.orm import Mapped, mapped_column

from shopcrm.db import Base, BigId, Money, TimestampMixin, UTCDateTime


class CustomerStatus(enum.StrEnum):
    active = "active"
    inactive = "inactive"
    archived = "archived"


SEARCH_INDEXES = {
    "email": "lower(email) text_pattern_ops",
    "first_name": "lower(first_name) text_pattern_ops",
    "last_name": "lower(last_name) text_pattern_ops",
    "phone": "phone text_pattern_ops",
}

SQLITE_SEARCH_INDEXES = {
    "first_name": "lower(first_name)",
    "last_name": "lower(last_name)",
}


class Customer(TimestampMixin, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=CustomerStatus.active, server_default="active")
    # Derived from the customer's orders (cancelled and refunded ones excluded); only the
    # order service writes them, in the same transaction as the order.
    total_spend: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0")
    total_orders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_order_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_order_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("status IN ('active', 'inactive', 'archived')", name="status_valid"),
        CheckConstraint("total_spend >= 0", name="total_spend_nonnegative"),
        CheckConstraint("total_orders >= 0", name="total_orders_nonnegative"),
        Index("uq_customers_email_lower", func.lower(email), unique=True),
        Index("ix_customers_status_sort", "status", "id"),
        Index("ix_customers_country_sort", "country", "id"),
        Index("ix_customers_email_consent", "email_consent"),
        Index("ix_customers_name_sort", "last_name", "first_name", "id"),
        Index("ix_customers_total_spend_sort", "total_spend", "id"),
        Index("ix_customers_total_orders_sort", "total_orders", "id"),
        Index("ix_customers_created_at_sort", "created_at", "id"),
        Index("ix_customers_last_order_at_sort", "last_order_at", "id"),
        # Prefix search. PostgreSQL: text_pattern_ops lets LIKE 'abc%' use a btree whatever the collation.
        *(
            Index(f"ix_customers_{name}_prefix", text(expr), info={"postgresql_only": True}).ddl_if(
                dialect="postgresql"
            )
            for name, expr in SEARCH_INDEXES.items()
        ),
        # SQLite: prefix search is a range on these (customers/search.py); lower(email) has its unique index.
        *(
            Index(f"ix_customers_{name}_range", text(expr), info={"sqlite_only": True}).ddl_if(dialect="sqlite")
            for name, expr in SQLITE_SEARCH_INDEXES.items()
        ),
        Index("ix_customers_phone_range", "phone", info={"sqlite_only": True}).ddl_if(dialect="sqlite"),
    )
