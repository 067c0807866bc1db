"""Store every email in its one normalised form (core.types.normalize_email).

Data only. Rows that already collide with another row's normalised email (possible on SQLite, whose
lower() folds ASCII only) are left as they are and named in a warning: two customers cannot be merged
by a migration.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shopcrm.core.types import normalize_email

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

# Only rows that may change are read: upper case, surrounding spaces, or anything beyond ASCII.
NEEDS_LOOK = {
    "postgresql": "email <> lower(email) OR email <> btrim(email) OR email ~ '[^\\x01-\\x7e]'",
    "sqlite": "email <> lower(email) OR email <> trim(email) OR email GLOB '*[^ -~]*'",
}


def upgrade() -> None:
    bind = op.get_bind()
    for table in ("customers", "users"):
        rows = bind.execute(sa.text(f"SELECT id, email FROM {table} WHERE {NEEDS_LOOK[bind.dialect.name]}")).all()  # noqa: S608 - fixed names
        changes = [(row_id, normalize_email(email)) for row_id, email in rows if normalize_email(email) != email]
        for row_id, email in changes:
            taken = bind.execute(
                sa.text(f"SELECT id FROM {table} WHERE lower(email) = :email AND id <> :id"),  # noqa: S608
                {"email": email, "id": row_id},
            ).first()
            if taken is not None:
                log.warning("%s %s keeps its email: %s %s has the same one normalised", table, row_id, table, taken[0])
                continue
            bind.execute(sa.text(f"UPDATE {table} SET email = :email WHERE id = :id"), {"email": email, "id": row_id})  # noqa: S608


def downgrade() -> None:
    # The original spelling is not kept; a normalised email is a valid email.
    pass
