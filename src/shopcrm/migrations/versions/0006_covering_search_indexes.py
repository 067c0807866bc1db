"""PostgreSQL: the customer prefix-search indexes carry the column, id and total_orders (index-only search).

The orders page finds a search's customers first (ids and order counts); with these columns in the index
that is an index-only scan. SQLite keeps its 0004 range indexes. Rebuilding the four indexes takes a few
seconds per million customers and blocks writes to customers meanwhile.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "email": "lower(email) text_pattern_ops",
    "first_name": "lower(first_name) text_pattern_ops",
    "last_name": "lower(last_name) text_pattern_ops",
    "phone": "phone text_pattern_ops",
}
INCLUDES = ["id", "total_orders"]


def _rebuild(include: bool) -> None:
    for column, expression in INDEXES.items():
        name = f"ix_customers_{column}_prefix"
        op.drop_index(name, table_name="customers")
        searched = [column] if expression.startswith("lower(") else []  # under an expression: carried too
        carried = [*searched, *INCLUDES] if include else []
        op.create_index(name, "customers", [sa.text(expression)], postgresql_include=carried)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(include=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(include=False)
