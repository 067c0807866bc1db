"""CSV files on disk, read in bounded memory: checked once when stored (UTF-8 text, no NUL, every line and
field within its limit, the record count), sniffed (byte order mark, `,` or `;`, the header and the first
rows), and streamed record by record with the byte offset after each, so an import resumes mid-file.

Records come from the standard `csv` module fed one physical line at a time (read with a length limit), so
neither a huge line nor a huge field is ever held whole; `csv.reader` reads no further than the record it
returns, which is what makes the offsets exact."""

from __future__ import annotations

import codecs
import csv
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from shopcrm.core.errors import InvalidInput

MAX_LINE_BYTES = 1 << 20  # one physical line, the header included
MAX_FIELD_CHARS = 1 << 16
MAX_COLUMNS = 500
MAX_HEADER_CHARS = 200
PREVIEW_ROWS = 20
COPY_BLOCK = 1 << 20
BOM = codecs.BOM_UTF8

csv.field_size_limit(MAX_FIELD_CHARS)


class BadFile(InvalidInput):
    """The file as a whole cannot be imported: a 422 naming the upload's `file` field."""

    def __init__(self, message: str) -> None:
        super().__init__(f"file: {message}", loc=["body", "file"])


class FileTooLarge(InvalidInput):
    status_code = 413
    code = "payload_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"file: larger than the {limit:,} bytes an import takes", loc=["body", "file"])


def store(source: BinaryIO, dest: Path, *, max_bytes: int) -> int:
    """Copy an upload to `dest`, checking on the way that it is UTF-8 text without NUL characters; the size."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    size = 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with dest.open("wb") as out:
            while block := source.read(COPY_BLOCK):
                size += len(block)
                if size > max_bytes:
                    raise FileTooLarge(max_bytes)
                if b"\x00" in block:
                    raise BadFile("holds NUL bytes: not a CSV text file")
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    raise BadFile(
                        f"is not UTF-8 text (near byte {size - len(block):,}); save it as CSV UTF-8"
                    ) from None
                out.write(block)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise BadFile("is not UTF-8 text (it ends inside a character)") from None
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    if size == 0:
        dest.unlink(missing_ok=True)
        raise BadFile("is empty")
    return size


def copy_out(source: BinaryIO, dest: Path) -> None:
    with dest.open("wb") as out:
        shutil.copyfileobj(source, out, COPY_BLOCK)


@dataclass(frozen=True)
class Sniffed:
    encoding: str
    delimiter: str
    headers: list[str]
    data_offset: int
    rows_total: int


def _delimiter(first_line: str) -> str:
    """`;` when the header has more of them than commas (outside quotes), else `,`."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _lines(raw: BinaryIO, position: list[int]) -> Iterator[str]:
    """Physical lines as text, each at most MAX_LINE_BYTES; `position[0]` follows the bytes read."""
    while True:
        line = raw.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES:
            raise BadFile(f"a line is longer than {MAX_LINE_BYTES:,} bytes")
        position[0] += len(line)
        yield line.decode("utf-8")


def records(path: Path, *, delimiter: str, start: int, first_row: int) -> Iterator[tuple[int, list[str], int]]:
    """(row number as a spreadsheet shows it, the record, the byte offset after it) from `start` on. Blank
    lines keep their number but are not yielded."""
    with path.open("rb") as raw:
        raw.seek(start)
        position = [start]
        reader = csv.reader(_lines(raw, position), delimiter=delimiter)
        row = first_row
        try:
            for record in reader:
                if record and any(record):
                    yield row, record, position[0]
                row += 1
        except csv.Error as exc:
            raise BadFile(f"row {row}: {exc}") from None


def _headers(record: list[str]) -> list[str]:
    if len(record) > MAX_COLUMNS:
        raise BadFile(f"has {len(record)} columns; at most {MAX_COLUMNS}")
    headers = []
    for index, cell in enumerate(record):
        name = cell.strip() or f"Column {index + 1}"
        if len(name) > MAX_HEADER_CHARS:
            raise BadFile(f"column {index + 1}'s header is longer than {MAX_HEADER_CHARS} characters")
        headers.append(name)
    seen: set[str] = set()
    for name in headers:
        if name in seen:
            raise BadFile(f"two columns are called {name!r}; column headers must differ")
        seen.add(name)
    return headers


def sniff(path: Path) -> Sniffed:
    """The file's encoding, delimiter, header and where its rows start; counts its records (which also checks
    every line and field against the limits, so a file that would fail mid-import is refused now)."""
    with path.open("rb") as raw:
        first = raw.readline(MAX_LINE_BYTES + 1)
    if len(first) > MAX_LINE_BYTES:
        raise BadFile(f"the header line is longer than {MAX_LINE_BYTES:,} bytes")
    has_bom = first.startswith(BOM)
    start = len(BOM) if has_bom else 0
    delimiter = _delimiter(first[start:].decode("utf-8"))
    rows = records(path, delimiter=delimiter, start=start, first_row=1)
    try:
        _, header, data_offset = next(rows)
    except StopIteration:
        raise BadFile("has no header row") from None
    headers = _headers(header)
    total = sum(1 for _ in rows)
    return Sniffed("utf-8-sig" if has_bom else "utf-8", delimiter, headers, data_offset, total)


def preview(path: Path, *, delimiter: str, data_offset: int, width: int) -> list[list[str]]:
    """The first rows, each as many cells as there are headers (short rows padded, long ones cut)."""
    rows: list[list[str]] = []
    for _, record, _ in records(path, delimiter=delimiter, start=data_offset, first_row=2):
        rows.append((record + [""] * width)[:width])
        if len(rows) == PREVIEW_ROWS:
            break
    return rows
