"""Parameter types shared by routers."""

from typing import Annotated

from fastapi import Path

# Ids are BIGINT in the database, but JSON clients (JavaScript) read numbers as doubles, exact only up
# to 2^53 - 1; no id above that is ever handed out, so anything larger is a 422, not a database error.
MAX_ID = 2**53 - 1

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
