"""What the segment endpoints take and return.

A rule tree travels as react-querybuilder's JSON (`RuleGroup`). Coming in, it is taken as plain JSON and
checked by the field catalog (segments/tree.py), so every problem is reported at its path in the tree
(`["body", "rules", "rules", 1, "value"]`); the schema below documents the shape for the client.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from shopcrm.core.types import NAME_PATTERN, NO_NUL, Moment
from shopcrm.customers.schemas import CustomerOut


class Rule(BaseModel):
    """One condition: a field of the catalog, one of its operators, and a value its type reads."""

    field: str
    operator: str
    value: Any = None


class RuleGroup(BaseModel):
    """Rules and groups combined with `and` or `or`; `not` negates the whole group. An empty group matches
    every customer."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    combinator: Literal["and", "or"] = "and"
    not_: bool = Field(default=False, alias="not")
    rules: list[Rule | RuleGroup] = Field(default_factory=list)


# Taken as JSON and checked by the catalog (segments/tree.py); documented as a RuleGroup.
RulesIn = Annotated[RuleGroup, SkipValidation()]


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: RulesIn


class RuleCount(BaseModel):
    alone: int = Field(description="Customers matching this top-level rule alone")
    running: int = Field(description="Customers matching the top-level rules up to this one, combined")


class PreviewOut(BaseModel):
    count: int = Field(description="Customers matching the whole tree, now")
    items: list[CustomerOut] = Field(description="The first page of them, newest customers first")
    rule_counts: list[RuleCount] = Field(description="One per top-level rule or group, in order")
    took_ms: int


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=NAME_PATTERN)
    description: str | None = Field(default=None, max_length=2000, pattern=NO_NUL)
    rules: RulesIn


class SegmentOut(BaseModel):
    id: int
    name: str
    description: str | None
    rules: RuleGroup
    member_count: int | None = Field(description="Members at the last refresh; null until the first one")
    counted_at: dt.datetime | None = Field(description="When the members were last refreshed")
    count_ms: int | None = Field(description="How long that refresh took")
    last_error: str | None = Field(
        description="Why the last refresh failed (null when it succeeded); the count shown is older than that"
    )
    failed_at: dt.datetime | None = Field(description="When the last refresh failed; null when it succeeded")
    created_at: dt.datetime
    updated_at: dt.datetime


class SegmentList(BaseModel):
    items: list[SegmentOut]
    total: int


class FieldOut(BaseModel):
    id: str
    label: str
    type: str
    operators: list[str]
    values: list[str] | None = Field(description="Allowed values (read from the data for countries, categories)")
    nullable: bool = Field(description="Whether a customer can have no value (null / notNull apply)")
    unit: str | None
    help: str


class FieldCatalog(BaseModel):
    fields: list[FieldOut]
    max_depth: int
    max_rules: int


class ExplainNode(BaseModel):
    """A rule or a group of the tree, evaluated for one customer."""

    kind: Literal["rule", "group"]
    passed: bool
    because: str
    # Rules
    field: str | None = None
    operator: str | None = None
    value: Any = None
    actual: Any = Field(default=None, description="The customer's own value for the rule's field")
    # Groups
    combinator: Literal["and", "or"] | None = None
    not_: bool | None = Field(default=None, alias="not")
    rules: list[ExplainNode] | None = None

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class ExplainOut(BaseModel):
    customer_id: int
    segment_id: int
    matches: bool = Field(description="Whether the customer matches the rules now")
    member: bool = Field(description="Whether the customer was a member at the last refresh")
    evaluated_at: dt.datetime
    tree: ExplainNode


class CustomerSegment(BaseModel):
    id: int
    name: str
    joined_at: dt.datetime


class CustomerSegments(BaseModel):
    items: list[CustomerSegment]


class MembershipChange(BaseModel):
    customer_id: int
    first_name: str
    last_name: str
    email: str
    kind: Literal["joined", "left"]
    at: dt.datetime


class ChangeSet(BaseModel):
    since: dt.datetime | None
    joined: list[MembershipChange]
    left: list[MembershipChange]
    joined_total: int
    left_total: int


class SegmentChanges(BaseModel):
    counted_at: dt.datetime | None
    last_refresh: ChangeSet = Field(description="Who joined and left at the last refresh")
    recent: ChangeSet = Field(description="Who joined and left since `since` (default: the last 24 hours)")


class ChangesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: Moment | None = Field(default=None, description="Changes since this time (default: the last 24 hours)")
