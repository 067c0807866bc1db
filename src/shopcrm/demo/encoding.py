"""Vectorised column encoding: PostgreSQL binary COPY rows and Python values, from numpy arrays.

A text value is a sequence of byte *parts* (a vocabulary word, a constant, the digits of a number),
each described by a byte pool plus per-row start offsets and lengths, so a whole chunk of rows is
assembled with a handful of numpy gathers instead of a Python loop per row. The same columns feed
PostgreSQL (binary COPY, `encode_copy_rows`) and SQLite (`python_values`, for executemany).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

Kind = Literal["int8", "int4", "bool", "numeric", "timestamptz", "text"]

COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
COPY_TRAILER = (-1).to_bytes(2, "big", signed=True)

_UNIX_TO_PG_EPOCH_US = 946_684_800 * 1_000_000  # 2000-01-01T00:00Z, PostgreSQL's timestamp epoch
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Part:
    """Bytes of one piece of a value for each row: pool[starts[i] : starts[i] + lens[i]].

    `starts is None` means a fixed-width part laid out row after row (row i at i * width);
    an int `lens` is that fixed width.
    """

    pool: U8
    starts: I64 | None
    lens: I64 | int

    def ragged(self, n: int) -> tuple[I64, I64]:
        """(starts, lens) as arrays, whatever the layout."""
        if isinstance(self.lens, int):
            width = self.lens
            if self.starts is None:
                starts = np.arange(n, dtype=np.int64) * width
            elif len(self.starts) == 0:  # a constant: the whole pool on every row
                starts = np.zeros(n, dtype=np.int64)
            else:
                starts = self.starts
            return starts, np.full(n, width, dtype=np.int64)
        assert self.starts is not None
        return self.starts, self.lens


@dataclass(frozen=True, slots=True)
class Vocab:
    """Words encoded once as UTF-8 in one pool; `pick(idx)` is the part choosing word idx per row."""

    pool: U8
    starts: I64
    lens: I64

    @classmethod
    def of(cls, words: Sequence[str]) -> Vocab:
        encoded = [w.encode("utf-8") for w in words]
        lens = np.array([len(b) for b in encoded], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
        pool = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(pool, starts, lens)

    def pick(self, idx: npt.NDArray[np.integer]) -> Part:
        return Part(self.pool, self.starts[idx], self.lens[idx])


def const(text: str) -> Part:
    """The same bytes on every row."""
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    return Part(data, np.zeros(1, dtype=np.int64)[:0], len(data))  # starts unused for constants


def _is_const(part: Part) -> bool:
    return part.starts is not None and isinstance(part.lens, int) and len(part.starts) == 0


_POW10 = 10 ** np.arange(18, -1, -1, dtype=np.int64)


def digits(values: npt.NDArray[np.integer], *, width: int | None = None) -> Part:
    """Decimal digits of non-negative integers: shortest form, or zero-padded to `width`."""
    v = np.asarray(values, dtype=np.int64)
    n = len(v)
    max_width = 19
    matrix = ((v[:, None] // _POW10[None, :]) % 10 + 48).astype(np.uint8)
    row0 = np.arange(n, dtype=np.int64) * max_width
    if width is not None:
        return Part(matrix.ravel(), row0 + (max_width - width), np.full(n, width, dtype=np.int64))
    ndig = np.ones(n, dtype=np.int64)
    for p in range(1, 19):
        ndig += v >= 10**p
    return Part(matrix.ravel(), row0 + (max_width - ndig), ndig)


def template_fill(templates: Vocab, idx: npt.NDArray[np.integer], randoms: I64) -> Part:
    """Template words where each '#' becomes a digit of `randoms` (per row): postal codes."""
    width = int(templates.lens.max())
    n = len(idx)
    pad = np.zeros((len(templates.lens), width), dtype=np.uint8)
    for i, (s, ln) in enumerate(zip(templates.starts, templates.lens, strict=True)):
        pad[i, :ln] = templates.pool[s : s + ln]
    rows = pad[idx]
    hashes = rows == ord("#")
    # k-th '#' of a row takes digit k of the row's random number
    ordinal = np.cumsum(hashes, axis=1) - 1
    digit = (randoms[:, None] // (10 ** np.clip(ordinal, 0, 17))) % 10
    rows = np.where(hashes, (digit + 48).astype(np.uint8), rows)
    return Part(rows.ravel(), np.arange(n, dtype=np.int64) * width, templates.lens[idx])


@dataclass(frozen=True, slots=True)
class Column:
    """One column's values for a chunk of rows. For "text", `parts` concatenated; else `values`."""

    name: str
    kind: Kind
    values: npt.NDArray[np.generic] | None = None
    parts: tuple[Part, ...] = ()
    null: Bools | None = None


