"""What customer routes (and the pages composed from customers) take from the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shopcrm.customers.queries import QuintileCache


def get_quintiles(request: Request) -> QuintileCache:
    cache: QuintileCache = request.app.state.rfm_quintiles
    return cache


Quintiles = Annotated[QuintileCache, Depends(get_quintiles)]
