"""Request-scoped database sessions. The write session is the one owner of the transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.core.pagination import CursorCodec
from shopcrm.db import Database


def get_database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Commit when the route returns, before the response is sent; roll back on any error.

    Used with scope="function" so the commit happens before FastAPI sends the response: a commit
    that fails becomes an error response instead of a 200 for work that was lost.
    """
    async with get_database(request).sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session on the read engine for heavy reads; never commits."""
    async with get_database(request).read_sessionmaker() as session:
        try:
            yield session
        finally:
            await session.rollback()


def get_cursor_codec(request: Request) -> CursorCodec:
    """Signs and checks list cursors with the server's key (services take the codec, never the request)."""
    return CursorCodec(get_app_settings(request).signing_key)


DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSession = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
Cursors = Annotated[CursorCodec, Depends(get_cursor_codec)]
