"""Settings and database smoke tests.

Run against a throwaway Postgres, e.g.
    TEST_DATABASE_URL=postgresql+asyncpg://netra:netra@localhost:5432/netra_test pytest
"""
import os

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.config.environment import EnvironmentWrapper

TEST_DATABASE_URL = os.environ["TEST_DATABASE_URL"]


def test_override_wins_over_process_env(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "info")
    env = EnvironmentWrapper()
    env.set("LOG_LEVEL", "debug")
    assert env.get("LOG_LEVEL") == "debug"
    env.clear_overrides()
    assert env.get("LOG_LEVEL") == "info"


def test_missing_setting_uses_default():
    assert EnvironmentWrapper().get("NETRA_DOES_NOT_EXIST", "fallback") == "fallback"


@pytest.mark.asyncio
async def test_database_reachable():
    engine = create_async_engine(TEST_DATABASE_URL)
    async with engine.connect() as conn:
        assert (await conn.execute(text("select 1"))).scalar() == 1
    await engine.dispose()
