"""Segment windows read index-only on PostgreSQL: the status/time index of orders carries the customer and the
amount, the product index of order lines carries the order and the customer. Each replaces the narrower index
of the same columns (the new one is built first), so ingestion writes no more index entries than before.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_orders_status_placed_customer",
        "orders",
        ["status", "placed_at", "id"],
        unique=False,
        postgresql_include=["customer_id", "total_amount"],
    )
    op.drop_index("ix_orders_status_placed", table_name="orders")
    op.create_index(
        "ix_order_items_product_order_customer",
        "order_items",
        ["product_id"],
        unique=False,
        postgresql_include=["order_id", "customer_id"],
    )
    op.drop_index("ix_order_items_product_id", table_name="order_items")


def downgrade() -> None:
    op.create_index("ix_order_items_product_id", "order_items", ["product_id"], unique=False)
    op.drop_index("ix_order_items_product_order_customer", table_name="order_items")
    op.create_index("ix_orders_status_placed", "orders", ["status", "placed_at", "id"], unique=False)
    op.drop_index("ix_orders_status_placed_customer", table_name="orders")
