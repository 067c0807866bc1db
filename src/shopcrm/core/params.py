"""Parameter types shared by routers."""

import types
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Path, Request
from fastapi.dependencies.models import Dependant
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


def _single_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters of a route (its own and its dependencies', a pydantic query model's fields
    included) that take one value."""
    names: set[str] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        pending.extend(current.dependencies)
        for field in current.query_params:
            annotation = field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                fields = annotation.model_fields.items()
                names.update((info.alias or name) for name, info in fields if not _takes_many(info.annotation))
            elif not _takes_many(annotation):
                names.add(field.alias)
    return frozenset(names)


_SINGLE_BY_ROUTE: dict[int, frozenset[str]] = {}


def refuse_repeated_query(request: Request) -> None:
    """A one-value query parameter given more than once (`?q=a&q=b`) is a 422 naming it, where the framework
    would quietly keep the last value. One rule for every route, read from the route's own parameter types."""
    if not request.scope.get("query_string"):
        return
    dependant = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    key = id(dependant)
    single = _SINGLE_BY_ROUTE.get(key)
    if single is None:
        single = _SINGLE_BY_ROUTE[key] = _single_names(dependant)
    params = request.query_params
    if len(params.multi_items()) == len(params):  # more items than names only when a name repeats
        return
    repeated = sorted(name for name in single if len(params.getlist(name)) > 1)
    if repeated:
        raise RequestValidationError(
            [{"loc": ("query", name), "msg": "is given more than once", "type": "value_error"} for name in repeated]
        )
