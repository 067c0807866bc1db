"""Need levels, order quantities and reasons at the edges of their rules (inventory/advice.py)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from shopcrm.inventory.advice import advise, z_score
from shopcrm.inventory.models import NeedLevel

TODAY = dt.date(2026, 11, 30)
Z95 = z_score(0.95)


def _advise(stock: int, rate: float = 2.0, sd: float = 1.0, lead: int = 16):  # type: ignore[no-untyped-def]
    return advise(stock=stock, daily_rate=rate, demand_sd=sd, lead_days=lead, z=Z95, today=TODAY)


def test_the_service_level_is_a_normal_quantile():
    assert pytest.approx(1.6449, abs=1e-4) == Z95
    assert z_score(0.5) == pytest.approx(0.0, abs=1e-12)


def test_need_levels_at_their_boundaries():
    # 2 a day, lead time 16 days, sd 1: safety stock 1.645 x 1 x 4 = 6.58, reorder point 32 + 6.58 = 38.58.
    safety = Z95 * 4
    rop = 32 + safety
    assert _advise(100).safety_stock == pytest.approx(safety)
    assert _advise(100).reorder_point == pytest.approx(rop)
    expected = [
        (0, NeedLevel.critical),
        (31, NeedLevel.critical),  # 15.5 days of cover < 16
        (32, NeedLevel.high),  # exactly the lead time: not before it, but under the reorder point
        (38, NeedLevel.high),
        (39, NeedLevel.medium),  # 0.2 days above the reorder point
        (52, NeedLevel.medium),  # reaches it in 6.7 days
        (53, NeedLevel.low),  # in 7.2 days
        (98, NeedLevel.low),  # in 29.7 days
        (99, NeedLevel.none),  # in 30.2 days
    ]
    for stock, need in expected:
        a = _advise(stock)
        assert a.need == need, (stock, a)
        assert a.reorder_qty == max(0, math.ceil(2 * (16 + 30) + safety - stock)), stock
        assert a.days_of_cover == round(stock / 2, 1)
        assert a.stockout_on == TODAY + dt.timedelta(days=stock // 2)
    assert _advise(99).reorder_qty == 0


def test_reasons_say_why_in_words():
    assert _advise(0).reason == "out of stock, 2 a day expected: order 99 now"
    assert _advise(24).reason == "12 days of cover, lead time 16 days: order 75 now"
    assert (
        _advise(36).reason
        == "18 days of cover, under the reorder point (lead time 16 days + safety stock): order 63 now"
    )
    assert _advise(39).reason == "19 days of cover, lead time 16 days: order 60 today"
    assert _advise(45).reason == "22 days of cover, lead time 16 days: order 54 within 3 days"
    assert _advise(200).reason == "100 days of cover, nothing to order"
    # The example: 12 days of cover, lead time 14 days.
    a = advise(stock=120, daily_rate=10.0, demand_sd=0.0, lead_days=14, z=Z95, today=TODAY)
    assert (a.need, a.reason) == (NeedLevel.critical, "12 days of cover, lead time 14 days: order 320 now")


def test_no_demand_and_no_lead_time():
    a = _advise(0, rate=0.0)
    assert (a.need, a.reorder_qty, a.days_of_cover, a.stockout_on) == (NeedLevel.none, 0, None, None)
    assert a.reason == "no sales expected in the next 30 days"
    # Just under the no-demand line (0.05 units in 30 days) and just over it.
    assert _advise(5, rate=0.049 / 30).need == NeedLevel.none
    assert _advise(0, rate=0.051 / 30).need == NeedLevel.critical
    # A lead time of 0: no safety stock, and only an empty shelf is critical.
    a = _advise(1, rate=5.0, lead=0)
    assert a.safety_stock == 0.0
    assert a.need == NeedLevel.medium  # at the reorder point 0 in 0.2 days
    assert _advise(0, rate=5.0, lead=0).need == NeedLevel.critical
    # Cover far away: counted, but not dated.
    far = _advise(2_000_000, rate=0.01)
    assert far.stockout_on is None
    assert far.days_of_cover == 99_999.9
