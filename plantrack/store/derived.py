"""Derived tables: results that depend only on the data (and the grading method), so they are computed
when the data change — demo build, import, undo — and stored in the warehouse, not on every page view.

- `grades`: queries/derived/grading.sql under the method in targets.toml (one row per enterprise-year)
- `indicator_medians`: queries/derived/indicator_medians.sql (企业画像's industry and 规上 medians)
- `yearly_summary`: queries/derived/yearly_summary.sql (规上 totals and ratios by year, for the district
  and each town; read by queries/yearly_indicators.sql on nearly every page)
- `revenue_pairs`: queries/derived/revenue_pairs.sql (each firm-year beside its revenue a year earlier;
  read by queries/metrics/factory_revenue_growth_gap.sql)
- `month_facts`: queries/derived/month_facts.sql (each firm-month's 当月 and 1—N月累计 figures beside a year
  earlier, with its town and 用地; read by the 预警 queries, queries/warnings/)
- `year_to_date`: queries/derived/year_to_date.sql (each firm's 1—N月累计 产值 and 税收 at every as-of month of
  a year, with its town and 用地; read by queries/in_year_indicators.sql)
- `month_grades`: queries/derived/month_grades.sql (each firm's grade as projected from 1—N月, every month:
  预计滑入D档; written by plantrack.store.projection, read by queries/warnings/projected_grades.sql)
- `month_warnings`: queries/derived/month_warnings.sql (the firm warnings of plain arithmetic at every
  as-of month under warnings.toml's rules; written by plantrack.store.firm_warnings, read by
  queries/warnings/firm_warnings.sql)

The stored set is stamped in meta (`derived`) with its version and the grading method. A query reading a
derived table gets, when the stamp does not match (an older file, or a changed method in targets.toml),
the same result computed now and registered under the table's name, which shadows the stored table.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from plantrack.model import warning_rules
from plantrack.model.targets import Config
from plantrack.store import db, firm_warnings, projection

# 2: yearly_summary; 3: revenue_pairs; 4: grades carry 用地, 税收, 亩均税收; 5: month_facts; 6: month_grades;
# 7: year_to_date
VERSION = "7"
META_KEY = "derived"
# table → the query that computes it
TABLES = {
    "grades": "derived/grading",
    "indicator_medians": "derived/indicator_medians",
    "yearly_summary": "derived/yearly_summary",
    "revenue_pairs": "derived/revenue_pairs",
    "month_facts": "derived/month_facts",
    "year_to_date": "derived/year_to_date",
}
# the tables of the monthly data: written again for the years a month's import or undo touches
MONTH_TABLES = ("month_facts", "year_to_date")
# the tables they are computed from: a change elsewhere (honours, applications, reported figures) leaves
# them as they are
SOURCES = {"enterprises", "enterprise_years"}
# tables computed from one more: a change there alone (a month's import) writes again only the years it
# touches (month_grades, month_warnings: written by plantrack.store.projection and .firm_warnings)
MORE_SOURCES = {
    table: {"enterprise_months"} for table in (*MONTH_TABLES, "month_grades", "month_warnings")
}
# staging macros (queries/staging/) that read a derived table: a query calling one reads it too
MACRO_READS = {
    "stg_low_efficiency": ["grades"],
    "stg_low_efficiency_by_town": ["grades"],
    "stg_grade_pairs": ["grades"],
}


def _params(config: Config, table: str) -> dict:
    if table in MONTH_TABLES:
        return {"years": None, "from_month": 1}  # every month of every year
    return config.grading.query_params() if table == "grades" else {}


def stamp(config: Config) -> str:
    return f"{VERSION}:{config.grading.fingerprint()}"


def refresh(con: duckdb.DuckDBPyConnection, config: Config, changed: set[str]) -> bool:
    """After a write that changed the tables `changed`: store the derived tables unless they are
    current and none of their sources changed (only those whose sources did). Returns whether any
    was stored."""
    if changed & SOURCES or not is_current(con, config):
        store(con, config)
        return True
    if changed & MORE_SOURCES["month_facts"]:
        with con.cursor() as cur:  # see store
            return _refresh_months(cur, config)
    return False


def _refresh_months(con: duckdb.DuckDBPyConnection, config: Config) -> bool:
    """After a month's import or its undo: write again, of the years whose months changed, the month facts,
    1—N月累计 and firm warnings from the first month that changed (a month's figures read no later month),
    and the month facts and firm warnings of the whole year after each (its 同比 reads this year's
    whole-year totals); and the projected grades from the first month that changed and of every later
    year (their seasonal shares read it). Returns whether any was."""
    changed = db.run_query(con, "write/month_facts_years")
    if changed.empty:
        return False
    first = dict(zip(changed["year"].astype(int), changed["first_month"].astype(int), strict=True))
    and_next_year = first | {year + 1: 1 for year in first}
    rewrite = {"year_to_date": first, "month_facts": and_next_year}
    for table, months in rewrite.items():
        for year, from_month in sorted(months.items()):
            db.run_query(con, f"write/delete_{table}", years=[year], from_month=from_month)
            db.append(con, table, TABLES[table], years=[year], from_month=from_month)
    spans = db.run_query(con, "warnings/month_span")["year"].astype(int).tolist()
    regrade = {year: first.get(year, 1) for year in spans if year >= min(first)} | first
    projection.store(con, config.grading.query_params(), regrade)
    firm_warnings.store(con, _rules(), and_next_year)
    return True


def store(con: duckdb.DuckDBPyConnection, config: Config) -> None:
    """(Re)write every derived table from the current data and stamp them. On a cursor of its own: each
    statement is committed as it runs, so each reads what the ones before wrote (an import writes through
    cursors too, and a transaction open on `con` would read neither those nor these)."""
    with con.cursor() as cur:
        for table, query in TABLES.items():
            db.materialise(cur, table, query, **_params(config, table))
        projection.store(cur, config.grading.query_params(), None)
        firm_warnings.store(cur, _rules(), None)
        db.set_meta(cur, META_KEY, stamp(config))


def _rules() -> warning_rules.Rules | None:
    """warnings.toml's rules, or None when it has errors (the 预警 page says them; a write goes on)."""
    return warning_rules.load()[0]


def drop_outdated(con: duckdb.DuckDBPyConnection) -> None:
    """Before the staging macros are created again on a file from an older plantrack: drop the stored
    derived tables of another layout (VERSION), as a macro may read columns they lack (stg_low_efficiency
    reads the grades' 亩均税收). The write that follows stores them again (refresh: not current); until
    then a reader computes them (relations)."""
    if db.run_query(con, "warehouse/table_columns", table_name="meta").empty:
        return  # a new file
    if not _same_layout(con):
        for table in [*TABLES, "month_grades", firm_warnings.TABLE]:
            db.drop_table(con, table)


def _same_layout(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the stored derived tables are of this VERSION (whatever grading method they were made under)."""
    return db.read_meta(con).get(META_KEY, "").split(":")[0] == VERSION


def is_current(con: duckdb.DuckDBPyConnection, config: Config) -> bool:
    return db.read_meta(con).get(META_KEY) == stamp(config)


def reads(name: str) -> list[str]:
    """The derived tables queries/<name>.sql reads."""
    sql = db.load_sql(name)
    found = {t for t in TABLES if re.search(rf"\b(from|join)\s+{t}\b", sql, re.IGNORECASE)}
    for macro, tables in MACRO_READS.items():
        if re.search(rf"\b{macro}\(", sql):
            found |= set(tables)
    return [t for t in TABLES if t in found]


def run(con: duckdb.DuckDBPyConnection, config: Config, name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql with the derived tables it reads current: the stored ones, or ones computed
    now under `config`'s method when the stored ones are stale."""
    tables = reads(name)
    frames = relations(con, config, tables) if tables else None
    return db.run_query(con, name, relations=frames, **params)


def low_efficiency(
    con: duckdb.DuckDBPyConnection, config: Config, year: int, viewer_town: str | None
) -> pd.DataFrame:
    """低效企业 in `year` at the reports' line (Config.low_efficiency_line), within the viewer's rights."""
    line, park_only = config.low_efficiency_line
    return run(
        con,
        config,
        "low_efficiency_enterprises",
        year=year,
        line=line,
        park_only=park_only,
        viewer_town=viewer_town,
    )


def monthly(
    con: duckdb.DuckDBPyConnection, table: str, years: list[int]
) -> dict[str, pd.DataFrame]:
    """A monthly table (MONTH_TABLES) as a query of `years` should read it: nothing when the stored one
    is of this layout (every write keeps it current, whatever the grading method), else the years'
    rows computed now (a file from an older plantrack, until its next write)."""
    if _same_layout(con):
        return {}
    return {table: db.run_query(con, TABLES[table], years=years, from_month=1)}


def relations(
    con: duckdb.DuckDBPyConnection, config: Config, tables: list[str] | None = None
) -> dict[str, pd.DataFrame]:
    """What a query reading `tables` (default: all) needs registered: nothing when the stored tables
    are current, else each computed now — but the monthly ones (MONTH_TABLES), which the grading method
    does not touch, only when the stored tables are of another layout (a changed method in targets.toml
    leaves them)."""
    if is_current(con, config):
        return {}
    same_layout = _same_layout(con)
    return {
        table: db.run_query(con, TABLES[table], **_params(config, table))
        for table in (TABLES if tables is None else tables)
        if not (same_layout and table in MONTH_TABLES)
    }
