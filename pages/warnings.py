"""预警: the rules of warnings.toml on the monthly data as of a month — who is behind, why, since when —
and this year's targets after N months (年内进度)."""

import streamlit as st

from plantrack.app import data, monthly_views, url_state, widgets
from plantrack.report import tables
from plantrack.report.formatting import plain

st.title("预警")
rules, problems = data.warning_rules()
for error in problems.errors:
    st.error(plain(error), icon=":material/error:")
months = data.data_months()
if rules is None or not months:
    st.info("还没有企业月度数据，或预警规则无法读取：导入企业月度数据后即可按月预警。")
    st.stop()

options = [f"{y}-{m:02d}" for y, m in months]
picked = url_state.selectbox(
    "截至月份",
    options,
    param="month",
    key="warnings_month",
    default=f"{shared[0]}-{shared[1]:02d}" if (shared := data.month_in_view()) else options[0],
    format_func=lambda ym: f"{ym[:4]}年{int(ym[5:])}月",
)
year, month = int(picked[:4]), int(picked[5:])
found = data.warnings_as_of(rules, year, month)
viewer = data.viewer_town()
st.caption(
    f"截至{year}年{month}月 · 规则 {len(rules.rules)} 条（阈值、同比、连续下滑、镇街排名、落后序时、"
    "低于本镇街均值、按1—N月预计档次），每月判断；“持续自”为连续满足该规则的起始月份。"
    + (f"企业预警仅含{plain(viewer)}的企业。" if viewer else "")
    + "规则与口径见「口径说明」。"
)

left, middle, right = st.columns(3)
towns = sorted(found["town"].unique())
chosen_towns = url_state.multiselect(
    "镇街",
    towns,
    param="towns",
    key="warnings_towns",
    default=[],
    container=left,
    placeholder="全部镇街",
)
labels = [rule.label for rule in rules.rules]
chosen_rules = url_state.multiselect(
    "预警规则",
    labels,
    param="rules",
    key="warnings_rules",
    default=[],
    container=middle,
    placeholder="全部规则",
)
severity = url_state.segmented(
    "级别",
    ["全部", "红色", "黄色"],
    param="severity",
    key="warnings_severity",
    default="全部",
    container=right,
)
shown = data.computed(tables.filter_warnings, found, chosen_towns, chosen_rules, severity)

red, yellow = (int((shown["severity"] == level).sum()) for level in ("红色", "黄色"))
firms = shown.loc[shown["scope"] == "企业", "credit_code"].nunique()
a, b, c = st.columns(3)
a.metric("红色预警", f"{red} 条")
b.metric("黄色预警", f"{yellow} 条")
c.metric("涉及企业", f"{firms} 家")
widgets.table(
    data.computed(tables.warnings_table, shown),
    key="warnings_table",
    name=f"预警清单_{year}年{month}月",
    notes={
        "截至年度": f"{year}年",
        "截至月份": f"{year}年{month}月",
        "镇街": "、".join(chosen_towns) or "全部",
        "规则": "、".join(chosen_rules) or "全部",
        "级别": severity,
    },
    full=lambda: tables.warnings_export(shown),
    height=min(520, 35 * (len(shown) + 1) + 3),
)
st.caption("预计档次：按1—N月数据和以往年度的月度分布预计全年，再按亩均评价办法评价。")

monthly_views.in_year_section(year, month, key="warnings_in_year")
