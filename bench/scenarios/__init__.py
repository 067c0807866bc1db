"""Scenario registry. One scenario = one module in this package using `@scenario(...)`.

A scenario measures the system's way of doing something against a baseline doing the same work
(typically the ORM/service call the app makes vs the same SQL by hand on raw asyncpg), in the same
process, on the same data. Every module in this package is imported by `discover()`, so adding a
scenario is adding a file; see bench/README.md.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from shopcrm.config import Settings
from shopcrm.db import Database

Call = Callable[[], Awaitable[object]]


@dataclass
class BenchContext:
    """What a scenario gets: the app's Database, a raw asyncpg connection, and data facts."""

    settings: Settings
    database: Database  # the app's engines and session factories, as the API uses them
    raw: Any  # an open asyncpg.Connection on the same database, for baselines
    counts: dict[str, int]  # rows per table: products, customers, orders, order_items
    rng: random.Random  # seeded: pick ids, search terms... the same way on every run


@dataclass(frozen=True)
class Pair:
    """The two things a scenario times. When both return something, their results must be equal."""

    system: Call
    baseline: Call


Factory = Callable[[BenchContext], Awaitable[Pair]]


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    factory: Factory
    n: int  # timed runs of each side
    warmup: int  # untimed runs of each side first


REGISTRY: dict[str, Scenario] = {}


def scenario(name: str, *, description: str, n: int = 50, warmup: int = 5) -> Callable[[Factory], Factory]:
    """Register an async factory `(ctx) -> Pair` as a scenario (its setup runs once, untimed)."""

    def register(factory: Factory) -> Factory:
        if name in REGISTRY:
            raise ValueError(f"scenario {name!r} is registered twice")
        REGISTRY[name] = Scenario(name, description, factory, n, warmup)
        return factory

    return register


def discover() -> dict[str, Scenario]:
    """Import every module of this package (each registers its scenarios) and return the registry."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(REGISTRY.items()))
