"""The firm warnings of plain arithmetic (阈值, 同比, 连续下滑, 低于本镇街均值) at every as-of month: judged by
queries/derived/month_warnings.sql on the stored month facts, stored with the data (`month_warnings`,
written at the demo build, an import and an undo, as the other derived tables are, and stamped with the
rules they judged: meta `month_warnings`), read for one month by queries/warnings/firm_warnings.sql. When
the stored ones are stale (other rules, an older file) the year asked for is judged now, up to its month.

A year's warnings read its month facts only (which carry the year before's figures), its towns' 1—N月
亩均税收 and its seasonal shares (the years before): a change in a year's months changes its own
warnings and the next year's (同比)."""

from __future__ import annotations

import duckdb
import pandas as pd

from plantrack.model.warning_rules import Rules
from plantrack.store import db
from plantrack.store.db import Connection

TABLE = "month_warnings"
META_KEY = "month_warnings"


def _params(
    con: Connection, rules: Rules, year: int, month: int, relations: dict, from_month: int = 1
) -> dict:
    """month_warnings.sql's parameters for `year` up to `month` (as-of months from `from_month` on): the
    rules, the 税收 shares (折全年) and each town's 1—N月亩均税收 (the 低于本镇街均值 rule's mean)."""
    shares = db.run_query(con, "warnings/monthly_shares", year=year)
    towns = db.run_query(
        con, "warnings/town_month_facts", relations=relations, year=year, month=month
    )
    means = towns[["town", "month", "ytd_mu_tax_wan_per_mu"]].rename(
        columns={"ytd_mu_tax_wan_per_mu": "mean"}
    )
    return {
        "year": year,
        "month": month,
        "from_month": from_month,
        "rules": rules.firm_params(),
        "tax_shares": shares.sort_values("month")["tax_share"].astype(float).tolist(),
        "town_means": means.astype(object).where(means.notna(), None).to_dict("records"),
    }


def is_current(con: Connection, rules: Rules) -> bool:
    return db.read_meta(con).get(META_KEY) == rules.firm_fingerprint()


def judged(con: Connection, rules: Rules, year: int, month: int, relations: dict) -> pd.DataFrame:
    """month_warnings.sql now, for `year` up to `month` (`relations`: the month facts when the stored
    ones are stale): what the stored table holds for those months."""
    params = _params(con, rules, year, month, relations)
    return db.run_query(con, "derived/month_warnings", relations=relations, **params)


def store(
    con: duckdb.DuckDBPyConnection, rules: Rules | None, years: dict[int, int] | None
) -> None:
    """Write the stored firm warnings again — of each year in `years` from its as-of month on (year →
    month; an as-of month reads no later month of its year), or None: the table anew, every year with
    monthly data — under `rules`, and stamp them; `rules` None (warnings.toml has errors): the table
    empty and unstamped, so that readers judge now under the rules they are given."""
    if years is None or rules is None or not is_current(con, rules):
        con.execute(db.load_sql("write/create_month_warnings"))
        years = None
    else:
        for year, from_month in years.items():
            db.run_query(con, "write/delete_month_warnings", years=[year], from_month=from_month)
    if rules is None:
        db.set_meta(con, META_KEY, "")
        return
    for year in db.run_query(con, "warnings/month_span")["year"].astype(int).tolist():
        if years is None or year in years:
            from_month = 1 if years is None else years[year]
            params = _params(con, rules, year, 12, {}, from_month)
            db.append(con, TABLE, "derived/month_warnings", **params)
    db.set_meta(con, META_KEY, rules.firm_fingerprint())
