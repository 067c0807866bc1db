"""SQLite: indexes for prefix search written as ranges (lower(first_name), lower(last_name), phone).

PostgreSQL has its text_pattern_ops prefix indexes since 0002 and gets nothing here. SQLite uses no index
for `LIKE ... ESCAPE`, so there customers/search.py asks lower(col) >= 'abc' AND lower(col) < 'abd', which
these answer (lower(email) has uq_customers_email_lower).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_INDEXES = {
    "ix_customers_first_name_range": "lower(first_name)",
    "ix_customers_last_name_range": "lower(last_name)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, expression in SQLITE_INDEXES.items():
        op.create_index(name, "customers", [sa.text(expression)])
    op.create_index("ix_customers_phone_range", "customers", ["phone"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_customers_phone_range", table_name="customers")
    for name in SQLITE_INDEXES:
        op.drop_index(name, table_name="customers")
