"""Statistics across all customers (RFM fifths), computed in the background and read by key.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERCENTS = (20, 40, 60, 80)


def upgrade() -> None:
    # Empty until the first computation (server start-up, or `shopcrm refresh-stats`); customer pages say
    # "Not ranked yet" until then.
    op.create_table(
        "customer_statistics",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.Column("computed_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("compute_ms", sa.Integer(), nullable=False),
        sa.Column("customers_with_orders", sa.Integer(), nullable=False),
        *(sa.Column(f"last_order_at_p{p}", shopcrm.db.UTCDateTime(timezone=True), nullable=True) for p in PERCENTS),
        *(sa.Column(f"total_orders_p{p}", sa.Integer(), nullable=True) for p in PERCENTS),
        *(sa.Column(f"total_spend_p{p}", sa.Numeric(precision=12, scale=2), nullable=True) for p in PERCENTS),
        sa.CheckConstraint("id = 1", name=op.f("ck_customer_statistics_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_statistics")),
    )


def downgrade() -> None:
    op.drop_table("customer_statistics")
