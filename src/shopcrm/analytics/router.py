"""HTTP for the dashboard: its figures, and a cheap change token for live refresh (ETag / 304)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from shopcrm.analytics import service
from shopcrm.analytics.schemas import Dashboard, DashboardVersion, Period
from shopcrm.auth.deps import CurrentUser
from shopcrm.core.deps import AppDatabase, AppSettings, ReadSession
from shopcrm.core.types import Day

router = APIRouter(prefix="/api/dashboard", tags=["dashboard"])


@router.get("", response_model=Dashboard, name="get")
async def get_dashboard(
    _: CurrentUser,
    db: ReadSession,
    database: AppDatabase,
    settings: AppSettings,
    period: Period = "30d",
    date_from: Annotated[Day | None, Query(alias="from", description="First day (period=custom)")] = None,
    date_to: Annotated[Day | None, Query(alias="to", description="Last day, included (period=custom)")] = None,
) -> Dashboard:
    return await service.dashboard(
        db,
        period=period,
        date_from=date_from,
        date_to=date_to,
        timezone=settings.store_timezone,
        open_read=database.read_sessionmaker,
    )


@router.get(
    "/version",
    response_model=DashboardVersion,
    name="version",
    responses={304: {"description": "Unchanged since the ETag sent in If-None-Match"}},
)
async def dashboard_version(
    _: CurrentUser,
    db: ReadSession,
    settings: AppSettings,
    response: Response,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> DashboardVersion | Response:
    token = await service.version(db, timezone=settings.store_timezone, now=dt.datetime.now(dt.UTC))
    etag = f'"{token}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return DashboardVersion(version=token)
