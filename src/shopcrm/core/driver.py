"""The hot statements straight on PostgreSQL's driver, skipping SQLAlchemy's per-execution work.

Measured under the ingestion load on this 2-core machine, one statement executed through SQLAlchemy (Core
or ORM) cost about 0.4-0.5 ms of server CPU, the same statement on asyncpg about 0.1 ms. The few statements
behind every scripted request (the API-token check, order ingestion) therefore run on the asyncpg
connection underneath the request's SQLAlchemy connection. On SQLite they run through SQLAlchemy as usual.

A statement run on the driver before SQLAlchemy has begun the transaction runs on its own (autocommit),
so only reads and single self-contained statements belong here; SQLAlchemy's commit or rollback at the
end of the request still covers whatever the request did through SQLAlchemy.

Statements have names (`DriverQuery(..., name=...)`, `named_sql`), so a log line can say which statement
failed without quoting it or its values; any other statement is named by a hash of its SQL text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler

from shopcrm.core.engines import capabilities_of

_NAMES: dict[str, str] = {}


def named_sql(name: str, sql: str) -> str:
    """Register `sql` under `name` (for logs) and return it unchanged."""
    _NAMES[sql] = name
    return sql


def named_statements() -> dict[str, str]:
    """Every statement registered under a name so far (name -> SQL): the hot ones, prepared at start-up."""
    return {name: sql for sql, name in _NAMES.items()}


def statement_name(sql: str | None) -> str:
    """The registered name of a statement, or `sql#` and a hash of its text: never the text or values."""
    if not sql:
        return "<none>"
    return _NAMES.get(sql) or "sql#" + hashlib.sha256(sql.encode()).hexdigest()[:12]


async def postgres_driver(conn: AsyncConnection) -> Any | None:
    """The asyncpg connection under `conn`, or None on an engine without the driver fast path."""
    if not capabilities_of(conn).driver_fast_path:
        return None
    return (await conn.get_raw_connection()).driver_connection


@asynccontextmanager
async def sqlalchemy_errors(conn: AsyncConnection, driver: Any, sql: str) -> AsyncIterator[None]:
    """Driver errors as SQLAlchemy would raise them, so the API's error handlers answer them the same way
    (a lost connection or a timeout is a 503), and a connection that died is invalidated instead of going
    back to the pool. The driver's message quotes bound values, so it stays on `orig` (for the error
    handlers to classify) and is never logged: core/errors.py logs classes and the statement's name."""
    try:
        yield
    except BaseException as exc:
        if isinstance(exc, TimeoutError) or not isinstance(exc, Exception):
            # No answer within the connection's command timeout (db.make_engine), or cancelled while
            # waiting: the connection is in an unknown state, maybe on a silent network. Closed at once (a
            # graceful close would wait for the cancel request asyncpg sends) and invalidated below, as
            # db._close_unanswered does for statements run through SQLAlchemy.
            driver.terminate()
        lost = driver.is_closed() or isinstance(exc, (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError))
        if lost and not conn.invalidated:
            await conn.invalidate(exc)
        if not isinstance(exc, Exception):
            raise
        error = IntegrityError if isinstance(exc, asyncpg.IntegrityConstraintViolationError) else DBAPIError
        raise error(sql, None, exc, hide_parameters=True, connection_invalidated=lost) from exc


class DriverSQL:
    """Hand-written SQL for the driver, its parameters written by name (`:customer_id`) and bound by name,
    turned once into asyncpg's `$1, $2, ...`. For statements SQLAlchemy cannot express (order ingestion's
    one-statement CTE); anything it can express is a `DriverQuery`."""

    # `:name` not preceded by a colon or a word character, so `::varchar` casts are left alone.
    _PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")

    def __init__(self, name: str, sql: str) -> None:
        names: list[str] = []

        def position(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        self.name = name
        self.sql = named_sql(name, self._PARAM.sub(position, sql))
        self.names = tuple(names)

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        """The values in position order; a missing or unexpected name is a programming error."""
        if params.keys() != set(self.names):
            missing, extra = set(self.names) - params.keys(), params.keys() - set(self.names)
            raise TypeError(f"{self.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
        return [params[name] for name in self.names]


class DriverQuery:
    """A SQLAlchemy Core statement compiled once for asyncpg. Result values are the driver's own: the
    columns it is used with must not need SQLAlchemy's result processing on PostgreSQL (timestamptz
    already comes back as aware UTC datetimes, numerics as Decimal)."""

    _dialect = asyncpg_dialect()  # type: ignore[no-untyped-call]

    def __init__(self, stmt: Executable, *, name: str | None = None) -> None:
        self.stmt = stmt
        compiled = stmt.compile(dialect=self._dialect)  # type: ignore[attr-defined]
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        self.name = name or statement_name(self.sql)
        named_sql(self.name, self.sql)
        self.names = tuple(compiled.positiontup or ())
        self.defaults = dict(compiled.params)

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        return [params[name] if name in params else self.defaults[name] for name in self.names]

    async def all(self, conn: AsyncConnection, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        driver = await postgres_driver(conn)
        if driver is None:
            return [dict(row) for row in (await conn.execute(self.stmt, dict(params))).mappings()]
        async with sqlalchemy_errors(conn, driver, self.sql):
            records = await driver.fetch(self.sql, *self.args(params))
        return [dict(record) for record in records]

    async def first(self, conn: AsyncConnection, params: Mapping[str, Any]) -> dict[str, Any] | None:
        driver = await postgres_driver(conn)
        if driver is None:
            row = (await conn.execute(self.stmt, dict(params))).mappings().first()
            return dict(row) if row is not None else None
        async with sqlalchemy_errors(conn, driver, self.sql):
            record = await driver.fetchrow(self.sql, *self.args(params))
        return dict(record) if record is not None else None
