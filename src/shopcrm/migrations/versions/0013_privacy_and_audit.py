"""Personal data and the audit log: customers.erased_at, consent_events, suppressed_emails, audit_log.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # A nullable column with no default: a catalog change on PostgreSQL, no table rewrite.
    op.add_column("customers", sa.Column("erased_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "consent_events",
        sa.Column("id", _big(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", _big(), nullable=False),
        sa.Column("email_consent", sa.Boolean(), nullable=False),
        sa.Column("at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("changed_by_user_id", _big(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_user_id"],
            ["users.id"],
            name=op.f("fk_consent_events_changed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_consent_events_customer_id_customers"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )
    op.create_index("ix_consent_events_customer_id", "consent_events", ["customer_id", "at"])
    op.create_index(
        "ix_consent_events_changed_by_user_id",
        "consent_events",
        ["changed_by_user_id"],
        postgresql_where=sa.text("changed_by_user_id IS NOT NULL"),
        sqlite_where=sa.text("changed_by_user_id IS NOT NULL"),
    )
    op.create_table(
        "suppressed_emails",
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("suppressed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("email_hash", name=op.f("pk_suppressed_emails")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", _big(), sa.Identity(always=False), nullable=False),
        sa.Column("at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", _big(), nullable=True),
        sa.Column("actor_email", sa.String(length=254), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=True),
        sa.Column("target_id", sa.BigInteger(), nullable=True),
        sa.Column("row_count", sa.BigInteger(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["users.id"], name=op.f("fk_audit_log_actor_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_action_id", "audit_log", ["action", "id"])
    op.create_index("ix_audit_log_target", "audit_log", ["target_type", "target_id"])
    op.create_index(
        "ix_audit_log_actor_user_id",
        "audit_log",
        ["actor_user_id"],
        postgresql_where=sa.text("actor_user_id IS NOT NULL"),
        sqlite_where=sa.text("actor_user_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_actor_user_id", table_name="audit_log")
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    op.drop_index("ix_audit_log_action_id", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("suppressed_emails")
    op.drop_index("ix_consent_events_changed_by_user_id", table_name="consent_events")
    op.drop_index("ix_consent_events_customer_id", table_name="consent_events")
    op.drop_table("consent_events")
    # Plain ALTER on both engines (SQLite >= 3.35): batch mode would rebuild customers and lose its expression
    # indexes, which SQLite cannot reflect.
    op.execute("ALTER TABLE customers DROP COLUMN erased_at")
