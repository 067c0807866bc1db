"""Parameter types shared by routers."""

from typing import Annotated

from fastapi import Path

from shopcrm.core.types import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
