"""What the monthly data show on more than one page: this year's targets after N months (年内进度) and
the 规上 1—N月累计 figures beside the annual ones."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from plantrack.app import data, url_state, widgets
from plantrack.app.replay import drawn
from plantrack.model.quantities import QUANTITIES
from plantrack.report import tables
from plantrack.report.formatting import number


def in_year_section(
    year: int | None = None, month: int | None = None, key: str = "in_year"
) -> None:
    """年内进度（截至YYYY年M月）: the targets due this year that monthly data follow, with 完成率 and 序时进度
    by month. Without a month: the month in view (data.month_in_view); nothing without one."""
    if year is None or month is None:
        if (chosen := data.month_in_view()) is None:
            return
        year, month = chosen
    if drawn(_in_year_table, year, month, key):
        st.caption(
            "序时进度按月：线性为 N/12，季节为以往完整年度全区1—N月占全年的比重；亩均税收按1—N月折全年"
            "与全年目标直接比较。按年度的进度（截至年度）不受影响；逐月预警见「预警」页。"
        )


def _in_year_table(year: int, month: int, key: str) -> bool:
    """The heading and the table (True), or why there is none (False)."""
    st.subheader(f"年内进度（截至{year}年{month}月）")
    progress = data.in_year_progress(year, month)
    if progress.empty:
        st.caption(f"{year}年没有可按企业月度数据跟踪的当年目标。")
        return False
    widgets.table(
        data.computed(tables.in_year_table, progress),
        key=key,
        name=f"年内进度_{year}年{month}月",
        notes={"截至年度": f"{year}年", "截至月份": f"{year}年{month}月"},
    )
    return True


def year_to_date(annual_mu_tax: float | None, town: str | None = None) -> None:
    """规上 1—N月累计 of the month in view (data.month_in_view), of the district or one town: 累计税收 and
    its 同比, 累计产值同比, and 亩均税收 折全年 beside the last annual 亩均税收 (`annual_mu_tax`)."""
    if (chosen := data.month_in_view()) is None:
        return
    year, month = chosen
    facts = data.year_to_date(year, month, town)
    if not facts["firm_count"]:
        return
    months = f"1—{month}月"

    def label(column: str) -> str:
        return QUANTITIES[column].label.replace("1—N月", months)

    def shown(column: str) -> str:
        entry = QUANTITIES[column]
        return number(facts[column], entry.unit, entry.decimals)

    st.markdown(f"**{year}年{months}（月度数据，规上工业企业 {int(facts['firm_count'])} 家）**")
    cells = st.columns(4)
    for cell, column in zip(
        cells[:3], ["ytd_tax_wan", "ytd_tax_growth_pct", "ytd_output_growth_pct"], strict=True
    ):
        cell.metric(label(column), shown(column), help=QUANTITIES[column].definition)
    annualised, unit = (
        facts["mu_tax_annualised_wan_per_mu"],
        QUANTITIES["mu_tax_annualised_wan_per_mu"].unit,
    )
    cells[3].metric(
        label("mu_tax_annualised_wan_per_mu"),
        shown("mu_tax_annualised_wan_per_mu"),
        delta=None
        if annualised is None or annual_mu_tax is None
        else number(annualised - annual_mu_tax, unit),
        help=QUANTITIES["mu_tax_annualised_wan_per_mu"].definition
        + f"；箭头为与{data.as_of_year()}年全年亩均税收之差。季节已按往年同期占全年的比重折算，仍只是趋势。",
    )


def warning_list(found: pd.DataFrame, rules, year: int, month: int) -> None:
    """预警's filter bar (镇街, 规则, 级别), the counts and the list. Not a fragment: Streamlit's fragment
    cost every opening of the page a tenth of its server time (measured side by side), more than it
    saves on a change of filter (then the whole page runs, its parts replayed: about 10 ms)."""
    bar = st.container(horizontal=True)  # one block, not a row of columns: fewer elements a run
    chosen_towns = url_state.any_of(
        "镇街", data.computed(_towns, found), param="towns", key="warnings_towns", container=bar
    )
    chosen_rules = url_state.any_of(
        "预警规则",
        [rule.label for rule in rules.rules],
        param="rules",
        key="warnings_rules",
        container=bar,
        everything="全部规则",
    )
    severity = url_state.segmented(
        "级别",
        ["全部", "红色", "黄色"],
        param="severity",
        key="warnings_severity",
        default="全部",
        container=bar,
    )
    drawn(_warnings_shown, year, month, tuple(chosen_towns), tuple(chosen_rules), severity)


def _warnings_shown(year: int, month: int, towns: tuple, rules: tuple, severity: str) -> None:
    """The counts and the list of the warnings the filters keep."""
    found = data.warnings_as_of(data.warning_rules()[0], year, month)
    shown = data.computed(tables.filter_warnings, found, list(towns), list(rules), severity)
    red, yellow, firms = data.computed(_counts, shown)
    counts = st.container(horizontal=True)
    counts.metric("红色预警", f"{red:,} 条")
    counts.metric("黄色预警", f"{yellow:,} 条")
    counts.metric("涉及企业", f"{firms:,} 家")
    listed = data.computed(tables.warnings_table, shown)
    widgets.table(
        listed.head(widgets.SHOWN_ROWS),  # red first; a province's tens of thousands: downloaded
        key="warnings_table",
        name=f"预警清单_{year}年{month}月",
        notes={
            "截至年度": f"{year}年",
            "截至月份": f"{year}年{month}月",
            "镇街": "、".join(towns) or "全部",
            "规则": "、".join(rules) or "全部",
            "级别": severity,
        },
        full=lambda: tables.warnings_export(shown),
        total=len(listed),
        height=min(520, 35 * (len(shown) + 1) + 3),
    )


def _towns(found: pd.DataFrame) -> list[str]:
    return sorted(found["town"].unique())


def _counts(shown: pd.DataFrame) -> tuple[int, int, int]:
    """(红色, 黄色, firms named) among the warnings shown."""
    red, yellow = (int((shown["severity"] == level).sum()) for level in ("红色", "黄色"))
    return red, yellow, int(shown.loc[shown["scope"] == "企业", "credit_code"].nunique())
