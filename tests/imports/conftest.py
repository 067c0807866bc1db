"""Imports' fixtures: settings with a folder of its own for the uploaded files and small chunks (so a test
file of a few dozen rows runs in several chunks), and a writer's and a viewer's credentials."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopcrm.auth.models import Role
from shopcrm.config import Settings
from tests.conftest import make_settings

CHUNK_ROWS = 4


@pytest.fixture
def settings(engine_name: str, migrated_urls: dict[str, str], tmp_path: Path) -> Settings:
    return make_settings(migrated_urls[engine_name], import_dir=tmp_path / "imports", import_chunk_rows=CHUNK_ROWS)


@pytest.fixture
async def writer(make_user) -> dict[str, str]:
    user = await make_user(Role.marketer)
    return {"Authorization": f"Bearer {user.token}"}


@pytest.fixture
async def viewer(make_user) -> dict[str, str]:
    user = await make_user(Role.viewer)
    return {"Authorization": f"Bearer {user.token}"}
