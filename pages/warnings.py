"""预警: the rules of warnings.toml on the monthly data as of a month — who is behind, why, since when —
and this year's targets after N months (年内进度)."""

import streamlit as st

from plantrack.app import data, monthly_views, url_state
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
    + "预计档次：按1—N月数据和以往年度的月度分布预计全年，再按亩均评价办法评价。规则与口径见「口径说明」。"
)

monthly_views.warning_list(found, rules, year, month)

monthly_views.in_year_section(year, month, key="warnings_in_year")
