"""Scenario registry. One scenario = one module in this package using `@scenario(...)` or `@load(...)`.

A scenario measures the system's way of doing something against a baseline doing the same work
(typically the service call the app makes vs the same SQL by hand on raw asyncpg), in the same
process, on the same data. Every module in this package is imported by `discover()`, so adding a
scenario is adding a file; see bench/README.md.

Two kinds:

- latency (`@scenario`): the factory returns a `Pair` of calls, timed one call at a time;
- throughput (`@load`): the factory returns a `Load` whose two sides each run for a while with some
  concurrency and report how many operations they completed; `check` verifies what was written and
  `close` (always called) stops what the setup started and puts the data set back as it was.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bench.floor import Raw
from bench.http import BenchServer
from shopcrm.config import Settings
from shopcrm.db import Database

Call = Callable[[], Awaitable[object]]


@dataclass
class BenchContext:
    """What a scenario gets: the server to send requests to, the data's facts, and ways to read it."""

    settings: Settings
    database: Database  # the app's engines and session factories, as the API uses them
    raw: Any  # PostgreSQL: an open asyncpg.Connection on the same database (None on SQLite)
    counts: dict[str, int]  # rows per table: products, customers, orders, order_items, order_status_events
    rng: random.Random  # seeded: pick ids, search terms... the same way on every run
    database_url: str = ""  # the SQLAlchemy URL, e.g. for a server subprocess
    server: BenchServer | None = None  # product app + floor routes, started once per run
    rows: Raw | None = None  # setup reads on either engine: `await ctx.rows.fetch("... $1", value)`


@dataclass(frozen=True)
class Pair:
    """The two things a scenario times. When both return something, their results must be equal: as
    returned, or as `project_system` / `project_baseline` turn them (applied on warm-up only, untimed, e.g.
    to parse a response body and keep what both answers must share)."""

    system: Call
    baseline: Call
    project_system: Callable[[Any], Any] | None = None
    project_baseline: Callable[[Any], Any] | None = None
    close: Callable[[], Awaitable[None]] | None = None  # always called after the scenario
    # When the two answers may legitimately differ in part (estimates), what must agree; default: equality.
    same: Callable[[Any, Any], bool] | None = None


@dataclass(frozen=True)
class Timed:
    """A call that times itself (e.g. only the first request of a process it started): the runner takes
    `ms` instead of the whole call's time, and compares `value`."""

    ms: float
    value: Any


@dataclass
class LoadRun:
    """What one side of a throughput scenario did: operations completed in `seconds`, each one's latency."""

    operations: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Load:
    system: Callable[[], Awaitable[LoadRun]]
    baseline: Callable[[], Awaitable[LoadRun]]
    check: Callable[[], Awaitable[list[str]]]  # problems found in what was written; empty when all is well
    close: Callable[[], Awaitable[None]]  # always called, also after a failure


Factory = Callable[[BenchContext], Awaitable[Any]]


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    factory: Factory
    n: int  # timed runs of each side (latency scenarios)
    warmup: int  # untimed runs of each side first
    kind: Literal["latency", "throughput"] = "latency"
    target_p95_ms: float | None = None  # latency: the system's p95 must be at most this
    target_per_s: float | None = None  # throughput: the system must complete at least this many per second


REGISTRY: dict[str, Scenario] = {}
# Lines a scenario adds about what the table cannot show (a memory figure, say); printed under the table.
NOTES: list[str] = []


def _register(sc: Scenario) -> None:
    if sc.name in REGISTRY:
        raise ValueError(f"scenario {sc.name!r} is registered twice")
    REGISTRY[sc.name] = sc


def scenario(
    name: str, *, description: str, n: int = 50, warmup: int = 5, target_p95_ms: float | None = None
) -> Callable[[Factory], Factory]:
    """Register an async factory `(ctx) -> Pair` as a scenario (its setup runs once, untimed)."""

    def register(factory: Factory) -> Factory:
        _register(Scenario(name, description, factory, n, warmup, target_p95_ms=target_p95_ms))
        return factory

    return register


def add_scenario(
    name: str, factory: Factory, *, description: str, n: int = 50, warmup: int = 5, target_p95_ms: float | None = None
) -> None:
    """`scenario(...)` for scenarios made in a loop (one factory per parameter set)."""
    scenario(name, description=description, n=n, warmup=warmup, target_p95_ms=target_p95_ms)(factory)


def load(name: str, *, description: str, target_per_s: float | None = None) -> Callable[[Factory], Factory]:
    """Register an async factory `(ctx) -> Load` as a throughput scenario."""

    def register(factory: Factory) -> Factory:
        _register(Scenario(name, description, factory, 0, 0, kind="throughput", target_per_s=target_per_s))
        return factory

    return register


def discover() -> dict[str, Scenario]:
    """Import every module of this package (each registers its scenarios) and return the registry.

    Scenarios run in registration order: module by module (alphabetically), in each in the order they
    were declared.
    """
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return dict(REGISTRY)
