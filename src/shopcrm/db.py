"""Engines, session factories, the declarative Base and the column types every domain shares."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Numeric, event, func
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_only

from shopcrm.config import Settings
from shopcrm.core.engines import capabilities_of

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both engines (SQLite would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times as timezone-aware UTC")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if capabilities_of(dialect).naive_timestamps else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def Money() -> Numeric[Decimal]:  # noqa: N802 - reads as a type in model declarations
    return Numeric(12, 2, asdecimal=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.current_timestamp(), nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.current_timestamp(), nullable=False
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, settings: Settings, *, read_only: bool = False, null_pool: bool = False) -> AsyncEngine:
    """An engine with the safety limits the API relies on: connect timeout, statement timeout, pre-ping."""
    # hide_parameters: SQL errors would otherwise quote customer data into logs and tracebacks.
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    if null_pool:
        kwargs["poolclass"] = NullPool
    if capabilities_of(url).embedded:
        _ensure_sqlite_dir(url)
        kwargs["connect_args"] = {"timeout": 5}
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    server_settings = {"statement_timeout": str(settings.statement_timeout_ms), "application_name": "shopcrm"}
    if read_only:
        server_settings["default_transaction_read_only"] = "on"
        # asyncpg prepares every statement; after five runs PostgreSQL may switch to a generic plan, which
        # cannot use an index for `LIKE $1` prefix search and then scans a million rows (measured: a 3 ms
        # search became 490 ms). Reads are planned for their values every time; writes keep cached
        # plans (forcing custom plans there cost 1.7 ms per ingested order).
        server_settings["plan_cache_mode"] = "force_custom_plan"
        # No JIT compilation: reads costed above jit_above_cost (a segment preview over a million customers)
        # spent 0.34 s compiling expressions to run a 1 s statement, and gained nothing back (measured).
        server_settings["jit"] = "off"
        # No BEGIN and ROLLBACK around a request's reads: two round trips of the four to six a details
        # page took. Nothing is lost: at READ COMMITTED each statement took its own snapshot anyway, and
        # default_transaction_read_only makes each statement's implicit transaction read-only too.
        kwargs["isolation_level"] = "AUTOCOMMIT"
    else:
        # The write engine runs key lookups and the one-statement order ingestion. PostgreSQL never chose a
        # generic plan for the ingestion statement (its arrays make the generic estimate look dearer), so
        # it planned the nine-part statement on every order: 0.6 ms of a 2 ms statement, measured. Generic
        # plans are right for key lookups; anything search- or range-shaped belongs on the read engine.
        server_settings["plan_cache_mode"] = "force_generic_plan"
    kwargs["connect_args"] = {
        "timeout": settings.db_connect_timeout_s,
        "server_settings": server_settings,
        # Every statement asyncpg runs, through SQLAlchemy or straight on the driver (core/driver.py), gives
        # up after this; _close_unanswered then closes the connection and the request answers 503.
        "command_timeout": settings.command_timeout_s,
    }
    if not null_pool:
        kwargs.update(pool_size=settings.db_pool_size, max_overflow=5, pool_timeout=settings.db_pool_timeout_s)
    # The driver's own pre-ping opens and rolls back a transaction around its ping: three round trips per
    # checkout. One plain SELECT on checkout does the same job (a dead connection is replaced).
    kwargs["pool_pre_ping"] = False
    engine = create_async_engine(url, **kwargs)
    event.listen(engine.sync_engine.pool, "checkout", _checkout_ping(settings.db_ping_timeout_s))
    event.listen(engine.sync_engine.pool, "checkin", _note_checkin)
    event.listen(engine.sync_engine, "handle_error", _close_unanswered)
    if settings.db_keepalive_idle_s > 0:
        event.listen(engine.sync_engine.pool, "connect", _tcp_keepalive(settings))
    return engine


# A connection that came back to the pool this recently worked a moment ago: it is handed out without a
# ping, as HikariCP does with its 500 ms "alive bypass window". Under load almost every checkout is such a
# connection, so this saves a round trip per request; a connection that died within the window fails its
# first statement, is invalidated and the request answered 503 (core/errors.py, core/driver.py, and the
# outage test, which cuts the database both within and after the window).
PING_BYPASS_S = 0.5


def _note_checkin(dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["checked_in_at"] = time.monotonic()


def _checkout_ping(timeout_s: float) -> Callable[[Any, Any, Any], None]:
    """The checkout listener: a connection idle longer than PING_BYPASS_S must answer SELECT 1 within
    `timeout_s` (db_ping_timeout_s), or the pool closes it and connects afresh."""

    def ping_on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is not None and time.monotonic() - checked_in_at < PING_BYPASS_S:
            return
        driver = record.driver_connection
        try:
            await_only(driver.fetchval("SELECT 1", timeout=timeout_s))
        except BaseException as exc:  # any failure means this pooled connection is unusable
            # Closed here, at once: after a timeout asyncpg sends a cancel request and a graceful close
            # would wait for it, on a network that may not answer.
            driver.terminate()
            if isinstance(exc, Exception):
                raise DisconnectionError("pooled connection failed its ping") from exc
            raise

    return ping_on_checkout


def _close_unanswered(context: ExceptionContext) -> BaseException | None:
    """A statement that got no answer within the command timeout (or whose request was cancelled while it
    waited) leaves the connection in an unknown state, maybe on a silent network: close it now, discard it
    instead of returning it to the pool, and raise a SQLAlchemy error marked `connection_invalidated`,
    which core/errors.py answers with 503 database_unavailable.

    Only this connection goes: the others are pinged at checkout when idle, and closing a whole pool's
    worth of connections over a silent network would make each close wait."""
    error = context.original_exception
    unanswered = isinstance(error, TimeoutError | asyncio.CancelledError)
    if not unanswered or context.connection is None or context.connection.invalidated:
        return None
    context.connection.connection.driver_connection.terminate()  # type: ignore[union-attr]
    context.is_disconnect = True
    context.invalidate_pool_on_disconnect = False
    if not isinstance(error, TimeoutError):
        return None  # a cancellation stays a cancellation
    return OperationalError(
        context.statement, context.parameters, error, hide_parameters=True, connection_invalidated=True
    )


def _tcp_keepalive(settings: Settings) -> Callable[[Any, Any], None]:
    """TCP keepalives on each new connection's socket, so the operating system finds a peer that vanished
    while the connection sat idle or waited (asyncpg has no option for them: issue MagicStack/asyncpg#606)."""
    options = [
        ("TCP_KEEPIDLE", settings.db_keepalive_idle_s),
        ("TCP_KEEPINTVL", settings.db_keepalive_interval_s),
        ("TCP_KEEPCNT", settings.db_keepalive_count),
    ]

    def set_keepalive(dbapi_connection: Any, _record: Any) -> None:
        transport = getattr(dbapi_connection.driver_connection, "_transport", None)
        sock = transport.get_extra_info("socket") if transport is not None else None
        if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
            return  # a Unix socket has no network to watch
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        for name, value in options:
            if hasattr(socket, name):  # Linux has all three; others may lack some
                sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)

    return set_keepalive


