"""亩均 grading: the method from targets.toml, the arithmetic in queries/derived/grading.sql.

Grades depend only on the data and the method: they are stored with the data (plantrack.store.derived), and
computed afresh when targets.toml holds another method than the stored one.
"""

from __future__ import annotations

import pandas as pd

from plantrack.model.targets import Grading
from plantrack.store import db
from plantrack.store.db import Connection


def grade(con: Connection, method: Grading) -> pd.DataFrame:
    """Score, rank and computed grade per enterprise-year; official grade and the one shown on screen.

    `grade` is what pages show: the official grade where the bureau published one, else the computed
    one, with `grade_source` saying which (官方 / 测算).
    """
    return db.run_query(con, "derived/grading", **method.query_params())
