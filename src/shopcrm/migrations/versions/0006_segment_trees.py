"""Segment rule trees (a rule row may be a group, with a parent and a position), segment counts, members and
membership events.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shopcrm.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("criteria_not", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("member_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("counted_at", shopcrm.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("count_ms", sa.Integer(), nullable=True))

    with op.batch_alter_table("segment_rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", BIG, nullable=True))
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("combinator", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("negated", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column("field", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("operator", existing_type=sa.String(length=32), nullable=True)
        batch_op.alter_column("value", existing_type=sa.Text(), nullable=True)
        batch_op.create_foreign_key(
            op.f("fk_segment_rules_parent_id_segment_rules"), "segment_rules", ["parent_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index("ix_segment_rules_parent_id", ["parent_id"], unique=False)
        batch_op.create_check_constraint(
            "rule_or_group",
            "(combinator IS NULL AND field IS NOT NULL AND operator IS NOT NULL)"
            " OR (combinator IN ('and', 'or') AND field IS NULL AND operator IS NULL)",
        )

    # Members and events are derived, written in bulk by each refresh: no foreign keys (their per-row checks
    # were most of a refresh's time); the segment service deletes them with their segment.
    op.create_table(
        "segment_members",
        sa.Column("segment_id", BIG, nullable=False),
        sa.Column("customer_id", BIG, nullable=False),
        sa.Column("joined_at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("segment_id", "customer_id", name=op.f("pk_segment_members")),
    )
    with op.batch_alter_table("segment_members", schema=None) as batch_op:
        batch_op.create_index("ix_segment_members_customer_id", ["customer_id"], unique=False)

    op.create_table(
        "segment_membership_events",
        sa.Column("id", BIG, sa.Identity(always=False), nullable=False),
        sa.Column("segment_id", BIG, nullable=False),
        sa.Column("customer_id", BIG, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("at", shopcrm.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('joined', 'left')", name=op.f("ck_segment_membership_events_kind_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_membership_events")),
    )
    with op.batch_alter_table("segment_membership_events", schema=None) as batch_op:
        batch_op.create_index("ix_segment_membership_events_customer_id", ["customer_id"], unique=False)
        batch_op.create_index("ix_segment_membership_events_segment_at", ["segment_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_table("segment_membership_events")
    op.drop_table("segment_members")
    # Group rows cannot be expressed in the old flat form.
    op.execute("DELETE FROM segment_rules WHERE combinator IS NOT NULL OR parent_id IS NOT NULL")
    with op.batch_alter_table("segment_rules", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_segment_rules_rule_or_group"), type_="check")
        batch_op.drop_index("ix_segment_rules_parent_id")
        batch_op.drop_constraint(op.f("fk_segment_rules_parent_id_segment_rules"), type_="foreignkey")
        batch_op.alter_column("value", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("operator", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("field", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("negated")
        batch_op.drop_column("combinator")
        batch_op.drop_column("position")
        batch_op.drop_column("parent_id")
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.drop_column("count_ms")
        batch_op.drop_column("counted_at")
        batch_op.drop_column("member_count")
        batch_op.drop_column("criteria_not")
