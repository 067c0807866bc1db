"""Sets of customer ids as Roaring bitmaps (pyroaring): a day's customers stored compactly (about 2 bytes a
customer), and distinct customers over many days counted exactly by a union in memory."""

from __future__ import annotations

from collections.abc import Iterable

from pyroaring import BitMap64


def pack(ids: Iterable[int]) -> tuple[int, bytes]:
    """(how many, the serialised set) of some customer ids."""
    found = BitMap64(ids)
    return len(found), found.serialize()


def count_union(packed: Iterable[bytes], ids: Iterable[int] = ()) -> int:
    """How many distinct customers are in the packed sets and `ids` together."""
    sets = [BitMap64.deserialize(p) for p in packed]
    extra = BitMap64(ids)
    if extra:
        sets.append(extra)
    return len(BitMap64.union(*sets)) if sets else 0
