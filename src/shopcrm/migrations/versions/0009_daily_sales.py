"""The dashboard's daily rollup (daily_sales, daily_product_sales, daily_category_sales and its state row),
and the index behind "new customers in a period".

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Empty until the first refresh (server start-up, or `shopcrm demo-data`); the dashboard reads every
    # day live until then.
    op.create_table(
        "daily_sales",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("items", sa.BigInteger(), nullable=False),
        sa.Column("sales", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("day", "status", name=op.f("pk_daily_sales")),
    )
    op.create_table(
        "daily_product_sales",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("product_id", _big(), autoincrement=False, nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("sales", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("day", "product_id", name=op.f("pk_daily_product_sales")),
    )
    op.create_index("ix_daily_product_sales_product_id", "daily_product_sales", ["product_id"])
    op.create_table(
        "daily_category_sales",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("sales", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("day", "category", name=op.f("pk_daily_category_sales")),
    )
    op.create_table(
        "analytics_rollup_state",
        sa.Column("id", _big(), autoincrement=False, nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("event_watermark", sa.BigInteger(), nullable=False),
        sa.Column("built_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_analytics_rollup_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_rollup_state")),
    )
    op.create_index("ix_customers_first_order_at", "customers", ["first_order_at"])


def downgrade() -> None:
    op.drop_index("ix_customers_first_order_at", table_name="customers")
    op.drop_table("analytics_rollup_state")
    op.drop_table("daily_category_sales")
    op.drop_index("ix_daily_product_sales_product_id", table_name="daily_product_sales")
    op.drop_table("daily_product_sales")
    op.drop_table("daily_sales")
