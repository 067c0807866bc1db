"""Segment tables: the segment, its rule tree as rows, its members and who joined or left when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopcrm.db import Base, BigId, TimestampMixin, UTCDateTime


class Segment(TimestampMixin, Base):
    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    # How the rules combine at the top level: "and" or "or" (nested groups live in the rules).
    criteria_logic: Mapped[str] = mapped_column(String(8), default="and", server_default="and")
    # The top-level group's `not`.
    criteria_not: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set by each membership refresh (segments/jobs.py); NULL until the first one after the rules changed.
    member_count: Mapped[int | None] = mapped_column(Integer)
    counted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    count_ms: Mapped[int | None] = mapped_column(Integer)
    # The last refresh that failed (a statement timeout, stored rules the catalog now refuses): why, in words
    # with no customer data, and when. Cleared by the next refresh that succeeds.
    last_error: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    rules: Mapped[list[SegmentRule]] = relationship(
        back_populates="segment", cascade="all, delete-orphan", lazy="raise"
    )


class SegmentRule(TimestampMixin, Base):
    """A rule, or a group of rules (field NULL, combinator set). Rows with no parent are the top level, in
    `position` order, so the seed's flat rows still read as a one-level tree. `value` is the rule's value as
    JSON text, exactly as the tree gave it."""

    __tablename__ = "segment_rules"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    segment_id: Mapped[int] = mapped_column(BigId, ForeignKey("segments.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("segment_rules.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    field: Mapped[str | None] = mapped_column(String(64))
    operator: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text)
    combinator: Mapped[str | None] = mapped_column(String(3))
    negated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    segment: Mapped[Segment] = relationship(back_populates="rules", lazy="raise")

    __table_args__ = (
        Index("ix_segment_rules_segment_id", "segment_id"),
        Index("ix_segment_rules_parent_id", "parent_id"),
        CheckConstraint(
            "(combinator IS NULL AND field IS NOT NULL AND operator IS NOT NULL)"
            " OR (combinator IN ('and', 'or') AND field IS NULL AND operator IS NULL)",
            name="rule_or_group",
        ),
    )


class SegmentMember(Base):
    """A customer in a segment as of its last refresh.

    Derived rows, written in bulk by each refresh (segments/jobs.py), so no foreign keys: their per-row
    checks cost 2.2 s of a 2.9 s first refresh of 39,000 members (measured). The service deletes a segment's
    members and events with the segment; customers are never deleted (their orders restrict it)."""

    __tablename__ = "segment_members"

    segment_id: Mapped[int] = mapped_column(BigId)
    customer_id: Mapped[int] = mapped_column(BigId)
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        PrimaryKeyConstraint("segment_id", "customer_id"),
        Index("ix_segment_members_customer_id", "customer_id"),
    )


class SegmentMembershipEvent(Base):
    """A customer joined or left a segment at a refresh (`at` is that refresh's time). Derived rows written
    in bulk, without foreign keys, like SegmentMember."""

    __tablename__ = "segment_membership_events"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    segment_id: Mapped[int] = mapped_column(BigId)
    customer_id: Mapped[int] = mapped_column(BigId)
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("kind IN ('joined', 'left')", name="kind_valid"),
        Index("ix_segment_membership_events_segment_at", "segment_id", "at"),
        Index("ix_segment_membership_events_customer_id", "customer_id"),
    )
