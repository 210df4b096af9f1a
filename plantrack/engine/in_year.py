"""年内进度: where this year's annual targets stand after N months, from the monthly data (企业月度数据).

序时进度 by month is the part of the year due by the end of month N: linear (N/12) or seasonal (the
district's earlier complete years' share of 1—N月 in the whole year), per target (`pace`) or by the
preset of targets.toml ([status] in_year_pace). Two kinds of target can be followed in the year:
- 规上工业产值增长 (growth_at_least on 产值): the year needs last year's total × (1 + growth); 完成率 =
  1—N月累计 ÷ that; compared with the 序时进度 of the month; 1—N月同比 is shown beside it;
- 规上工业亩均税收 (at_least, a level): 1—N月税收 折全年 (÷ its seasonal share) over 用地, compared with the
  target directly (序时进度 100 %).
Status by the same rule as the annual progress (plantrack.engine.rules.status_of). Annual views do not
use any of this."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from plantrack.engine.rules import exact, status_of
from plantrack.model.targets import Config
from plantrack.store import db, derived
from plantrack.store.db import Connection

PACE_LABELS = {"linear": "线性（N/12）", "seasonal": "季节（以往年度各月占比）"}
FOLLOWED = {"output_above_scale": "growth_at_least", "mu_tax_above_scale": "at_least"}


def month_shares(con: Connection, year: int) -> pd.DataFrame:
    """序时 by month: the part of the year's total due by the end of each month, linear (N/12) and
    seasonal (the district's earlier complete years; linear where there are none). Index: month 1—12."""
    shares = db.run_query(con, "warnings/monthly_shares", year=year).set_index("month")
    return shares.rename(columns={"years_used": "seasonal_years"})


@dataclass(frozen=True)
class InYear:
    plan: str
    plan_short: str
    target_id: str
    label: str
    unit: str
    target: float
    year: int
    as_of: str  # YYYY-MM
    actual: float | None  # 1—N月同比 (%), or 亩均税收 折全年 (万元/亩)
    completion: float | None  # 1.0 = 100 %
    expected: float | None  # 序时进度, 1.0 = 100 %
    pace: str
    status: str
    status_label: str
    basis: str

    def as_json(self) -> dict:
        return asdict(self)


def evaluate(
    con: Connection,
    config: Config,
    year: int,
    month: int,
    plan_id: str | None = None,
    town: str | None = None,
) -> list[InYear]:
    """The targets due in `year` that monthly data can follow, as of `year`-`month`."""
    shares = month_shares(con, year)
    facts = _facts(con, shares, year, month, town)
    rows = []
    for plan in config.plans_in_view(plan_id, town):
        for target in plan.targets:
            if target.year != year or FOLLOWED.get(target.metric) != target.direction:
                continue
            pace = target.pace or config.status.in_year_pace
            if not shares.loc[month, "seasonal_years"]:
                pace = "linear"  # no earlier complete year to take the seasonal shares from
            rows.append(_row(config, plan, target, year, month, pace, shares, facts))
    return rows


def indicators(con: Connection, year: int, month: int, town: str | None = None) -> dict:
    """规上 1—N月累计 of the district (or one town), keyed by the catalogue's columns: 累计产值同比
    (ytd_output_growth_pct), 累计税收 and its 同比 (ytd_tax_wan, ytd_tax_growth_pct), 亩均税收 折全年
    (mu_tax_annualised_wan_per_mu), and how many firms reported (firm_count); None where the data
    cannot say."""
    facts = _facts(con, month_shares(con, year), year, month, town)
    return {column: None if _missing(value) else value for column, value in facts.items()}


def _facts(con: Connection, shares: pd.DataFrame, year: int, month: int, town: str | None):
    tax_share = float(shares.loc[month, "tax_share"])
    stored = derived.monthly(con, "year_to_date", [year - 1, year])
    return db.run_query(
        con,
        "in_year_indicators",
        relations=stored,
        year=year,
        month=month,
        town=town,
        tax_share=tax_share,
    ).iloc[0]


def _row(config, plan, target, year, month, pace, shares, facts) -> InYear:
    goal = exact(target.target)
    if target.metric == "output_above_scale":
        share = shares.loc[month, "linear" if pace == "linear" else "output_share"]
        expected = exact(share)
        last, so_far = facts["year_output_wan_last"], facts["ytd_output_wan"]
        growth = facts["ytd_output_growth_pct"]
        if _missing(last) or _missing(so_far) or last <= 0:
            actual = completion = None
            status = "no_data"
        else:
            needed = exact(last) * (1 + goal / 100)
            completion, status = _against(config, needed, exact(so_far), expected)
            actual = None if _missing(growth) else float(growth)
        basis = (
            f"全年需 上年全年产值 × (1 + {target.target:g}%)（同一批企业）；完成率 = 1—{month}月累计 ÷ 全年需；"
            f"序时进度 {PACE_LABELS[pace]}；实际值为1—{month}月累计同比"
        )
        unit = "%"
    else:
        expected = exact(1)
        value = facts["mu_tax_annualised_wan_per_mu"]
        if _missing(value):
            actual = completion = None
            status = "no_data"
        else:
            actual = float(value)
            completion, status = _against(config, goal, exact(value), expected)
        basis = (
            f"1—{month}月税收 ÷ 以往年度1—{month}月税收占全年比重（折全年）÷ 用地面积，"
            "各企业合计之比；与全年目标直接比较（序时进度100%）"
        )
        unit = target.unit
    return InYear(
        plan=plan.id,
        plan_short=plan.short,
        target_id=target.id,
        label=target.label,
        unit=unit,
        target=target.target,
        year=year,
        as_of=f"{year}-{month:02d}",
        actual=actual,
        completion=None if completion is None else float(completion),
        expected=float(expected),
        pace=PACE_LABELS[pace] if target.metric == "output_above_scale" else "折全年",
        status=status,
        status_label=config.status.labels[status],
        basis=basis,
    )


def _against(
    config: Config, needed: Fraction, so_far: Fraction, expected: Fraction
) -> tuple[Fraction, str]:
    """完成率 (so far ÷ needed) and the status of a rising in-year figure against its 序时进度."""
    completion = so_far / needed
    lag = exact(config.status.lag_points) / 100
    return completion, status_of("at_least", needed, so_far, completion, expected, lag)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))
