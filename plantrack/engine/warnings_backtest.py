"""How well do the firm warnings foresee a year's D grades? From the data up to a month (June) of a finished
year — its months so far and the years before — each firm rule's flags against the grades that year ended
with: how many of the year's D firms were flagged, and how many flags fell on firms not graded D.
`python -m plantrack warnings-backtest`. On demo data this checks the machinery, not real-world rates."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from plantrack.engine import warnings
from plantrack.model.targets import Config
from plantrack.model.warning_rules import Rules
from plantrack.store import db
from plantrack.store.db import Connection


@dataclass(frozen=True)
class Score:
    rule: str
    rule_label: str
    year: int
    month: int
    d_firms: int  # graded D that year (规上, with monthly data)
    flagged: int
    hits: int  # flagged and graded D
    false_flags: int  # flagged, not graded D

    @property
    def recall(self) -> float | None:
        return self.hits / self.d_firms if self.d_firms else None

    @property
    def false_share(self) -> float | None:
        return self.false_flags / self.flagged if self.flagged else None

    def as_json(self) -> dict:
        return {**self.__dict__, "recall": self.recall, "false_share": self.false_share}


def finished_years(con: Connection) -> list[int]:
    """The years with twelve months and an annual grade, after a complete earlier year (its seasonal
    shares)."""
    shares_from = db.run_query(con, "warnings/monthly_shares", year=9999)
    years = db.run_query(con, "data_years")["year"].tolist()
    months = db.run_query(con, "warnings/month_span")
    complete = set(months.loc[months["month_count"] == 12, "year"])
    first = min(complete) if complete and shares_from["years_used"].max() > 0 else None
    return sorted(year for year in years if year in complete and first is not None and year > first)


def scores(
    con: Connection, config: Config, rules: Rules, year: int, month: int = 6, grades=None
) -> list[Score]:
    """Each firm rule's flags at `year`-`month` against the grades of `year`."""
    found = warnings.evaluate(con, config, rules, year, month, grades=grades)
    actual = db.run_query(
        con,
        "warnings/year_grades",
        year=year,
        viewer_town=None,
        relations=None if grades is None else {"grades": grades},
    )
    d_firms = set(actual.loc[actual["grade"] == "D", "credit_code"])
    graded = set(actual["credit_code"])
    result = []
    for rule in rules.rules:
        if rule.scope != "企业":
            continue
        flagged = {w.credit_code for w in found if w.rule == rule.id} & graded
        hits = len(flagged & d_firms)
        result.append(
            Score(
                rule.id,
                rule.label,
                year,
                month,
                len(d_firms),
                len(flagged),
                hits,
                len(flagged) - hits,
            )
        )
    return result


def table(found: list[Score]) -> pd.DataFrame:
    return pd.DataFrame([score.as_json() for score in found])
