"""Shared fixtures: a small deterministic demo database, built once per test session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from plantrack import demo, targets
from plantrack.serve import disable_v1_pages_folder

FIXTURE_SEED = 7
FIXTURE_ENTERPRISES = 160


@pytest.fixture(scope="session", autouse=True)
def _pages_as_declared():
    """AppTest runs app.py as the server does (see plantrack/serve.py)."""
    disable_v1_pages_folder()


@pytest.fixture(scope="session")
def config() -> targets.Config:
    return targets.load_config()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, config) -> Path:
    path = tmp_path_factory.mktemp("db") / "fixture.duckdb"
    demo.build(path, config, seed=FIXTURE_SEED, enterprises=FIXTURE_ENTERPRISES)
    return path


@pytest.fixture
def con(demo_db):
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def app_env(demo_db, monkeypatch):
    """Point the app at the fixture database."""
    monkeypatch.setenv("PLANTRACK_DB", str(demo_db))
    return demo_db
