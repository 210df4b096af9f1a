"""Where things live. Read in functions, never at import, so tests and the CLI can override them."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
TARGETS_FILE = ROOT / "targets.toml"
# The demo generator's version, stored in each demo database: bump it whenever the generator's output
# changes, and `make run` rebuilds an older demo database (never real data).
DEMO_GENERATOR_VERSION = "6"  # 4: stored derived tables; 5: names and codes drawn in bulk; 6: stocks as stocks, plausible figures, small plots, a factory below 规上, 慈溪 2016—2019 R&D


def db_path() -> Path:
    """The warehouse file: $PLANTRACK_DB, else data/plantrack.duckdb."""
    configured = os.environ.get("PLANTRACK_DB")
    return Path(configured).expanduser().resolve() if configured else DATA_DIR / "plantrack.duckdb"


def targets_path() -> Path:
    configured = os.environ.get("PLANTRACK_TARGETS")
    return Path(configured).expanduser().resolve() if configured else TARGETS_FILE
