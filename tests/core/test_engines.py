"""The one seam that says what an engine can do."""

from __future__ import annotations

import pytest

from shopcrm.core.engines import POSTGRESQL, SQLITE, UnsupportedEngine, capabilities_of
from shopcrm.db import Database


async def test_capabilities_follow_the_engine_behind_any_handle(database: Database, engine_name: str):
    expected = POSTGRESQL if engine_name == "postgresql" else SQLITE
    async with database.sessionmaker() as session:
        assert capabilities_of(session) is expected
        assert capabilities_of(await session.connection()) is expected
    assert capabilities_of(database.engine) is expected
    assert capabilities_of(database.engine.dialect) is expected
    assert capabilities_of(database.settings.database_url) is expected


def test_an_engine_we_do_not_run_on_is_named():
    with pytest.raises(UnsupportedEngine, match="not mysql"):
        capabilities_of("mysql+aiomysql://u@h/db")
