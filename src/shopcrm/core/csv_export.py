"""CSV for spreadsheets: one line at a time, cells that a spreadsheet would run as a formula neutralised.

ShopCRM's own formats (docs/csv-formats.md) write booleans as `true`/`false`, times as ISO 8601 in UTC
with `Z`, and money as the database keeps it (a dot, two decimals), so an export reads back in an import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

# Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell a spreadsheet shows as text: one starting like a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before str(): Python would write True
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso_utc(value)
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def iso_utc(moment: dt.datetime) -> str:
    """A time as ISO 8601 in UTC with `Z` (2026-11-30T07:05:00Z; microseconds only when there are any)."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def csv_lines(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text (RFC 4180 line ends), every cell through `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()
