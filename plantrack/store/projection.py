"""按1—N月预计全年的亩均评价: the grading method of derived/grading.sql run on projected firm-years.

The projected rows (queries/warnings/projected_years.sql) are a temporary table named enterprise_years on
a cursor of their own: it shadows the stored table for that cursor only, so the one definition of the
grading (and of every ratio it reads through stg_enterprise_years) grades them; other readers and the
file are untouched (a temporary table is allowed on a read-only database). Every month's projection is
one `year` of those rows ($year + N/100), so one grading run ranks each month on its own.

The grades are stored with the data (`month_grades`, derived/month_grades.sql: written by `store` at the
demo build, an import and an undo, as the other derived tables are) and read by
warnings/projected_grades.sql; when the stored ones are stale (an older file, a changed method), the
year asked for is graded now."""

from __future__ import annotations

import duckdb
import pandas as pd

from plantrack.store import db
from plantrack.store.db import Connection

SHARES = ["output_share", "revenue_share", "tax_share", "electricity_share"]


def grade_months(
    cur: duckdb.DuckDBPyConnection,
    grading_params: dict,
    year: int,
    last_month: int,
    first_month: int = 1,
) -> None:
    """On `cur`: the temporary table `projected`, the grading of `year` as projected from months 1—N,
    every N from `first_month` to `last_month`, each over its seasonal share
    (warnings/monthly_shares.sql)."""
    shares = cur.execute(db.load_sql("warnings/monthly_shares"), {"year": year}).df()
    shares = shares.loc[shares["month"].between(first_month, last_month), ["month", *SHARES]]
    db.materialise(
        cur,
        "enterprise_years",
        "warnings/projected_years",
        temporary=True,
        year=year,
        shares=shares.to_dict("records"),
    )
    db.materialise(cur, "projected", "derived/grading", temporary=True, **grading_params)
    db.drop_table(cur, "enterprise_years")  # the temporary one: the stored table shows again


def store(
    con: duckdb.DuckDBPyConnection, grading_params: dict, years: dict[int, int] | None
) -> None:
    """Write the stored projected grades again: of `years` {year: from this month on} (None: the
    table anew, every year with monthly data). A month's projection reads its months 1—N and the years
    before (their seasonal shares, the annual figures): a change in a month changes the grades of that
    month on, and of every later year."""
    spans = db.run_query(con, "warnings/month_span")
    if years is None:
        con.execute(db.load_sql("write/create_month_grades"))
    else:
        changed = [{"year": year, "month": month} for year, month in years.items()]
        db.run_query(con, "write/delete_month_grades", changed=changed)
    for year, last_month in zip(spans["year"].tolist(), spans["last_month"].tolist(), strict=True):
        first_month = 1 if years is None else years.get(year, 13)
        if first_month <= last_month:  # else: months removed (an undo), their rows deleted above
            with con.cursor() as cur:
                grade_months(cur, grading_params, int(year), int(last_month), first_month)
                db.append(cur, "month_grades", "derived/month_grades", year=int(year))


def projected_grades(
    con: Connection,
    grading_params: dict,
    year: int,
    month: int,
    viewer_town: str | None,
    stored: bool,
    grades: pd.DataFrame | None = None,
    grade: str | None = None,
) -> pd.DataFrame:
    """queries/warnings/projected_grades.sql: each firm's projected grade for `year` from its months
    1—N, every N up to `month` (a `month` column). `stored`: the stored grades are current (else this
    year is graded now). `grades`: the annual grades computed now when the stored ones are stale
    (plantrack.store.derived.relations). `grade`: only the firms projected at that grade at `month`
    (every month of theirs); None: every firm."""
    with con.cursor() as cur:
        if grades is not None:
            cur.register("grades", grades)
        if not stored:
            grade_months(cur, grading_params, year, month)
            db.materialise(cur, "month_grades", "derived/month_grades", temporary=True, year=year)
        graded = (
            cur.execute(  # on this cursor: its temporary tables (a query's own cursor lacks them)
                db.load_sql("warnings/projected_grades"),
                {"year": year, "month": month, "viewer_town": viewer_town, "grade": grade},
            ).df()
        )
        if not stored:
            db.drop_table(cur, "month_grades")  # the temporary one
    return graded
