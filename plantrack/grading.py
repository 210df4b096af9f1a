"""亩均 grading: the method from targets.toml, the arithmetic in queries/grading.sql."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from plantrack import db
from plantrack.targets import Grading


def grade(con: duckdb.DuckDBPyConnection, method: Grading, year: int | None = None) -> pd.DataFrame:
    """Score, rank and computed grade per enterprise-year; official grade and the one shown on screen.

    `grade` is what pages show: the official grade where the bureau published one, else the computed
    one, with `grade_source` saying which (官方 / 测算).
    """
    frame = db.run_query(con, "grading", year=year, **method.query_params())
    official = frame["official_grade"].notna()
    frame["grade"] = frame["official_grade"].where(official, frame["computed_grade"])
    frame["grade_source"] = np.where(official, "官方", "测算")
    return frame
