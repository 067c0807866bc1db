"""Customer search and keyset indexes; order status history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX_INDEXES = {
    "ix_customers_email_prefix": ("customers", "lower(email) text_pattern_ops"),
    "ix_customers_first_name_prefix": ("customers", "lower(first_name) text_pattern_ops"),
    "ix_customers_last_name_prefix": ("customers", "lower(last_name) text_pattern_ops"),
    "ix_customers_phone_prefix": ("customers", "phone text_pattern_ops"),
    "ix_orders_order_number_prefix": ("orders", "upper(order_number) text_pattern_ops"),
}


def upgrade() -> None:
    # Add before removing: the (status, id) and (country, id) indexes serve everything the old ones did.
    op.create_index("ix_customers_status_sort", "customers", ["status", "id"])
    op.create_index("ix_customers_country_sort", "customers", ["country", "id"])
    op.drop_index("ix_customers_status", table_name="customers")
    op.drop_index("ix_customers_country", table_name="customers")
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, expression) in PREFIX_INDEXES.items():
            op.create_index(name, table, [sa.text(expression)])

    op.create_table(
        "order_status_events",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False), nullable=False
        ),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("changed_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_order_status_events_customer_id_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_status_events_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_user_id"],
            ["users.id"],
            name=op.f("fk_order_status_events_changed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_status_events")),
    )
    op.create_index("ix_order_status_events_order_id", "order_status_events", ["order_id", "changed_at"])
    op.create_index("ix_order_status_events_customer_id", "order_status_events", ["customer_id"])
    op.create_index(
        "ix_order_status_events_changed_by_user_id",
        "order_status_events",
        ["changed_by_user_id"],
        postgresql_where=sa.text("changed_by_user_id IS NOT NULL"),
        sqlite_where=sa.text("changed_by_user_id IS NOT NULL"),
    )
    # Orders that existed before history was kept get one row recording their current status.
    op.execute(
        "INSERT INTO order_status_events (order_id, customer_id, from_status, to_status, changed_at) "
        "SELECT id, customer_id, NULL, status, placed_at FROM orders"
    )


def downgrade() -> None:
    op.drop_table("order_status_events")
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, _) in PREFIX_INDEXES.items():
            op.drop_index(name, table_name=table)
    op.create_index("ix_customers_country", "customers", ["country"])
    op.create_index("ix_customers_status", "customers", ["status"])
    op.drop_index("ix_customers_country_sort", table_name="customers")
    op.drop_index("ix_customers_status_sort", table_name="customers")
