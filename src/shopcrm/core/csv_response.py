"""A CSV download streamed from a server-side cursor: the HTTP half of every list export."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from shopcrm.core.engines import capabilities_of
from shopcrm.db import Database

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
# For a route's `responses=`: what the OpenAPI document says a CSV download is.
CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "Every matching row, one a line (docs/csv-formats.md)"}
}

Producer = Callable[[AsyncConnection], AsyncIterator[str]]


def streamed_csv(database: Database, filename: str, produce: Producer) -> StreamingResponse:
    """`produce(conn)`'s chunks as a download. Filters must be checked before this is called: once the
    first byte is sent, an error can only cut the file short, not become a 422."""

    isolation = capabilities_of(database.read_engine).streaming_isolation

    async def body() -> AsyncIterator[str]:
        # Its own connection on the read engine (the request's session ends before the body is streamed),
        # in one transaction: the server-side cursor lives in it, and the file is one snapshot.
        async with database.read_engine.connect() as conn:
            conn = await conn.execution_options(isolation_level=isolation)
            async with conn.begin():
                async for chunk in produce(conn):
                    yield chunk

    return StreamingResponse(
        body(), media_type=CSV_MEDIA_TYPE, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
