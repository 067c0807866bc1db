"""The inventory through HTTP. System: `GET /api/inventory` (every sort both ways, and each filter), `GET
/api/inventory/stats` and `GET /api/inventory.csv` (all products, streamed). Floor: the same by hand
(bench/floor.py): the page and its capped count, the per-category figures and the alerts, the CSV in one read.

The CSV export also reports the server process's peak memory growth while it streams every product (its
peak resident size reset before, through /proc/<pid>/clear_refs, and read after: Linux only).
"""

from __future__ import annotations

import csv
import io
from itertools import repeat
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.scenarios import NOTES, BenchContext, Pair, add_scenario, scenario
from bench.scenarios._http import capped_total, http_pair
from shopcrm.inventory.schemas import InventorySort

LIST_MS = 50.0
STATS_MS = 100.0
CSV_MS = 3000.0
CSV_GROWTH_MB = 50.0


def _page(a: dict[str, Any]) -> object:
    return [int(i["id"]) for i in a["items"]], capped_total(a["total"], a["total_exact"])


def _floor_page(b: dict[str, Any]) -> object:
    return [int(i["id"]) for i in b["items"]], capped_total(b["total"], b["exact"])


def _list(params: dict[str, Any]) -> Any:
    async def factory(ctx: BenchContext) -> Pair:
        chosen = await _filled(ctx, params)
        query = urlencode(chosen, doseq=True)
        return http_pair(
            ctx, repeat(f"/api/inventory?{query}"), repeat(f"/bench-floor/inventory?{query}"), _page, _floor_page
        )

    return factory


async def _filled(ctx: BenchContext, params: dict[str, Any]) -> dict[str, Any]:
    """Placeholders made real from the data: the commonest category, a name prefix that exists."""
    assert ctx.rows is not None
    filled = dict(params)
    if filled.get("category") == "?":
        row = (await ctx.rows.fetch("SELECT category FROM products GROUP BY category ORDER BY count(*) DESC LIMIT 1"))[
            0
        ]
        filled["category"] = [row["category"]]
    if filled.get("q") == "?":
        row = (await ctx.rows.fetch("SELECT name FROM products ORDER BY id LIMIT 1"))[0]
        filled["q"] = row["name"][:3]
    return filled


for _sort in InventorySort:
    for _order in ("asc", "desc"):
        add_scenario(
            f"inventory_list {_sort.value} {_order}",
            _list({"sort": _sort.value, "order": _order}),
            description=f"GET /api/inventory?sort={_sort.value}&order={_order}, first page",
            n=60,
            warmup=5,
            target_p95_ms=LIST_MS,
        )

FILTERS: dict[str, dict[str, Any]] = {
    "q=name prefix": {"q": "?"},
    "category": {"category": "?", "sort": "price", "order": "desc"},
    "price 20-60": {"min_price": "20", "max_price": "60", "sort": "stock"},
    "low stock": {"stock_state": "low", "sort": "stock"},
    "all filters": {"q": "?", "category": "?", "min_price": "5", "max_price": "500", "stock_state": "low"},
}
for _name, _params in FILTERS.items():
    add_scenario(
        f"inventory_list {_name}",
        _list(_params),
        description=f"GET /api/inventory filtered by {_name}",
        n=60,
        warmup=5,
        target_p95_ms=LIST_MS,
    )


def _stats(a: dict[str, Any]) -> object:
    return a["products"], a["units"], a["low"], a["out"], [x["id"] for x in a["alerts"]]


def _floor_stats(b: dict[str, Any]) -> object:
    return b["products"], b["units"], b["low"], b["out"], b["alerts"]


@scenario("inventory_stats", description="GET /api/inventory/stats", n=60, warmup=5, target_p95_ms=STATS_MS)
async def inventory_stats(ctx: BenchContext) -> Pair:
    return http_pair(ctx, repeat("/api/inventory/stats"), repeat("/bench-floor/inventory/stats"), _stats, _floor_stats)


def _skus(body: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(body)))
    column = rows[0].index("sku")
    return [r[column] for r in rows[1:]]


def _rss_file(ctx: BenchContext) -> Path | None:
    process = ctx.server.process if ctx.server is not None else None
    path = Path(f"/proc/{process.pid}") if process is not None else None
    return path if path is not None and (path / "clear_refs").exists() else None


def _status_kb(path: Path, field: str) -> int:
    for line in (path / "status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


@scenario(
    "inventory_csv all products",
    description="GET /api/inventory.csv, every product, streamed",
    n=5,
    warmup=1,
    target_p95_ms=CSV_MS,
)
async def inventory_csv(ctx: BenchContext) -> Pair:
    proc = _rss_file(ctx)
    pair = http_pair(
        ctx, repeat("/api/inventory.csv"), repeat("/bench-floor/inventory.csv"), lambda body: body, lambda body: body
    )
    growth: list[float] = []

    async def system() -> Any:
        """The product's export, with the server's peak memory growth over it (its peak reset first)."""
        if proc is None:
            return await pair.system()
        (proc / "clear_refs").write_text("5")  # resets the peak resident size (VmHWM) to the current one
        before = _status_kb(proc, "VmRSS")
        body = await pair.system()
        growth.append((_status_kb(proc, "VmHWM") - before) / 1024)
        return body

    async def close() -> None:
        if pair.close is not None:
            await pair.close()
        if growth:
            worst = max(growth)
            verdict = "within" if worst <= CSV_GROWTH_MB else "ABOVE"
            NOTES.append(
                f"inventory_csv: the server's peak memory grew by at most {worst:.1f} MB over one export of all "
                f"{ctx.counts['products']:,} products ({len(growth)} exports), {verdict} the "
                f"{CSV_GROWTH_MB:.0f} MB budget."
            )

    return Pair(
        system,
        pair.baseline,
        project_system=lambda body: _skus(body.decode()),
        project_baseline=lambda body: _skus(body.decode()),
        close=close,
    )