def text(name: str, *parts: Part, null: Bools | None = None) -> Column:
    return Column(name, "text", parts=parts, null=null)


def num(name: str, kind: Kind, values: npt.NDArray[np.generic], null: Bools | None = None) -> Column:
    return Column(name, kind, values=values, null=null)


# ---------------------------------------------------------------- assembling bytes


def _fixed_block(parts: Sequence[Part], n: int) -> U8:
    """Consecutive fixed-width parts side by side: an (n, total width) byte matrix."""
    cols: list[U8] = []
    for p in parts:
        assert isinstance(p.lens, int)
        if _is_const(p):
            cols.append(np.broadcast_to(p.pool, (n, p.lens)))
        elif p.starts is None:
            cols.append(p.pool.reshape(n, p.lens))
        else:
            cols.append(p.pool[p.starts[:, None] + np.arange(p.lens)])
    return np.concatenate(cols, axis=1) if len(cols) > 1 else np.ascontiguousarray(cols[0])


def assemble(parts: Sequence[Part], n: int) -> tuple[U8, I64]:
    """Concatenate the parts row by row: (bytes, row lengths)."""
    groups: list[tuple[bool, list[Part]]] = []
    for p in parts:
        fixed = isinstance(p.lens, int)
        if groups and groups[-1][0] and fixed:
            groups[-1][1].append(p)
        else:
            groups.append((fixed, [p]))
    row_len = np.zeros(n, dtype=np.int64)
    for p in parts:
        row_len += p.lens
    ends = np.cumsum(row_len)
    total = int(ends[-1]) if n else 0
    if len(groups) == 1 and groups[0][0]:
        return _fixed_block(groups[0][1], n).ravel(), row_len
    out = np.empty(total, dtype=np.uint8)
    pos = ends - row_len
    for fixed, group in groups:
        if fixed:
            block = _fixed_block(group, n)
            width = block.shape[1]
            out[pos[:, None] + np.arange(width)] = block
            pos += width
        else:
            (p,) = group
            starts, lens = p.ragged(n)
            count = int(lens.sum())
            if count:
                within = np.arange(count, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
                out[np.repeat(pos, lens) + within] = p.pool[np.repeat(starts, lens) + within]
            pos += lens
    return out, row_len


def _be(values: npt.NDArray[np.generic], dtype: str) -> Part:
    arr = np.ascontiguousarray(values, dtype=dtype)
    return Part(arr.view(np.uint8), None, arr.dtype.itemsize)


def _numeric_binary(cents: I64) -> Part:
    """NUMERIC in PostgreSQL's binary format, fixed 4 base-10000 digits (weight 2, scale 2).

    The server strips the leading/trailing zero digits on receipt, so the stored value is the
    normal canonical numeric. Covers 0 .. 999,999,999,999.99 (beyond NUMERIC(12,2)).
    """
    c = np.asarray(cents, dtype=np.int64)
    if len(c) and (c.min() < 0 or c.max() >= 10**14):
        raise ValueError("money out of range for the binary numeric encoder")
    units, frac = np.divmod(c, 100)
    words = np.empty((len(c), 8), dtype=">i2")
    words[:, 0] = 4  # ndigits
    words[:, 1] = 2  # weight: first digit is 10000^2
    words[:, 2] = 0  # sign: positive
    words[:, 3] = 2  # display scale
    words[:, 4] = units // 100_000_000
    words[:, 5] = (units // 10_000) % 10_000
    words[:, 6] = units % 10_000
    words[:, 7] = frac * 100
    return Part(words.view(np.uint8).ravel(), None, 16)


_FIXED_WIDTH: dict[Kind, int] = {"int8": 8, "int4": 4, "bool": 1, "numeric": 16, "timestamptz": 8}


def _value_part(col: Column) -> Part:
    assert col.values is not None
    if col.kind == "int8":
        return _be(col.values, ">i8")
    if col.kind == "int4":
        return _be(col.values, ">i4")
    if col.kind == "bool":
        return _be(col.values, "u1")
    if col.kind == "numeric":
        return _numeric_binary(np.asarray(col.values, dtype=np.int64))
    if col.kind == "timestamptz":  # values: microseconds since the Unix epoch
        return _be(np.asarray(col.values, dtype=np.int64) - _UNIX_TO_PG_EPOCH_US, ">i8")
    raise AssertionError(col.kind)


def _nulled(part: Part, null: Bools, n: int) -> Part:
    starts, lens = part.ragged(n)
    return Part(part.pool, starts, np.where(null, 0, lens))


def encode_copy_rows(columns: Sequence[Column], n: int) -> bytes:
    """Rows in PostgreSQL's binary COPY format (no file header/trailer), in column order."""
    parts: list[Part] = [_be(np.full(n, len(columns)), ">i2")]
    for col in columns:
        if col.kind == "text":
            if col.parts:
                lens = np.zeros(n, dtype=np.int64)
                for p in col.parts:
                    lens = lens + p.lens
            else:
                lens = np.zeros(n, dtype=np.int64)
            value_parts = list(col.parts)
            if col.null is not None:
                lens = np.where(col.null, -1, lens)
                value_parts = [_nulled(p, col.null, n) for p in value_parts]
            parts.append(_be(lens, ">i4"))
            parts.extend(value_parts)
        else:
            value = _value_part(col)
            if col.null is not None:
                parts.append(_be(np.where(col.null, -1, _FIXED_WIDTH[col.kind]), ">i4"))
                parts.append(_nulled(value, col.null, n))
            else:
                parts.append(const_int32(_FIXED_WIDTH[col.kind]))
                parts.append(value)
    data, _ = assemble(parts, n)
    return data.tobytes()


def const_int32(value: int) -> Part:
    return Part(np.frombuffer(value.to_bytes(4, "big", signed=True), dtype=np.uint8), np.zeros(0, np.int64), 4)


# ---------------------------------------------------------------- Python values (SQLite path)


def strings(parts: Sequence[Part], n: int) -> list[str]:
    data, lens = assemble(parts, n)
    raw = data.tobytes()
    ends = np.cumsum(lens).tolist()
    out: list[str] = []
    start = 0
    for end in ends:
        out.append(raw[start:end].decode("utf-8"))
        start = end
    return out


def python_values(col: Column, n: int) -> list[object]:
    """The column as Python values: int, bool, Decimal, aware UTC datetime, str, None."""
    values: list[object]
    if col.kind == "text":
        values = list(strings(col.parts, n))
    else:
        assert col.values is not None
        arr = np.asarray(col.values)
        if col.kind in ("int8", "int4"):
            values = [int(v) for v in arr.tolist()]
        elif col.kind == "bool":
            values = [bool(v) for v in arr.tolist()]
        elif col.kind == "numeric":
            values = [Decimal(int(v)).scaleb(-2) for v in arr.tolist()]
        else:
            values = [_EPOCH + dt.timedelta(microseconds=int(v)) for v in arr.tolist()]
    if col.null is not None:
        values = [None if isnull else v for v, isnull in zip(values, col.null.tolist(), strict=True)]
    return values
