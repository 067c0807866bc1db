"""Segment previews through HTTP: ten representative segments (profile filters, a spend range, a relative
date, bought-in-category within 90 days, at least 3 orders in 90 days, nested OR groups, a NOT group, ...).
System: `POST /api/segments/preview` with the rule tree. Floor: `GET /bench-floor/segments/{name}`
(bench/floor.py), the same count, first page and per-rule counts written by hand on the raw driver.
Goal (issue 15): p95 <= 1 s at 1M customers, ratio <= 1.3; <= 100 ms on the small set on SQLite.
"""

from __future__ import annotations

import json
from typing import Any

from bench.http import KeepAliveClient
from bench.scenarios import BenchContext, Pair, add_scenario

TARGET_MS = 1000.0


def _r(field: str, operator: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value}


def _and(*rules: dict[str, Any], negated: bool = False) -> dict[str, Any]:
    return {"combinator": "and", "not": negated, "rules": list(rules)}


def _or(*rules: dict[str, Any], negated: bool = False) -> dict[str, Any]:
    return {"combinator": "or", "not": negated, "rules": list(rules)}


SEGMENTS: dict[str, tuple[str, dict[str, Any]]] = {
    "profile": (
        "German customers, consenting, active",
        _and(_r("country", "=", "DE"), _r("email_consent", "=", True), _r("status", "=", "active")),
    ),
    "spend_range": ("lifetime spend 200 to 1,000", _and(_r("total_spend", "between", ["200", "1000"]))),
    "ordered_30d": ("last order in the last 30 days", _and(_r("last_order_at", "inLastDays", 30))),
    "footwear_90d": (
        "bought Footwear in the last 90 days",
        _and(_r("bought_category", "=", {"days": 90, "value": "Footwear"})),
    ),
    "3_orders_90d": ("at least 3 orders in 90 days", _and(_r("orders_in_last_days", ">=", {"days": 90, "value": 3}))),
    "gold_plus_us_gb": (
        "nested OR: gold or platinum, in the US or GB",
        _and(_or(_r("tier", "=", "gold"), _r("tier", "=", "platinum")), _r("country", "in", ["US", "GB"])),
    ),
    "not_us_or_no_consent": (
        "a NOT group: not (in the US or not consenting)",
        _and(_or(_r("country", "=", "US"), _r("email_consent", "=", False), negated=True)),
    ),
    "lapsed_regulars": (
        "180+ days since the last order, 2+ orders",
        _and(_r("days_since_last_order", ">=", 180), _r("total_orders", ">=", 2)),
    ),
    "spend_30d": (
        "over 100 spent in the last 30 days",
        _and(_r("spend_in_last_days", ">", {"days": 30, "value": 100})),
    ),
    "san_new": (
        "city contains 'san' or joined in the last year",
        _or(_r("city", "contains", "san"), _r("created_at", "inLastDays", 365)),
    ),
}


def make(name: str, tree: dict[str, Any]) -> Any:
    async def factory(ctx: BenchContext) -> Pair:
        assert ctx.server is not None, "HTTP scenarios need the bench server"
        server = ctx.server
        clients: dict[str, KeepAliveClient] = {}

        async def client(side: str) -> KeepAliveClient:
            if side not in clients:
                clients[side] = await server.client()
            return clients[side]

        async def system() -> bytes:
            status, body = await (await client("system")).post_json("/api/segments/preview", {"rules": tree})
            if status != 200:
                raise AssertionError(f"preview {name}: {status} {body[:300]!r}")
            return body

        async def baseline() -> bytes:
            status, body = await (await client("baseline")).get(f"/bench-floor/segments/{name}")
            if status != 200:
                raise AssertionError(f"floor {name}: {status} {body[:300]!r}")
            return body

        async def close() -> None:
            for c in clients.values():
                await c.close()

        def project_system(body: bytes) -> Any:
            a = json.loads(body)
            return a["count"], [i["id"] for i in a["items"]], [[c["alone"], c["running"]] for c in a["rule_counts"]]

        def project_baseline(body: bytes) -> Any:
            b = json.loads(body)
            return b["count"], b["ids"], b["rule_counts"]

        return Pair(system, baseline, project_system=project_system, project_baseline=project_baseline, close=close)

    return factory


for _name, (_description, _tree) in SEGMENTS.items():
    add_scenario(
        f"segment_preview {_name}",
        make(_name, _tree),
        description=f"POST /api/segments/preview: {_description}",
        n=30,
        warmup=3,
        target_p95_ms=TARGET_MS,
    )