def _ensure_sqlite_dir(url: str) -> None:
    from pathlib import Path

    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


class Database:
    """The write engine on DATABASE_URL and the read engine on DATABASE_READ_URL (the primary by default).

    Only routes' heavy reads (lists, details) use the read engine; everything that writes, and the
    login checks, use the write engine.
    """

    def __init__(self, settings: Settings, *, null_pool: bool = False) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url, settings, null_pool=null_pool)
        if capabilities_of(settings.database_url).embedded and settings.read_url == settings.database_url:
            self.read_engine = self.engine
        else:
            # Its own pool even on the primary: read-only transactions, planned for their values.
            self.read_engine = make_engine(settings.read_url, settings, read_only=True, null_pool=null_pool)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work outside a request (the CLI, the worker): the session commits when the block
        ends, before the caller reports anything done, and rolls back if it raises. Services in it never
        commit, exactly as in a request (core/deps.py)."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    @asynccontextmanager
    async def bulk_connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection to the primary without the client-side command timeout, for a bulk job that lifts
        statement_timeout itself and runs for minutes (the large demo-data load)."""
        unbounded = self.settings.model_copy(update={"db_command_timeout_s": 0})
        engine = make_engine(self.settings.database_url, unbounded, null_pool=True)
        try:
            async with engine.connect() as conn:
                yield conn
        finally:
            await engine.dispose()

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
