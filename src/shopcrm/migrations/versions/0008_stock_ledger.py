"""The stock ledger: `stock_movements`, one row per change of a product's stock, and an opening-balance row
for every product already there (so stock equals the sum of its movements from the first one). Products
also get sort indexes on cost and on category.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "'opening', 'order_taken', 'order_returned', 'received', 'correction'"


def upgrade() -> None:
    movements = op.create_table(
        "stock_movements",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("product_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("stock_after", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_stock_movements_kind_known")),
        sa.CheckConstraint("stock_after >= 0", name=op.f("ck_stock_movements_stock_after_nonnegative")),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_stock_movements_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_stock_movements_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movements")),
    )
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index("ix_stock_movements_product_id", ["product_id", "id"], unique=False)
        batch_op.create_index("ix_stock_movements_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index("ix_products_cost_sort", ["cost", "id"], unique=False)
        batch_op.create_index("ix_products_category_sort", ["category", "id"], unique=False)

    products = sa.table("products", sa.column("id"), sa.column("stock"))
    op.execute(
        movements.insert().from_select(
            ["product_id", "kind", "quantity", "stock_after", "reason", "created_at"],
            sa.select(
                products.c.id,
                sa.literal("opening"),
                products.c.stock,
                products.c.stock,
                sa.literal("opening balance"),
                sa.literal(dt.datetime.now(dt.UTC), type_=shopcrm.db.UTCDateTime()),
            ).order_by(products.c.id),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_index("ix_products_category_sort")
        batch_op.drop_index("ix_products_cost_sort")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_movements_user_id")
        batch_op.drop_index("ix_stock_movements_product_id")
    op.drop_table("stock_movements")
