"""The insight rules on their own: tiers, RFM fifths and groups, buying rhythm, churn risk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shopcrm.customers import insights
from shopcrm.customers.insights import Quintiles
from shopcrm.customers.schemas import Tier
from tests.conftest import make_settings

SETTINGS = make_settings("sqlite+aiosqlite:///:memory:")
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
Q = Quintiles(
    recency_days=(10, 30, 90, 200),
    frequency=(1, 2, 3, 6),
    monetary=(50, 120, 300, 900),
    customers=1000,
    computed_at=NOW,
)


@pytest.mark.parametrize(
    ("spend", "tier"),
    [
        ("0", Tier.bronze),
        ("199.99", Tier.bronze),
        ("200", Tier.silver),
        ("999.99", Tier.silver),
        ("1000", Tier.gold),
        ("5000", Tier.platinum),
        ("123456", Tier.platinum),
    ],
)
def test_tier_by_lifetime_spend(spend: str, tier: Tier):
    assert insights.tier_for(Decimal(spend), SETTINGS) == tier


def test_tier_info_says_how_far_the_next_tier_is():
    info = insights.tier_info(Decimal("750"), SETTINGS)
    assert (info.name, info.next_tier, info.spend_to_next) == (Tier.silver, Tier.gold, Decimal("250"))
    top = insights.tier_info(Decimal("9000"), SETTINGS)
    assert (top.next_tier, top.spend_to_next) == (None, None)


def test_rfm_scores_and_groups():
    champion = insights.rfm(5, 12, Decimal("2000"), Q)
    assert (champion.recency, champion.frequency, champion.monetary) == (5, 5, 5)
    assert champion.group == "Champions"
    assert "1,000 customers" in champion.basis

    slipping = insights.rfm(400, 8, Decimal("1500"), Q)
    assert (slipping.recency, slipping.frequency) == (1, 5)
    assert slipping.group == "Can't lose them"

    newcomer = insights.rfm(3, 1, Decimal("40"), Q)
    assert newcomer.group == "New customers"

    lost = insights.rfm(365, 1, Decimal("20"), Q)
    assert lost.group == "Lost"


def test_rfm_without_orders_or_without_peers():
    assert insights.rfm(None, 0, Decimal("0"), Q).group == "No orders yet"
    assert insights.rfm(3, 1, Decimal("10"), None).group == "Not enough data"


def test_equal_values_get_equal_scores():
    assert insights._score(2, Q.frequency) == insights._score(2, Q.frequency)
    assert insights._score(1, Q.frequency) == 1
    assert insights._score(7, Q.frequency) == 5


def test_next_order_from_the_median_gap():
    times = [NOW - dt.timedelta(days=d) for d in (90, 60, 30, 28)]
    result = insights.next_order(times)
    assert result.typical_gap_days == 30  # gaps 30, 30, 2: the median ignores the odd one
    assert result.expected_at == NOW - dt.timedelta(days=28) + dt.timedelta(days=30)
    assert insights.next_order([NOW]).expected_at is None


@pytest.mark.parametrize(
    ("days_since", "gaps", "level"),
    [
        (10, [30, 30], "low"),
        (60, [30, 30], "medium"),
        (120, [30, 30], "high"),
        (30, [], "low"),
        (100, [], "medium"),
        (200, [], "high"),
    ],
)
def test_churn_risk_against_the_customers_own_rhythm(days_since: int, gaps: list[int], level: str):
    last = NOW - dt.timedelta(days=days_since)
    times = [last]
    for gap in gaps:
        times.insert(0, times[0] - dt.timedelta(days=gap))
    result = insights.churn_risk(days_since, times)
    assert result.level == level
    assert str(days_since) in result.basis
