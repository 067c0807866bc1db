"""Segment and segment-rule tables."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Identity, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shopcrm.db import Base, BigId, TimestampMixin


class Segment(TimestampMixin, Base):
    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    # How the rules combine at the top level: "and" or "or" (nested groups live in the rules).
    criteria_logic: Mapped[str] = mapped_column(String(8), default="and", server_default="and")

    rules: Mapped[list[SegmentRule]] = relationship(
        back_populates="segment", cascade="all, delete-orphan", lazy="raise"
    )


class SegmentRule(TimestampMixin, Base):
    __tablename__ = "segment_rules"

    id: Mapped[int] = mapped_column(BigId, Identity(), primary_key=True)
    segment_id: Mapped[int] = mapped_column(BigId, ForeignKey("segments.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)

    segment: Mapped[Segment] = relationship(back_populates="rules", lazy="raise")

    __table_args__ = (Index("ix_segment_rules_segment_id", "segment_id"),)
