"""按1—N月预计全年的亩均评价: the grading method of derived/grading.sql run on projected firm-years.

The projected rows (queries/warnings/projected_years.sql) are a temporary table named enterprise_years on
a cursor of their own: it shadows the stored table for that cursor only, so the one definition of the
grading (and of every ratio it reads through stg_enterprise_years) grades them; other readers and the
file are untouched (a temporary table is allowed on a read-only database). Every month's projection is
one `year` of those rows ($year + N/100), so one grading run ranks each month on its own."""

from __future__ import annotations

import pandas as pd

from plantrack.store import db
from plantrack.store.db import Connection


def projected_grades(
    con: Connection,
    grading_params: dict,
    year: int,
    months: dict[int, dict[str, float]],
    viewer_town: str | None,
    grades: pd.DataFrame | None = None,
    grade: str | None = None,
) -> pd.DataFrame:
    """queries/warnings/projected_grades.sql for every month of `months` at once: each firm's projected
    grade for `year` from its months 1—N, with a `month` column (N). `months`: {N: its shares
    (output_share, revenue_share, tax_share, electricity_share, 0—1)}. `grades`: the grades computed now
    when the stored ones are stale (plantrack.store.derived.relations). `grade`: only the firms projected
    at that grade from the latest month (every month of theirs); None: every firm."""
    shares = [{"month": month, **columns} for month, columns in months.items()]
    with con.cursor() as cur:
        if grades is not None:
            cur.register("grades", grades)
        db.materialise(
            cur,
            "enterprise_years",
            "warnings/projected_years",
            temporary=True,
            year=year,
            shares=shares,
        )
        db.materialise(cur, "projected", "derived/grading", temporary=True, **grading_params)
        graded = cur.execute(
            db.load_sql("warnings/projected_grades"),
            {"year": year, "viewer_town": viewer_town, "grade": grade},
        ).df()
        db.drop_table(cur, "enterprise_years")  # the temporary one: the stored table shows again
    return graded
