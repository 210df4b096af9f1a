"""亩均 grading: the method from targets.toml, the arithmetic in queries/grading.sql.

Grades depend only on the data and the method: they are stored with the data (plantrack.derived), and
computed afresh when targets.toml holds another method than the stored one.
"""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd

from plantrack import db
from plantrack.targets import Grading


def grade(con: duckdb.DuckDBPyConnection, method: Grading, year: int | None = None) -> pd.DataFrame:
    """Score, rank and computed grade per enterprise-year; official grade and the one shown on screen.

    `grade` is what pages show: the official grade where the bureau published one, else the computed
    one, with `grade_source` saying which (官方 / 测算).
    """
    return db.run_query(con, "grading", year=year, **method.query_params())


def fingerprint(method: Grading) -> str:
    return hashlib.sha256(method.model_dump_json().encode()).hexdigest()[:16]
