"""Parameter types shared by routers."""

import types
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from shopcrm.core.types import MAX_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


def _takes_many(annotation: Any) -> bool:
    if get_origin(annotation) in (list, tuple, set):
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_takes_many(arg) for arg in get_args(annotation))
    return False


def single_valued(model: type[BaseModel]) -> Callable[[Request], Awaitable[None]]:
    """A dependency refusing a one-value query parameter of `model` given more than once (`?q=a&q=b`): a
    422 naming it, where the framework would quietly keep the last one."""
    single = [name for name, field in model.model_fields.items() if not _takes_many(field.annotation)]

    async def check(request: Request) -> None:
        repeated = [name for name in single if len(request.query_params.getlist(name)) > 1]
        if repeated:
            raise RequestValidationError(
                [{"loc": ("query", name), "msg": "is given more than once", "type": "value_error"} for name in repeated]
            )

    return check
