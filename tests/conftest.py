"""Shared fixtures: a small deterministic demo database, built once per test session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from plantrack.app.v1pages import disable_v1_pages_folder
from plantrack.ingest import demo
from plantrack.model import targets

FIXTURE_SEED = 7
FIXTURE_ENTERPRISES = 160


@pytest.fixture(scope="session", autouse=True)
def _pages_as_declared():
    """AppTest runs app.py as the server does (see plantrack/app/v1pages.py)."""
    disable_v1_pages_folder()


@pytest.fixture(scope="session")
def config() -> targets.Config:
    return targets.load_config()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, config) -> Path:
    path = tmp_path_factory.mktemp("db") / "fixture.duckdb"
    demo.build(path, config, seed=FIXTURE_SEED, enterprises=FIXTURE_ENTERPRISES)
    return path


@pytest.fixture(scope="session")
def demo_config(config, demo_db) -> targets.Config:
    """What the app shows on the fixture database: targets.toml's plans and the published example plan
    (its version in force now)."""
    from plantrack.store import plans

    with duckdb.connect(str(demo_db), read_only=True) as connection:
        return plans.config_as_of(connection, config)


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


@pytest.fixture
def app(app_env):
    """The app under AppTest, first run done, on the fixture database."""
    from streamlit.testing.v1 import AppTest

    from plantrack.settings import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at
