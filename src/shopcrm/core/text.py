"""Text the databases can store: no NUL character (PostgreSQL refuses it in text) and no lone UTF-16
surrogate (no UTF-8 encoder takes one). Checked at the edge for every request and again on cursor values."""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    """True when `text` holds neither a NUL nor a lone surrogate (a surrogate *pair* in JSON, such as
    "\\ud83d\\ude00", decodes to one character and is fine)."""
    return _UNSTORABLE.search(text) is None
