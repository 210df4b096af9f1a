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


@pytest.fixture
def app(app_env):
    """The app under AppTest, first run done, on the fixture database."""
    from streamlit.testing.v1 import AppTest

    from plantrack.settings import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at, path: str, **query):
    """Switch to a page (optionally with URL parameters) and run it."""
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def chart_text(at, index: int) -> str:
    """A plotly chart's figure JSON as readable text (the spec escapes non-ASCII)."""
    import json

    return json.dumps(json.loads(at.get("plotly_chart")[index].proto.spec), ensure_ascii=False)
