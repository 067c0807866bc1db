"""Customer table, and the statistics computed across all customers."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Identity, Index, Integer, String, false, func, text
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

# Carried in each PostgreSQL prefix index beside the searched column itself, so a search's customers (ids and
# order counts, as the orders page asks for them) come from an index-only scan: 7,000 matches read from 38
# index pages in 2 ms, against 5,900 table pages in 12-60 ms (large set, warm and cold). PostgreSQL's planner
# uses an expression index for an index-only scan only when the column under the expression is in it too.
SEARCH_INDEX_INCLUDES = ("id", "total_orders")

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
    # Set when the person's identifying data was erased at their request (privacy/erasure.py): the row stays,
    # anonymised and archived, so their orders keep a customer and the store's figures stay true.
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

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
        # The dashboard's new customers in a period (analytics/queries.py): a range of this index.
        Index("ix_customers_first_order_at", "first_order_at"),
        # Prefix search. PostgreSQL: text_pattern_ops lets LIKE 'abc%' use a btree whatever the collation.
        *(
            Index(
                f"ix_customers_{name}_prefix",
                text(expr),
                postgresql_include=[*([name] if expr.startswith("lower(") else []), *SEARCH_INDEX_INCLUDES],
                info={"postgresql_only": True},
            ).ddl_if(dialect="postgresql")
            for name, expr in SEARCH_INDEXES.items()
        ),
        # SQLite: prefix search is a range on these (customers/search.py); lower(email) has its unique index.
        *(
            Index(f"ix_customers_{name}_range", text(expr), info={"sqlite_only": True}).ddl_if(dialect="sqlite")
            for name, expr in SQLITE_SEARCH_INDEXES.items()
        ),
        Index("ix_customers_phone_range", "phone", info={"sqlite_only": True}).ddl_if(dialect="sqlite"),
    )


class ConsentEvent(Base):
    """A change of a customer's email consent made through the API: when, to what, by whom (consent history
    for a data-subject request; the customer row holds only the current state)."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(BigId, ForeignKey("customers.id", ondelete="RESTRICT"))
    email_consent: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # "api" (a user's edit) or "import"; NULL user for a process.
    source: Mapped[str] = mapped_column(String(16))
    changed_by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("ix_consent_events_customer_id", "customer_id", "at"),
        Index(
            "ix_consent_events_changed_by_user_id",
            "changed_by_user_id",
            postgresql_where=text("changed_by_user_id IS NOT NULL"),
            sqlite_where=text("changed_by_user_id IS NOT NULL"),
        ),
    )


class SuppressedEmail(Base):
    """An email whose owner had their data erased, kept only as a one-way hash (customers/suppression.py) so
    an import or a new customer record does not bring the person back. Deliberately nothing else: no
    customer id, and the day rather than the moment, so the hash cannot be tied to the erased row."""

    __tablename__ = "suppressed_emails"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    suppressed_on: Mapped[dt.date] = mapped_column(Date)


STATISTICS_ROW_ID = 1
T = TypeVar("T")


class CustomerStatistics(Base):
    """Figures across all customers, computed in the background (customers/statistics.py), never in a request.

    One row (id 1), replaced by each computation and read by its key. The RFM fifths are, per measure, the
    values at 0-based positions n*i//5 (i = 1..4) in ascending order among the n customers with orders: what
    `ORDER BY col OFFSET n*i//5 LIMIT 1` returns. Recency is kept as last-order times, so the days are
    counted from the moment the row is read. A further statistic is more columns here and more aggregates in
    the same one-pass statement (customers/queries.py).
    """

    __tablename__ = "customer_statistics"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    compute_ms: Mapped[int] = mapped_column(Integer)
    # Customers with at least one order that counts: the population the fifths rank against.
    customers_with_orders: Mapped[int] = mapped_column(Integer)
    last_order_at_p20: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_order_at_p40: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_order_at_p60: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_order_at_p80: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    total_orders_p20: Mapped[int | None] = mapped_column(Integer)
    total_orders_p40: Mapped[int | None] = mapped_column(Integer)
    total_orders_p60: Mapped[int | None] = mapped_column(Integer)
    total_orders_p80: Mapped[int | None] = mapped_column(Integer)
    total_spend_p20: Mapped[Decimal | None] = mapped_column(Money())
    total_spend_p40: Mapped[Decimal | None] = mapped_column(Money())
    total_spend_p60: Mapped[Decimal | None] = mapped_column(Money())
    total_spend_p80: Mapped[Decimal | None] = mapped_column(Money())

    __table_args__ = (CheckConstraint(f"id = {STATISTICS_ROW_ID}", name="single_row"),)

    @property
    def last_order_at_fifths(self) -> tuple[dt.datetime, ...]:
        return _present(self.last_order_at_p20, self.last_order_at_p40, self.last_order_at_p60, self.last_order_at_p80)

    @property
    def total_orders_fifths(self) -> tuple[int, ...]:
        return _present(self.total_orders_p20, self.total_orders_p40, self.total_orders_p60, self.total_orders_p80)

    @property
    def total_spend_fifths(self) -> tuple[Decimal, ...]:
        return _present(self.total_spend_p20, self.total_spend_p40, self.total_spend_p60, self.total_spend_p80)


def _present(*values: T | None) -> tuple[T, ...]:
    """All four boundaries, or none (no customer with orders)."""
    return tuple(v for v in values if v is not None) if all(v is not None for v in values) else ()
