"""Shared fixtures: a small deterministic demo database, built once per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from plantrack.app.v1pages import disable_v1_pages_folder
from plantrack.ingest import demo
from plantrack.model import targets

# Modules whose tests take seconds each — a page run under AppTest, a whole import or rebuild, argon2
# hashing, the command line in a new process — marked `slow` here, in one place. `make test-fast` (the
# edit–test loop, under a minute) runs what is neither slow, browser nor bench; `make test` runs all.
# Mark a single slow test in a fast module with @pytest.mark.slow.
SLOW_MODULES = {
    "test_accounts",
    "test_app_access",
    "test_app_enterprise",
    "test_app_evaluation",
    "test_app_hostile",
    "test_app_leadership",
    "test_app_overview",
    "test_app_pages",
    "test_app_plans",
    "test_app_real_data",
    "test_app_shared",
    "test_app_town_view",
    "test_app_towns",
    "test_app_upload",
    "test_app_versions",
    "test_app_warnings",
    "test_app_word_report",
    "test_backtest",
    "test_chart_export",
    "test_deck_paste",
    "test_demo",
    "test_demo_monthly",
    "test_import_clerk_files",
    "test_import_columnar",
    "test_import_concurrency",
    "test_import_corpus",
    "test_import_faults",
    "test_import_loop",
    "test_monthly_import",
    "test_plan_corpus",
    "test_plan_publish",
    "test_properties",
    "test_warnings_backtest",
    "test_word_report",
}


BENCH_MODULES = {"test_bench"}

# The modules that serve the app and drive it in Chromium (tests/browser.py); each is also marked `browser`.
BROWSER_MODULES = {
    "test_browser",
    "test_browser_leadership",
    "test_browser_plans",
    "test_browser_roles",
    "test_browser_upload",
    "test_browser_warnings",
    "test_browser_word_report",
    "test_two_servers",
}


@pytest.hookimpl(tryfirst=True)  # the marks are read by pytest's -m, which comes after
def pytest_collection_modifyitems(items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if module in BENCH_MODULES:
            item.add_marker(pytest.mark.bench)
        serves = {"served_app", "browser_page"} & vars(item.module).keys()
        if serves and module not in BROWSER_MODULES:
            raise pytest.UsageError(f"{module} uses {serves}: add it to BROWSER_MODULES")
    # the longest work first (the browser modules, then modules with slow tests), so that `make test`'s
    # two workers end together; a module's tests stay together and in their order
    order: dict[str, int] = {}
    for item in items:
        name = item.module.__name__
        order[name] = min(order.get(name, 2), _run_order(item))
    items.sort(key=lambda item: order[item.module.__name__])


def _run_order(item) -> int:
    if item.module.__name__.rsplit(".", 1)[-1] in BROWSER_MODULES:
        return 0
    return 1 if any(item.get_closest_marker(mark) for mark in ("slow", "browser", "bench")) else 2


def pytest_xdist_make_scheduler(config, log):
    """`make test` runs two workers (pytest-xdist, `-n 2 --dist loadfile`): a module's tests run on one
    worker (its module fixtures are built once), and the browser modules count as one module: they run
    one after another on one worker, share one demo server (demo_url) and never put two browsers and
    their servers on two cores at once."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserModulesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return "browser" if Path(path).stem in BROWSER_MODULES else path

    return BrowserModulesTogether(config, log)


FIXTURE_SEED = 7
FIXTURE_ENTERPRISES = 160


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    """The served app hashes passwords at argon2id's recommended cost (accounts.HASH_PROFILE, ~0.13 s a
    hash; the browser tests' servers run it, test_accounts checks the profile). Tests in this process
    hash and check hundreds of passwords: here argon2id runs at its least cost, the same code path."""
    from argon2 import PasswordHasher

    from plantrack.store import accounts

    served = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    accounts._hasher = served


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


@pytest.fixture(scope="session")
def demo_url(demo_db):
    """The app served on the fixture database, one server for every browser test that only reads it."""
    from tests.browser import served_app

    with served_app(demo_db) as url:
        yield url


@pytest.fixture(scope="module", autouse=True)
def _one_browser_per_module():
    """Browser tests share one Chromium per module (tests/browser.py), closed here at the module's end."""
    yield
    browser = sys.modules.get("tests.browser")
    if browser is not None:
        browser.close_shared_browser()


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
