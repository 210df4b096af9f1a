"""预警: the rules of warnings.toml applied to the monthly data as of a month. Each warning names its rule,
the value that triggered it, the threshold, the firm or town, the responsible 镇街 and the month since
which it has held without a break (within the year: 1—N月累计 starts again each January).

The data work is SQL (queries/warnings/): every rule is judged month by month, from the first month of the
year to the as-of month, and "since when" is the start of the run of months ending at the as-of month. The
firm rules of plain arithmetic are judged in SQL on the stored month facts at every as-of month and stored
with the data (derived/month_warnings.sql, plantrack.store.firm_warnings; firm_warnings.sql reads the
as-of month's); the town rules on each town's facts (town_month_facts.sql); 预计档次 from each month's
projected grade, stored with the data (plantrack.store.projection). A 镇街 user's firm rules judge only
its own town's firms (`viewer_town`, filled where the data are read; a firm's peers are still its whole
town); town totals name no firm and are read in full, but another town's warnings built from fewer than
3 firms are not given to a 镇街 user (小样本不公开)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plantrack.engine.in_year import month_shares
from plantrack.model.roles import SMALL_CELL_FIRMS
from plantrack.model.targets import Config
from plantrack.model.warning_rules import KIND_LABELS, Rule, Rules, given
from plantrack.store import db, derived, firm_warnings, projection
from plantrack.store.db import Connection

# a figure is compared with its threshold at 9 decimals: 24 against 30 is −20 % exactly, whatever order
# the months were added in (a sum of doubles may land a hair on either side of a boundary)
DECIMALS = 9
DETAIL_COLUMNS = ["of", "completion", "expected", "last_grade"]  # what _detail reads


@dataclass(frozen=True)
class Warning:
    rule: str
    rule_label: str
    kind: str  # 阈值 | 同比 | …
    severity: str  # 红色 | 黄色
    scope: str  # 企业 | 镇街
    subject: str  # the firm's name or the town
    credit_code: str | None
    town: str  # the responsible 镇街
    value: float | str
    threshold: float | str
    unit: str
    since: str  # YYYY-MM: held every month from then to the as-of month
    as_of: str
    detail: str

    def as_json(self) -> dict:
        # every field is a plain value: the shallow copy that asdict makes deep, field by field, at
        # several times its cost (1.5 s of the 预警 page's first run at province)
        return dict(vars(self))


def evaluate(
    con: Connection,
    config: Config,
    rules: Rules,
    year: int,
    month: int,
    viewer_town: str | None = None,
    grades: pd.DataFrame | None = None,
) -> list[Warning]:
    """Every warning that holds at `year`-`month`. `viewer_town`: only that town's firms (a 镇街 user);
    `grades`: the grades computed now when the stored ones are stale (plantrack.store.derived)."""
    shares = month_shares(con, year)
    stored = derived.relations(con, config, ["month_facts"])  # none when the stored one is current
    towns = db.run_query(con, "warnings/town_month_facts", relations=stored, year=year, month=month)
    firms = _firm_rules(con, rules, year, month, viewer_town, stored)
    found: list[Warning] = []
    for rule in rules.rules:
        if rule.kind == "projection":
            judged = _projection(con, config, rule, year, month, viewer_town, grades)
            found += _warnings(rule, _runs(rule, judged, judged, month), year, month)
        elif rule.scope == "企业":
            found += _warnings(rule, firms.get(rule.id, firms.get(None)), year, month)
        else:
            judged = _town_rule(rule, towns, shares, month)
            found += _warnings(rule, _runs(rule, towns, judged, month), year, month)
    if viewer_town is not None:  # another town's totals of fewer than 3 firms are those firms' own
        latest = towns[towns["month"] == month]
        small = set(latest.loc[latest["firm_count"] < SMALL_CELL_FIRMS, "town"]) - {viewer_town}
        found = [w for w in found if w.scope != "镇街" or w.town not in small]
    order = {"红色": 0, "黄色": 1}
    found.sort(key=lambda w: (order[w.severity], w.scope != "镇街", w.town, w.rule, w.subject))
    return found


def _firm_rules(con, rules, year, month, viewer_town, stored) -> dict:
    """The firm rules of plain arithmetic (queries/derived/month_warnings.sql), stored with the data or
    judged now when the stored ones are stale: {rule id: the firms it holds for at `month`, with since
    when; None: no firm (the columns only)}."""
    if not rules.firm_params():
        return {}
    relations = stored  # the stored month facts are stale only in another layout: so are these
    if "month_facts" in stored or not firm_warnings.is_current(con, rules):
        relations = {
            **stored,
            "month_warnings": firm_warnings.judged(con, rules, year, month, stored),
        }
    holding = db.run_query(
        con,
        "warnings/firm_warnings",
        relations=relations,
        year=year,
        month=month,
        viewer_town=viewer_town,
    )
    return {None: holding.iloc[:0], **dict(iter(holding.groupby("rule", sort=False)))}


def _town_rule(rule: Rule, towns: pd.DataFrame, shares: pd.DataFrame, month: int) -> pd.DataFrame:
    frame = pd.DataFrame(index=towns.index)
    growth = towns[f"ytd_{rule.metric}_growth_pct"]
    if rule.kind == "yoy":
        frame["value"] = growth.round(DECIMALS)
        frame["threshold"] = -given(rule.decline_pct)
        frame["fires"] = frame["value"] < -given(rule.decline_pct)
    elif rule.kind == "rank":
        ranks = growth.groupby(towns["month"]).rank(ascending=False, method="min")
        counted = growth.notna().groupby(towns["month"]).transform("sum")
        frame["value"] = ranks
        frame["threshold"] = counted - rule.bottom + 1  # this rank or lower fires
        frame["fires"] = ranks >= frame["threshold"]
        frame["of"] = counted
    elif rule.kind == "gap":
        target = towns[f"year_{_column(rule.metric)}_last"] * (
            1 + given(rule.target_growth_pct) / 100
        )
        completion = towns[f"ytd_{_column(rule.metric)}"] / target.where(target > 0)
        column = "linear" if rule.pace == "linear" else f"{rule.metric}_share"
        expected = towns["month"].map(shares[column])
        frame["value"] = 100 * (expected - completion)
        frame["threshold"] = rule.behind_points
        frame["value"] = frame["value"].round(DECIMALS)
        frame["fires"] = frame["value"] >= rule.behind_points
        frame["completion"] = 100 * completion
        frame["expected"] = 100 * expected
    return frame


def _projection(con, config, rule, year, month, viewer_town, grades) -> pd.DataFrame:
    """The projected grade at every month up to `month` (each month's 1—N月 over its seasonal share),
    of the firms projected at the rule's grade at `month`: since when."""
    frame = projection.projected_grades(
        con,
        config.grading.query_params(),
        year,
        month,
        viewer_town,
        stored=derived.is_current(con, config),
        grades=grades,
        grade=rule.grade,
    )
    frame["value"] = frame["projected_grade"]
    frame["threshold"] = rule.grade
    frame["fires"] = frame["projected_grade"] == rule.grade
    return frame


def _column(metric: str) -> str:
    return "electricity_wan_kwh" if metric == "electricity" else f"{metric}_wan"


def _starts(keys: pd.Series) -> np.ndarray:
    """Rows in order of subject (each subject's rows together, by month): where each subject's rows begin."""
    values = keys.to_numpy()
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    return starts


def _run_before(starts: np.ndarray, held: np.ndarray) -> np.ndarray:
    """For each row, the row before the run of `held` rows of its subject that ends there: the last row
    not held, or the row before the subject's first (−1 at the very start)."""
    rows = np.arange(len(held))
    before = np.where(~held, rows, np.where(starts, rows - 1, -1))
    return np.maximum.accumulate(before) if len(before) else before


def _runs(rule: Rule, subjects: pd.DataFrame, judged: pd.DataFrame, month: int) -> pd.DataFrame:
    """The subjects for which the rule fires at `month`, with `since`: the first month of its run.
    `subjects`: the key columns (credit_code, name, town; a town rule: town) and `month`, each subject's
    rows together in order of month up to `month`; `judged`: the rule on those rows, row for row."""
    key = "credit_code" if rule.scope == "企业" else "town"
    if judged.empty:
        return pd.DataFrame(columns=["name", "town", "value", "threshold", "since"])
    months = subjects["month"].to_numpy()
    fires = judged["fires"].fillna(False).astype(bool).to_numpy()
    held = judged["condition"] if "condition" in judged else judged["fires"]
    before = _run_before(_starts(subjects[key]), held.fillna(False).astype(bool).to_numpy())
    latest = np.flatnonzero((months == month) & fires)
    found = judged.iloc[latest][[c for c in ("value", "threshold", *DETAIL_COLUMNS) if c in judged]]
    found["since"] = months[before[latest] + 1]  # the first month of the run (a firing row is held)
    found["name"] = subjects[key if rule.scope == "镇街" else "name"].to_numpy()[latest]
    found["credit_code"] = subjects[key].to_numpy()[latest] if rule.scope == "企业" else None
    found["town"] = subjects["town"].to_numpy()[latest]
    return found


def _warnings(rule: Rule, found: pd.DataFrame, year: int, month: int) -> list[Warning]:
    """A warning for each row of `found` (name, credit_code, town, value, threshold, since, details)."""
    if found.empty:
        return []
    as_of = f"{year}-{month:02d}"
    codes = found["credit_code"].tolist() if "credit_code" in found else [None] * len(found)
    details = [c for c in DETAIL_COLUMNS if c in found]  # only what a warning shows
    rows = zip(*(found[c].tolist() for c in details), strict=True) if details else [()] * len(found)
    plain: dict = {}  # a threshold is one figure for most of a rule's rows: rounded once
    warnings = []
    for name, code, town, value, threshold, since, detail in zip(
        found["name"].tolist(),
        codes,
        found["town"].tolist(),
        found["value"].tolist(),
        found["threshold"].tolist(),
        found["since"].tolist(),
        rows,
        strict=True,
    ):
        severity = rule.severity
        if rule.kind == "gap" and rule.red_points is not None and value >= rule.red_points:
            severity, threshold = "红色", rule.red_points
        if threshold not in plain:
            plain[threshold] = _plain(threshold)
        warnings.append(
            Warning(
                rule=rule.id,
                rule_label=rule.label,
                kind=KIND_LABELS[rule.kind],
                severity=severity,
                scope=rule.scope,
                subject=name,
                credit_code=code,
                town=town,
                value=_plain(value),
                threshold=plain[threshold],
                unit=rule.unit,
                since=f"{year}-{int(since):02d}",
                as_of=as_of,
                detail=_detail(rule, {"value": value, **dict(zip(details, detail, strict=True))}),
            )
        )
    return warnings


def _plain(value):
    if isinstance(value, str):
        return value
    return round(float(value), 4)


def _detail(rule: Rule, row: dict) -> str:
    if rule.kind == "rank":
        return f"第{int(row['value'])}名（共{int(row['of'])}个镇街）"
    if rule.kind == "gap":
        return f"完成率 {row['completion']:.1f}%，序时进度 {row['expected']:.1f}%"
    if rule.kind == "projection":
        last = row.get("last_grade")
        if not isinstance(last, str):
            return f"预计全年{row['value']}档（上年未评价）"
        moved = "仍为" if last == row["value"] else "滑入"
        return f"预计全年{moved}{row['value']}档（上年{last}档）"
    return ""
