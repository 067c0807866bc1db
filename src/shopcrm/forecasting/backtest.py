"""The backtest: hold out the last days of the window, forecast them from the days before, compare.

Errors are of the held-out period's total per product (what a buyer orders against), weighted by volume:
WAPE = sum |forecast - sold| / sum sold, bias = sum (forecast - sold) / sum sold (positive: too high), over
the products with enough history before the held-out days. A product's own error is |forecast - sold| / sold
(none when it sold nothing then)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shopcrm.forecasting.methods import F64, I64, METHODS

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Backtest:
    holdout_days: int
    eligible: Mask  # products with enough history before the held-out days
    actual: F64  # units sold in the held-out days, per product
    forecasts: dict[str, F64]  # each method's forecast of that total, per product


@dataclass(frozen=True)
class Errors:
    wape: float | None  # None: nothing sold in the held-out days
    bias: float | None
    products: int
    sold: float
    forecast: float


def run(y: F64, start: I64, *, holdout_days: int, min_history_days: int, methods: list[str]) -> Backtest:
    """Every method's forecast of the held-out days from the days before them."""
    train = y[:-holdout_days]
    eligible = (train.shape[0] - start) >= min_history_days
    actual = y[-holdout_days:].sum(axis=0)
    forecasts = {name: METHODS[name](train, start) * holdout_days for name in methods}
    return Backtest(holdout_days, eligible, actual, forecasts)


def errors(forecast: F64, actual: F64, mask: Mask) -> Errors:
    sold = float(actual[mask].sum())
    predicted = float(forecast[mask].sum())
    if sold <= 0:
        return Errors(None, None, int(mask.sum()), sold, predicted)
    wape = float(np.abs(forecast[mask] - actual[mask]).sum()) / sold
    return Errors(wape, (predicted - sold) / sold, int(mask.sum()), sold, predicted)


def errors_by_group(forecast: F64, actual: F64, mask: Mask, codes: I64, groups: int) -> list[Errors]:
    """`errors` per group (codes 0..groups-1) in one pass of bincounts."""
    m = mask.astype(np.float64)
    sold = np.bincount(codes, weights=actual * m, minlength=groups)
    predicted = np.bincount(codes, weights=forecast * m, minlength=groups)
    absolute = np.bincount(codes, weights=np.abs(forecast - actual) * m, minlength=groups)
    count = np.bincount(codes, weights=m, minlength=groups)
    out = []
    for g in range(groups):
        if sold[g] <= 0:
            out.append(Errors(None, None, int(count[g]), float(sold[g]), float(predicted[g])))
        else:
            out.append(
                Errors(
                    float(absolute[g] / sold[g]),
                    float((predicted[g] - sold[g]) / sold[g]),
                    int(count[g]),
                    float(sold[g]),
                    float(predicted[g]),
                )
            )
    return out
