"""Prefix indexes for the inventory search on PostgreSQL: `lower(name) LIKE 'abc%'` and the same on the SKU
read an index range instead of every product (text_pattern_ops: a prefix LIKE can use it under any
collation). SQLite keeps scanning: its stores hold far fewer products.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_products_name_prefix": "lower(name) text_pattern_ops",
    "ix_products_sku_prefix": "lower(sku) text_pattern_ops",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, expression in INDEXES.items():
            op.create_index(name, "products", [sa.text(expression)])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.drop_index(name, table_name="products")
