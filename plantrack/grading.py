"""亩均 grading: the method from targets.toml, the arithmetic in queries/grading.sql.

Grades depend only on the data and the method, so they are computed when the data change (demo build,
import, undo) and stored in the table `grades`, stamped with the method they were computed with. Pages
read that table; if targets.toml now holds another method, the grades are computed afresh in memory
and shadow the stored table (see `relations`), so a page never shows grades from an old method.
"""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from plantrack import db
from plantrack.targets import Grading

META_KEY = "grading_method"


def grade(con: duckdb.DuckDBPyConnection, method: Grading, year: int | None = None) -> pd.DataFrame:
    """Score, rank and computed grade per enterprise-year; official grade and the one shown on screen.

    `grade` is what pages show: the official grade where the bureau published one, else the computed
    one, with `grade_source` saying which (官方 / 测算).
    """
    return db.run_query(con, "grading", year=year, **method.query_params())


def fingerprint(method: Grading) -> str:
    return hashlib.sha256(method.model_dump_json().encode()).hexdigest()[:16]


def store(con: duckdb.DuckDBPyConnection, method: Grading) -> None:
    """(Re)write the table `grades` for every enterprise-year, stamped with the method."""
    db.materialise(con, "grades", "grading", year=None, **method.query_params())
    db.set_meta(con, META_KEY, fingerprint(method))


def is_stored(con: duckdb.DuckDBPyConnection, method: Grading) -> bool:
    return db.read_meta(con).get(META_KEY) == fingerprint(method)


def relations(con: duckdb.DuckDBPyConnection, method: Grading) -> dict[str, pd.DataFrame]:
    """What a query reading `grades` needs: nothing when the stored table matches the method, else the
    grades computed now (a registered frame named `grades` shadows the table)."""
    return {} if is_stored(con, method) else {"grades": grade(con, method)}
