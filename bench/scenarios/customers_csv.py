"""The customers list exported as CSV through HTTP: the whole list of the data set, streamed. System:
`GET /api/customers.csv`. Floor: `GET /bench-floor/customers.csv` (bench/floor.py), the same rows in the
same order from a cursor on the raw driver, written with the same cell rule.

A call is timed to the last byte of the file. On warm-up both files are read and must hold the same
customers in the same order (emails) with the same header; cell formats differ on SQLite only (its raw
driver hands back stored text for times)."""

from __future__ import annotations

import csv
import io
from itertools import repeat
from typing import Any

from bench.scenarios import BenchContext, Pair, add_scenario
from bench.scenarios._http import http_pair


def _emails(body: bytes) -> tuple[list[str], list[str]]:
    reader = csv.reader(io.StringIO(body.decode("utf-8")))
    header = next(reader)
    return header, [row[0] for row in reader]


def make(sort: str, order: str) -> Any:
    async def factory(ctx: BenchContext) -> Pair:
        pair = http_pair(
            ctx,
            repeat(f"/api/customers.csv?sort={sort}&order={order}"),
            repeat(f"/bench-floor/customers.csv?sort={sort}&order={order}"),
            lambda _: None,
            lambda _: None,
        )
        # The bodies are CSV, not JSON: compared on what both must hold.
        return Pair(pair.system, pair.baseline, project_system=_emails, project_baseline=_emails, close=pair.close)

    return factory


for _sort, _order in (("created_at", "desc"), ("last_order_at", "desc")):
    add_scenario(
        f"customers_csv {_sort} {_order}",
        make(_sort, _order),
        description=f"GET /api/customers.csv?sort={_sort}&order={_order}: every customer of the set, streamed",
        n=3,
        warmup=1,
    )
