"""镇街任务: 三大工厂 quotas by town (附件5), the 赛马 ranking, the application pipeline, 亩均 by town."""

import streamlit as st

from plantrack.app import data, filters, url_state, widgets
from plantrack.engine import quotas
from plantrack.model.reference import DISTRICT
from plantrack.report import charts, tables
from plantrack.report.formatting import plain

as_of = data.as_of_year()
config = data.config()
plan = next(plan for plan in config.plans if plan.quotas)
st.title("镇街任务")
st.caption(
    f"{plain(plan.title)}（{plain(plan.doc_no)}）附件5 各镇街（平台）任务分解 · 截至{as_of}年累计"
)

cells = data.query("town_factory_fulfillment", quotas=quotas.quota_param(plan))
progress = data.computed(quotas.fulfillment, cells, plan, as_of, config.status)
left, right = st.columns([3, 2])
widgets.chart(
    charts.quota_matrix,
    progress,
    config.status.colors,
    f"各镇街三大工厂认定数/应完成数（截至{as_of}年）",
    container=left,
    key="towns_matrix",
)
standing = data.computed(quotas.ranking, cells, as_of)
widgets.chart(
    charts.town_ranking,
    standing,
    f"镇街赛马排名（截至{as_of}年）",
    container=right,
    key="towns_ranking",
)
if not standing.empty:
    red = "、".join(standing[standing["board"] == "红榜"]["town"])
    black = "、".join(standing[standing["board"] == "黑榜"]["town"])
    right.markdown(f":green[**红榜**] {plain(red)}  \n:red[**黑榜**] {plain(black)}")
widgets.quota_outlook(progress, as_of, plan.end)
st.caption(
    "查询：queries/town_factory_fulfillment.sql；任务数取自 targets.toml（附件5 逐格录入）；规则见「口径说明」。"
)
widgets.quota_warnings()

st.subheader("申报进度")
year_options = list(range(plan.start, plan.end + 1))
pipeline_year = url_state.selectbox(
    "申报年度",
    year_options,
    param="pyear",
    key="towns_pipeline_year",
    default=min(max(as_of, plan.start), plan.end),
    format_func=lambda y: f"{y}年",
)
pipeline = data.query("application_pipeline", year=pipeline_year, town=None)
widgets.chart(
    charts.pipeline_bars,
    pipeline,
    f"{pipeline_year}年三大工厂申报—推荐—初审—认定（件）",
    key="towns_pipeline",
)

town_names = list(dict.fromkeys(progress.sort_values("sort_order")["town"]))
town = url_state.selectbox(
    "查看镇街", town_names, param="town", key="towns_town", default=town_names[0]
)
mine = progress[progress["town"] == town]
widgets.table(
    data.computed(tables.town_quota_table, mine),
    key="towns_quota_table",
    name=f"{town}三大工厂任务完成情况_{as_of}",
    full=lambda: tables.town_quota_export(mine),
)
applications = data.up_to_as_of("town_applications", town=town, year=None)
st.markdown(
    f"**{plain(town)}的三大工厂申报**（截至{as_of}年 {len(applications)} 件，含未通过及原因）"
)
widgets.table(
    data.computed(tables.applications_table, applications),
    key="towns_applications",
    name=f"{town}三大工厂申报企业",
)

st.subheader("各镇街亩均效益")
line = filters.low_efficiency_line(config, "towns")
by_town = data.query("town_indicators", year=as_of, line=line.line, park_only=line.park_only)
district = data.query("yearly_indicators", town=None).set_index("year")
reference = float(district.loc[as_of, "mu_tax_wan_per_mu"]) if as_of in district.index else None
mu_tax, low = config.metrics["mu_tax_above_scale"], config.metrics["low_efficiency_count"]
left, right = st.columns(2)
widgets.chart(
    charts.town_bars,
    by_town,
    mu_tax.column,
    mu_tax.label,
    mu_tax.unit,
    f"各镇街{mu_tax.label}（{as_of}年）",
    reference,
    container=left,
    key="towns_mu_tax",
)
widgets.chart(
    charts.town_bars,
    by_town,
    "low_efficiency_count",
    low.label,
    low.unit,
    f"各镇街{low.label}：{'园区' if line.park_only else ''}参评企业亩均税收低于{line.line:g}万元/亩（{as_of}年）",
    container=right,
    key="towns_low_efficiency",
)
widgets.small_cells_note(by_town)
st.caption(
    f"{DISTRICT}合计为各镇街企业合计之比。查询：queries/town_indicators.sql、queries/yearly_indicators.sql"
)
