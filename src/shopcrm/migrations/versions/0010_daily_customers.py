"""The dashboard's daily customer sets (daily_customers): who ordered on each store-local day, so "active
customers" over a period is a union of small sets, not a distinct count over its orders; and per-period
product totals (period_product_sales, period_windows) for its top products.

The rollup's state row is removed, so the next refresh rebuilds every day with its set; until then the
dashboard reads every day live, as it does before a first build.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_customers",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("ids", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_daily_customers")),
    )
    op.create_table(
        "period_product_sales",
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("sales", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("days", "product_id", name=op.f("pk_period_product_sales")),
    )
    op.create_index(
        "ix_period_product_sales_top", "period_product_sales", ["days", sa.text("sales DESC"), "product_id"]
    )
    op.create_table(
        "period_windows",
        sa.Column("days", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("days", name=op.f("pk_period_windows")),
    )
    op.execute("DELETE FROM analytics_rollup_state")


def downgrade() -> None:
    op.drop_table("period_windows")
    op.drop_index("ix_period_product_sales_top", table_name="period_product_sales")
    op.drop_table("period_product_sales")
    op.drop_table("daily_customers")
