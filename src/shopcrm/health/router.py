"""Liveness and database reachability, for load balancers and the browser tests' start-up wait."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel
from sqlalchemy import text

from shopcrm.core.deps import get_database
from shopcrm.db import Database

router = APIRouter(prefix="/api/health", tags=["health"])

PING_TIMEOUT_S = 2.0


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unavailable"]


@router.get(
    "",
    response_model=HealthOut,
    name="get",
    responses={503: {"model": HealthOut, "description": "The database is unreachable"}},
)
async def health(response: Response, database: Annotated[Database, Depends(get_database)]) -> HealthOut:
    try:
        async with asyncio.timeout(PING_TIMEOUT_S), database.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "unavailable" here
        response.status_code = 503
        return HealthOut(status="degraded", database="unavailable")
    return HealthOut(status="ok", database="ok")
