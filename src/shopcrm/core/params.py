"""Parameter types shared by routers."""

from typing import Annotated

from fastapi import Path

MAX_ID = 2**63 - 1

# Ids are BIGINT: anything outside 1..2^63-1 cannot exist, so it is a 422 rather than a database error.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
