"""Demand forecasts and reorder advice per product (product_forecasts) and the latest batch's summary with its
backtest figures (forecast_runs).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _figure() -> sa.Numeric[float]:
    return sa.Numeric(precision=14, scale=4, asdecimal=False)


def upgrade() -> None:
    # Empty until the first batch (`shopcrm worker`, or `shopcrm serve` on SQLite): the API says "not computed
    # yet" meanwhile.
    op.create_table(
        "product_forecasts",
        sa.Column("product_id", _big(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("history_days", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("daily_rate", _figure(), nullable=True),
        sa.Column("forecast_30d", _figure(), nullable=True),
        sa.Column("demand_sd", _figure(), nullable=True),
        sa.Column("safety_stock", _figure(), nullable=True),
        sa.Column("reorder_point", _figure(), nullable=True),
        sa.Column("reorder_qty", sa.Integer(), nullable=True),
        sa.Column("days_of_cover", sa.Numeric(precision=6, scale=1), nullable=True),
        sa.Column("stockout_on", sa.Date(), nullable=True),
        sa.Column("need_rank", sa.SmallInteger(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("backtest_forecast", _figure(), nullable=True),
        sa.Column("backtest_naive", _figure(), nullable=True),
        sa.Column("backtest_actual", sa.Integer(), nullable=True),
        sa.Column("computed_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "need_rank IS NULL OR need_rank BETWEEN 0 AND 4", name=op.f("ck_product_forecasts_need_rank_known")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_forecasts_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_forecasts")),
    )
    op.create_index("ix_product_forecasts_need_sort", "product_forecasts", ["need_rank", "product_id"])
    op.create_index("ix_product_forecasts_cover_sort", "product_forecasts", ["days_of_cover", "product_id"])
    op.create_table(
        "forecast_runs",
        sa.Column("id", _big(), autoincrement=False, nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("computed_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("took_ms", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_forecast_runs_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_runs")),
    )


def downgrade() -> None:
    op.drop_table("forecast_runs")
    op.drop_index("ix_product_forecasts_cover_sort", table_name="product_forecasts")
    op.drop_index("ix_product_forecasts_need_sort", table_name="product_forecasts")
    op.drop_table("product_forecasts")
