"""What the monthly data show on more than one page: this year's targets after N months (年内进度)."""

from __future__ import annotations

import streamlit as st

from plantrack.app import data, widgets
from plantrack.report import tables


def in_year_section(
    year: int | None = None, month: int | None = None, key: str = "in_year"
) -> None:
    """年内进度（截至YYYY年M月）: the targets due this year that monthly data follow, with 完成率 and 序时进度
    by month. Without a month: the latest month of the monthly data; nothing without monthly data."""
    if year is None or month is None:
        months = data.data_months()
        if not months:
            return
        year, month = months[0]
    st.subheader(f"年内进度（截至{year}年{month}月）")
    progress = data.in_year_progress(year, month)
    if progress.empty:
        st.caption(f"{year}年没有可按企业月度数据跟踪的当年目标。")
        return
    widgets.table(
        data.computed(tables.in_year_table, progress),
        key=key,
        name=f"年内进度_{year}年{month}月",
        notes={"截至年度": f"{year}年", "截至月份": f"{year}年{month}月"},
    )
    st.caption(
        "序时进度按月：线性为 N/12，季节为以往完整年度全区1—N月占全年的比重；亩均税收按1—N月折全年与全年目标"
        "直接比较。按年度的进度（截至年度）不受影响；逐月预警见「预警」页。"
    )
