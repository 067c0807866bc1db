"""The vectorised methods and the backtest against the one-series-at-a-time reference on known series."""

from __future__ import annotations

import numpy as np
import pytest

from shopcrm.forecasting import backtest, methods
from tests.forecasting import reference

T = 120


def _matrix(series: list[list[float]]) -> np.ndarray:
    return np.array(series, dtype=np.float64).T  # (days, products)


def test_known_series_have_known_rates():
    steady = [3.0] * T
    every_fifth = [4.0 if (i + 1) % 5 == 0 else 0.0 for i in range(T)]  # 4 units on days 5, 10, ...
    nothing = [0.0] * T
    y = _matrix([steady, every_fifth, nothing])
    start = np.zeros(3, dtype=np.int64)
    sba = methods.croston_sba(y, start)
    # Steady: size 3 every 1 day; every fifth: size 4 every 5 days (the first interval counts from day 1 too).
    assert sba == pytest.approx([3 * 0.95, 4 / 5 * 0.95, 0.0])
    assert methods.tsb(y, start)[0] == pytest.approx(3.0)
    assert methods.tsb(y, start)[2] == 0.0
    assert methods.ewma(y, start) == pytest.approx([3.0, reference.ewma(every_fifth), 0.0])
    assert methods.naive(y, start) == pytest.approx([3.0, 6 * 4 / 30, 0.0])


def test_random_intermittent_series_match_the_reference():
    rng = np.random.default_rng(7)
    series = []
    for p in range(40):
        chance = [0.02, 0.1, 0.3, 0.9][p % 4]
        sold = rng.random(T) < chance
        series.append(list(np.where(sold, rng.integers(1, 6, T), 0).astype(float)))
    y = _matrix(series)
    start = np.zeros(len(series), dtype=np.int64)
    for name, ref in [
        ("croston_sba", reference.croston_sba),
        ("tsb", reference.tsb),
        ("ewma", reference.ewma),
        ("naive", reference.naive),
    ]:
        got = methods.METHODS[name](y, start)
        want = [ref(s) for s in series]
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12), name
    assert methods.recent_sd(y, start) == pytest.approx([reference.sample_sd(s[-90:]) for s in series])


def test_a_product_that_just_started_is_forecast_from_its_own_days_only():
    # Sold 2 a day for its 10 days of life; the days before it are not its history (zeros there would drag
    # the rate down), and whatever a row holds before its start is ignored.
    young = [9.0] * (T - 10) + [2.0] * 10
    y = _matrix([young])
    start = np.array([T - 10], dtype=np.int64)
    assert methods.croston_sba(y, start)[0] == pytest.approx(reference.croston_sba([2.0] * 10))
    assert methods.tsb(y, start)[0] == pytest.approx(2.0)
    assert methods.ewma(y, start)[0] == pytest.approx(2.0)
    assert methods.recent_sd(y, start)[0] == 0.0
    # No life in the window at all (start == number of days): nothing.
    none = np.array([T], dtype=np.int64)
    for name in ("croston_sba", "tsb", "ewma"):
        assert methods.METHODS[name](y, none)[0] == 0.0


def test_backtest_errors_against_a_hand_calculation():
    # Product 0 sells 1 a day, product 1 two every other day (0 on odd days), product 2 started too late.
    one = [1.0] * T
    alternate = [2.0 if i % 2 == 0 else 0.0 for i in range(T)]
    late = [0.0] * (T - 40) + [5.0] * 40
    y = _matrix([one, alternate, late])
    start = np.array([0, 0, T - 40], dtype=np.int64)
    test = backtest.run(y, start, holdout_days=30, min_history_days=56, methods=["naive", "tsb"])
    assert list(test.eligible) == [True, True, False]
    assert list(test.actual) == [30.0, 30.0, 150.0]
    train = [s[:-30] for s in (one, alternate, late)]
    naive = [reference.naive(s) * 30 for s in train]
    assert list(test.forecasts["naive"]) == pytest.approx(naive)
    tsb = [reference.tsb(s) * 30 for s in train[:2]]
    assert list(test.forecasts["tsb"][:2]) == pytest.approx(tsb)
    e = backtest.errors(test.forecasts["tsb"], test.actual, test.eligible)
    assert e.wape == pytest.approx((abs(tsb[0] - 30) + abs(tsb[1] - 30)) / 60)
    assert e.bias == pytest.approx((tsb[0] + tsb[1] - 60) / 60)
    assert e.products == 2
    groups = backtest.errors_by_group(
        test.forecasts["tsb"], test.actual, test.eligible, np.array([0, 1, 1], dtype=np.int64), 3
    )
    assert groups[0].wape == pytest.approx(abs(tsb[0] - 30) / 30)
    assert groups[1].bias == pytest.approx((tsb[1] - 30) / 30)  # the late product is not counted
    assert groups[2].wape is None
    assert groups[2].products == 0
    # Nothing sold in the held-out days: no WAPE rather than a division by zero.
    quiet = _matrix([[1.0] * (T - 30) + [0.0] * 30])
    test = backtest.run(quiet, np.zeros(1, dtype=np.int64), holdout_days=30, min_history_days=56, methods=["tsb"])
    assert backtest.errors(test.forecasts["tsb"], test.actual, test.eligible).wape is None
