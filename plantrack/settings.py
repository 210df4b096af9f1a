"""Where things live. Read in functions, never at import, so tests and the CLI can override them."""

import functools
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
TARGETS_FILE = ROOT / "targets.toml"
# The demo generator's version, stored in each demo database: bump it whenever the generator's output
# changes, and `make run` rebuilds an older demo database (never real data).
# 4: stored derived tables; 5: names and codes drawn in bulk; 6, 7: example plan; stocks as stocks, plausible
# figures, small plots, a factory below 规上, 慈溪 2016—2019 R&D; 8: the stored yearly_summary; 9: monthly data
DEMO_GENERATOR_VERSION = "9"


def _resolved(configured: str) -> Path:
    """A configured path made absolute, once per value (and working directory, for a relative one):
    resolving walks the file system, and the pages ask for these paths many times in every run."""
    relative_to = "" if os.path.isabs(configured) else os.getcwd()
    return _resolve(configured, relative_to)


@functools.lru_cache(maxsize=64)
def _resolve(configured: str, relative_to: str) -> Path:
    return Path(relative_to, Path(configured).expanduser()).resolve()


def db_path() -> Path:
    """The warehouse file: $PLANTRACK_DB, else data/plantrack.duckdb."""
    configured = os.environ.get("PLANTRACK_DB")
    return _resolved(configured) if configured else DATA_DIR / "plantrack.duckdb"


def accounts_path(db: Path | None = None) -> Path:
    """Accounts and the audit trail: $PLANTRACK_ACCOUNTS, else accounts.sqlite3 beside the warehouse
    `db` (default db_path()): a file of their own, so they survive imports (which replace the
    warehouse file) and `rebuild`."""
    configured = os.environ.get("PLANTRACK_ACCOUNTS")
    if configured:
        return _resolved(configured)
    return (db or db_path()).parent / "accounts.sqlite3"


def session_hours() -> float:
    """A login expires after this many hours without a page view ($PLANTRACK_SESSION_HOURS, default 8)."""
    return float(os.environ.get("PLANTRACK_SESSION_HOURS") or 8)


def targets_path() -> Path:
    configured = os.environ.get("PLANTRACK_TARGETS")
    return _resolved(configured) if configured else TARGETS_FILE


def warnings_path() -> Path:
    """The warning rules, beside targets.toml ($PLANTRACK_WARNINGS to use another file)."""
    configured = os.environ.get("PLANTRACK_WARNINGS")
    return _resolved(configured) if configured else ROOT / "warnings.toml"
