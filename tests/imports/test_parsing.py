"""Cell readers against values worked out by hand: dates as shops write them, amounts with either decimal
mark, Shopify's statuses, and the reader's byte offsets (a resumed read gives exactly the rest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shopcrm.imports import parsing, reader
from shopcrm.orders.models import OrderStatus

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05 14:22:10 +0100", dt.datetime(2024, 3, 5, 13, 22, 10, tzinfo=dt.UTC)),
        ("2024-03-05T14:22:10Z", dt.datetime(2024, 3, 5, 14, 22, 10, tzinfo=dt.UTC)),
        ("2024-03-05T14:22:10.250-05:00", dt.datetime(2024, 3, 5, 19, 22, 10, 250000, tzinfo=dt.UTC)),
        ("2024-03-05 14:22 UTC", dt.datetime(2024, 3, 5, 14, 22, tzinfo=dt.UTC)),
        ("2024-07-01 12:00:00", dt.datetime(2024, 7, 1, 10, 0, tzinfo=dt.UTC)),  # no zone: the store's (CEST)
        ("2024-01-01", dt.datetime(2023, 12, 31, 23, 0, tzinfo=dt.UTC)),  # a date: the store's midnight (CET)
    ],
)
def test_moments(text: str, expected: dt.datetime) -> None:
    assert parsing.moment(text, BERLIN) == expected


@pytest.mark.parametrize("text", ["05/03/2024", "2024-02-30", "2024-03-05 25:00", "1969-12-31T00:00:00Z", "soon"])
def test_unreadable_moments(text: str) -> None:
    with pytest.raises(parsing.BadValue):
        parsing.moment(text, BERLIN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.5", "12.50"), ("1,234.56", "1234.56"), ("12,50", "12.50"), ("1.234,50", "1234.50"), ("0.005", "0.01")],
)
def test_money(text: str, expected: str) -> None:
    assert parsing.money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["-1.00", "12.5.0", "€12", "1e5", "99999999999"])
def test_bad_money(text: str) -> None:
    with pytest.raises(parsing.BadValue):
        parsing.money(text)


def test_shopify_statuses() -> None:
    assert parsing.order_status("Partially Refunded") == OrderStatus.paid
    assert parsing.order_status("voided") == OrderStatus.cancelled
    assert parsing.order_status("authorized") == OrderStatus.pending
    assert parsing.order_status("delivered") == OrderStatus.delivered
    assert parsing.after_fulfilment(OrderStatus.paid, "fulfilled") == OrderStatus.shipped
    assert parsing.after_fulfilment(OrderStatus.refunded, "fulfilled") == OrderStatus.refunded
    with pytest.raises(parsing.BadValue):
        parsing.order_status("lost")


def test_counts_and_cleaning() -> None:
    assert parsing.count("3.0", minimum=1) == 3
    with pytest.raises(parsing.BadValue, match="negative quantity"):
        parsing.count("-2", minimum=1, what="quantity")
    with pytest.raises(parsing.BadValue, match="at least 1"):
        parsing.count("0", minimum=1, what="quantity")
    assert parsing.clean("  '+4915123456789 ") == "+4915123456789"
    assert parsing.clean("'quoted") == "'quoted"


def test_resuming_from_an_offset_reads_exactly_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'\xef\xbb\xbfa;b\r\n1;"x\r\ny"\r\n\r\n2;"q;""r"""\r\n3;z\r\n')
    sniffed = reader.sniff(path)
    assert (sniffed.delimiter, sniffed.encoding, sniffed.headers, sniffed.rows_total) == (
        ";",
        "utf-8-sig",
        ["a", "b"],
        3,
    )
    every = list(reader.records(path, delimiter=";", start=sniffed.data_offset, first_row=2))
    assert [(row, record) for row, record, _ in every] == [(2, ["1", "x\r\ny"]), (4, ["2", 'q;"r"']), (5, ["3", "z"])]
    _, _, after_first = every[0]
    rest = list(reader.records(path, delimiter=";", start=after_first, first_row=3))
    assert rest == every[1:]
