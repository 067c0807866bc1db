"""Independent, one-series-at-a-time implementations of the forecasting methods, written from their textbook
definitions (plain Python lists, no numpy), to check the vectorised ones against."""

from __future__ import annotations

import itertools
import math


def ses(values: list[float], alpha: float) -> float:
    """Simple exponential smoothing started at the first value; the level after the last."""
    level = values[0]
    for v in values[1:]:
        level = alpha * v + (1 - alpha) * level
    return level


def croston_sba(series: list[float], alpha: float = 0.1) -> float:
    sizes = [v for v in series if v > 0]
    if not sizes:
        return 0.0
    positions = [i for i, v in enumerate(series) if v > 0]
    intervals = [positions[0] + 1] + [b - a for a, b in itertools.pairwise(positions)]
    return ses(sizes, alpha) / ses([float(x) for x in intervals], alpha) * (1 - alpha / 2)


def tsb(series: list[float], alpha_demand: float = 0.1, alpha_probability: float = 0.02) -> float:
    sizes = [v for v in series if v > 0]
    if not sizes:
        return 0.0
    return ses([1.0 if v > 0 else 0.0 for v in series], alpha_probability) * ses(sizes, alpha_demand)


def ewma(series: list[float], alpha: float = 0.05) -> float:
    return ses(series, alpha) if series else 0.0


def naive(series: list[float], days: int = 30) -> float:
    return sum(series[-days:]) / days


def sample_sd(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
