"""Alembic environment: async engines, batch mode on SQLite, the models' metadata as the target."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

import shopcrm.models  # noqa: F401 - registers every table on the metadata
from shopcrm.core.engines import capabilities_of
from shopcrm.db import Base

target_metadata = Base.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        from shopcrm.config import get_settings

        url = get_settings().database_url
    return url


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Indexes of one engine only (info["postgresql_only"], info["sqlite_only"]) are not expected on others."""
    info = getattr(obj, "info", {}) or {}
    if type_ == "index" and info.get("postgresql_only"):
        return bool(context.get_context().dialect.name == "postgresql")
    if type_ == "index" and info.get("sqlite_only"):
        return bool(context.get_context().dialect.name == "sqlite")
    return True


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    engine = capabilities_of(connection.dialect if connection is not None else url or "")
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=engine.alters_by_rebuild,
        compare_type=True,
        compare_server_default=False,
        include_object=include_object,
    )


def run_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    url = _url()
    from shopcrm.db import _ensure_sqlite_dir

    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
