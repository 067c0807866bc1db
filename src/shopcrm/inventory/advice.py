"""Reorder advice from a forecast: pure rules, each answer with its reason in words.

With d the forecast units a day, L the product's lead time in days and z the normal quantile of the service
level (1.645 for 95%):
- safety stock SS = z x sd x sqrt(L), sd the standard deviation of daily units over the last 90 days (days
  taken as independent): enough to not run out during a lead time in that share of lead times;
- reorder point ROP = d x L + SS: at or under it, an order placed now arrives only just in time;
- suggested order = d x (L + 30) + SS - stock, rounded up, at least 0: what covers the lead time, the next 30
  days after it and the safety stock;
- need: critical when out of stock or the stock runs out before the lead time (an order now comes too late),
  high under the reorder point (order now), medium when it reaches the reorder point within 7 days, low within
  30, none otherwise or when nothing is expected to sell.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from statistics import NormalDist

from shopcrm.inventory.models import NeedLevel

REVIEW_DAYS = 30  # an order covers the lead time and this many days after it
MEDIUM_WITHIN_DAYS = 7
LOW_WITHIN_DAYS = 30
# Under this many units in 30 days nothing is expected to sell (less than one unit in ~600 days).
NO_DEMAND_30D = 0.05
MAX_COVER_DAYS = 99_999.9  # the column's largest value
MAX_STOCKOUT_DAYS = 3650  # a stock-out further away than this is not dated


@dataclass(frozen=True)
class Advice:
    need: NeedLevel
    reorder_qty: int
    safety_stock: float
    reorder_point: float
    days_of_cover: float | None  # None: nothing expected to sell
    stockout_on: dt.date | None
    reason: str


def z_score(service_level: float) -> float:
    return NormalDist().inv_cdf(service_level)


def _units(x: float) -> str:
    return f"{x:,.0f}" if x >= 10 else f"{x:,.1f}".removesuffix(".0")


def _days(x: float) -> str:
    whole = math.floor(x)
    return "1 day" if whole == 1 else f"{whole:,} days"


def advise(*, stock: int, daily_rate: float, demand_sd: float, lead_days: int, z: float, today: dt.date) -> Advice:
    """The need level, order and reason for one product."""
    stock = max(stock, 0)
    safety = z * demand_sd * math.sqrt(lead_days)
    rop = daily_rate * lead_days + safety
    if daily_rate * 30 < NO_DEMAND_30D:
        return Advice(NeedLevel.none, 0, safety, rop, None, None, "no sales expected in the next 30 days")
    # A hair under the integer, so 140.0000001 from float arithmetic is 140, not 141.
    qty = max(0, math.ceil(daily_rate * (lead_days + REVIEW_DAYS) + safety - stock - 1e-9))
    cover = stock / daily_rate
    stockout = today + dt.timedelta(days=math.floor(cover)) if cover <= MAX_STOCKOUT_DAYS else None
    stored_cover = min(round(cover, 1), MAX_COVER_DAYS)
    lead = f"lead time {_days(lead_days)}"
    if stock == 0:
        need, reason = NeedLevel.critical, f"out of stock, {_units(daily_rate)} a day expected: order {qty:,} now"
    elif cover < lead_days:
        need, reason = NeedLevel.critical, f"{_days(cover)} of cover, {lead}: order {qty:,} now"
    elif stock < rop:
        need = NeedLevel.high
        reason = f"{_days(cover)} of cover, under the reorder point ({lead} + safety stock): order {qty:,} now"
    else:
        until = (stock - rop) / daily_rate  # days until the stock reaches the reorder point
        if until < MEDIUM_WITHIN_DAYS:
            need = NeedLevel.medium
        elif until < LOW_WITHIN_DAYS:
            need = NeedLevel.low
        else:
            return Advice(
                NeedLevel.none, qty, safety, rop, stored_cover, stockout, f"{_days(cover)} of cover, nothing to order"
            )
        when = "today" if until < 1 else f"within {_days(until)}"
        reason = f"{_days(cover)} of cover, {lead}: order {qty:,} {when}"
    return Advice(need, qty, safety, rop, stored_cover, stockout, reason)
