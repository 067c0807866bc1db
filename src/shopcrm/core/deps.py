"""Request-scoped database sessions. The write session is the one owner of the transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shopcrm.config import Settings
from shopcrm.core.pagination import CursorCodec
from shopcrm.db import Database

# Dependencies are `async def` even when they only read app state: FastAPI runs a plain `def` dependency
# in a worker thread, a hop that cost more than the read itself on every request.


def _database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    return _database(request)


async def get_app_settings(request: Request) -> Settings:
    return _settings(request)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Commit when the route returns, before the response is sent; roll back on any error.

    Used with scope="function" so the commit happens before FastAPI sends the response: a commit
    that fails becomes an error response instead of a 200 for work that was lost.
    """
    async with _database(request).sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session on the read engine for heavy reads; never commits."""
    async with _database(request).read_sessionmaker() as session:
        try:
            yield session
        finally:
            await session.rollback()


async def get_cursor_codec(request: Request) -> CursorCodec:
    """Signs and checks list cursors with the server's key (services take the codec, never the request)."""
    return CursorCodec(_settings(request).signing_key)


DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSession = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
Cursors = Annotated[CursorCodec, Depends(get_cursor_codec)]
AppDatabase = Annotated[Database, Depends(get_database)]
