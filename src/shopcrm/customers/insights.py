"""Customer insights from a customer's own history: RFM, tier, buying rhythm, churn risk.

Pure functions: the service gathers the numbers with SQL and these turn them into judgements, each
with a sentence saying what it was computed from.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shopcrm.config import Settings
from shopcrm.customers.schemas import ChurnInsight, NextOrderInsight, RfmInsight, Tier, TierInfo

TIER_ORDER = (Tier.bronze, Tier.silver, Tier.gold, Tier.platinum)


def tier_floors(settings: Settings) -> dict[Tier, Decimal]:
    return {
        Tier.bronze: Decimal("0"),
        Tier.silver: settings.tier_silver_from,
        Tier.gold: settings.tier_gold_from,
        Tier.platinum: settings.tier_platinum_from,
    }


def tier_for(spend: Decimal, settings: Settings) -> Tier:
    floors = tier_floors(settings)
    for tier in reversed(TIER_ORDER):
        if spend >= floors[tier]:
            return tier
    return Tier.bronze


def tier_info(spend: Decimal, settings: Settings) -> TierInfo:
    floors = tier_floors(settings)
    tier = tier_for(spend, settings)
    index = TIER_ORDER.index(tier)
    next_tier = TIER_ORDER[index + 1] if index + 1 < len(TIER_ORDER) else None
    return TierInfo(
        name=tier,
        min_spend=floors[tier],
        next_tier=next_tier,
        spend_to_next=(floors[next_tier] - spend) if next_tier else None,
    )


@dataclass(frozen=True)
class Quintiles:
    """Upper bounds of the lower four fifths of customers who have ordered, per RFM measure."""

    recency_days: tuple[float, ...]  # ascending; fewer days is better
    frequency: tuple[float, ...]
    monetary: tuple[float, ...]
    customers: int
    computed_at: dt.datetime


@dataclass(frozen=True)
class NotRankedYet:
    """No fifths stored yet: they are computed in the background (customers/statistics.py), never in a request."""

    refresh_seconds: int  # 0: only at start-up and by `shopcrm refresh-stats`


def _every(seconds: int) -> str:
    if seconds % 3600 == 0:
        return "hour" if seconds == 3600 else f"{seconds // 3600} hours"
    if seconds % 60 == 0:
        return "minute" if seconds == 60 else f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def _score(value: float, bounds: Sequence[float], *, lower_is_better: bool = False) -> int:
    """1..5 by which fifth `value` falls into; ties go to the higher fifth so equal values score equally."""
    fifth = 1 + sum(1 for b in bounds if value > b)
    return 6 - fifth if lower_is_better else fifth


def rfm_group(r: int, f: int, m: int) -> str:
    """Named RFM groups in the usual marketing vocabulary, checked from the most specific."""
    if r >= 4 and f >= 4 and m >= 4:
        return "Champions"
    if r <= 2 and f >= 4 and m >= 4:
        return "Can't lose them"
    if r >= 3 and f >= 4:
        return "Loyal"
    if r == 5 and f == 1:
        return "New customers"
    if r >= 4 and f <= 3:
        return "Potential loyalists" if f >= 2 else "Promising"
    if r == 3:
        return "Need attention" if f >= 2 else "About to sleep"
    if r <= 2 and f >= 3:
        return "At risk"
    if r == 1 and f == 1:
        return "Lost"
    return "Hibernating"


def rfm(days_since_last: int | None, orders: int, spend: Decimal, q: Quintiles | NotRankedYet | None) -> RfmInsight:
    if days_since_last is None or orders == 0:
        return RfmInsight(
            recency=None,
            frequency=None,
            monetary=None,
            group="No orders yet",
            basis="Scores need at least one order that was not cancelled or refunded.",
        )
    if isinstance(q, NotRankedYet):
        when = f"at start-up and every {_every(q.refresh_seconds)}" if q.refresh_seconds else "at start-up"
        return RfmInsight(
            recency=None,
            frequency=None,
            monetary=None,
            group="Not ranked yet",
            basis=(
                "Scores rank a customer against all customers with orders. That ranking is computed in the "
                f"background ({when}, and after data loads) and has not been computed yet."
            ),
        )
    if q is None or q.customers < 5:
        return RfmInsight(
            recency=None,
            frequency=None,
            monetary=None,
            group="Not enough data",
            basis="Scores rank a customer against at least five customers with orders.",
        )
    r = _score(days_since_last, q.recency_days, lower_is_better=True)
    f = _score(orders, q.frequency)
    m = _score(float(spend), q.monetary)
    basis = (
        f"Last order {days_since_last} days ago, {orders} orders, {spend:,.2f} spent, each ranked in fifths "
        f"against {q.customers:,} customers with orders (5 = best fifth; fifths as of "
        f"{q.computed_at:%Y-%m-%d %H:%M} UTC)."
    )
    return RfmInsight(recency=r, frequency=f, monetary=m, group=rfm_group(r, f, m), basis=basis)


def typical_gap_days(order_times: Sequence[dt.datetime]) -> float | None:
    """Median days between consecutive orders; None with fewer than two orders."""
    if len(order_times) < 2:
        return None
    ordered = sorted(order_times)
    gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(ordered)]
    return statistics.median(gaps)


def next_order(order_times: Sequence[dt.datetime]) -> NextOrderInsight:
    gap = typical_gap_days(order_times)
    if gap is None:
        return NextOrderInsight(
            expected_at=None, typical_gap_days=None, basis="A buying rhythm needs at least two orders."
        )
    last = max(order_times)
    expected = last + dt.timedelta(days=gap)
    return NextOrderInsight(
        expected_at=expected,
        typical_gap_days=round(gap),
        basis=f"Median gap of {gap:.0f} days between this customer's {len(order_times)} orders, after the last one.",
    )


# Single-order customers have no rhythm of their own; these day counts stand in for one.
SINGLE_ORDER_MEDIUM_DAYS = 90
SINGLE_ORDER_HIGH_DAYS = 180


def churn_risk(days_since_last: int | None, order_times: Sequence[dt.datetime]) -> ChurnInsight:
    if days_since_last is None:
        return ChurnInsight(level="unknown", basis="No orders yet.")
    gap = typical_gap_days(order_times)
    if gap is None or gap < 1:
        if days_since_last >= SINGLE_ORDER_HIGH_DAYS:
            level = "high"
        elif days_since_last >= SINGLE_ORDER_MEDIUM_DAYS:
            level = "medium"
        else:
            level = "low"
        return ChurnInsight(
            level=level,
            basis=(
                f"One order so far, {days_since_last} days ago (medium from {SINGLE_ORDER_MEDIUM_DAYS} days, "
                f"high from {SINGLE_ORDER_HIGH_DAYS})."
            ),
        )
    ratio = days_since_last / gap
    level = "low" if ratio < 1.5 else "medium" if ratio < 3 else "high"
    return ChurnInsight(
        level=level,
        basis=(
            f"{days_since_last} days since the last order against a usual gap of {gap:.0f} days "
            f"({ratio:.1f}x; medium from 1.5x, high from 3x)."
        ),
    )
