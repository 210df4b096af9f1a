"""镇街任务: 三大工厂 quotas by town (附件5), the 赛马 ranking, the application pipeline, 亩均 by town."""

import streamlit as st

from plantrack import charts, tables, towns, ui
from plantrack.reference import DISTRICT

as_of = ui.as_of_year()
config = ui.config()
plan = next(plan for plan in config.plans if plan.quotas)
st.title("镇街任务")
st.caption(f"{plan.title}（{plan.doc_no}）附件5 各镇街（平台）任务分解 · 截至{as_of}年累计")

cells = ui.query("town_factory_fulfillment", quotas=towns.quota_param(plan))
progress = towns.fulfillment(cells, plan, as_of, config.status)
left, right = st.columns([3, 2])
ui.chart(
    container=left,
    fig=charts.quota_matrix(
        progress, config.status.colors, f"各镇街三大工厂认定数/应完成数（截至{as_of}年）"
    ),
    key="towns_matrix",
)
standing = towns.ranking(cells, as_of)
ui.chart(
    container=right,
    fig=charts.town_ranking(standing, f"镇街赛马排名（截至{as_of}年）"),
    key="towns_ranking",
)
if not standing.empty:
    red = "、".join(standing[standing["board"] == "红榜"]["town"])
    black = "、".join(standing[standing["board"] == "黑榜"]["town"])
    right.markdown(f":green[**红榜**] {red}  \n:red[**黑榜**] {black}")
st.caption(
    "查询：queries/town_factory_fulfillment.sql；任务数取自 targets.toml（附件5 逐格录入）；规则见「口径说明」。"
)
ui.quota_warnings()

st.subheader("申报进度")
year_options = list(range(plan.start, plan.end + 1))
ui.url_choice("pyear", "towns_pipeline_year", year_options, min(max(as_of, plan.start), plan.end))
pipeline_year = st.selectbox(
    "申报年度", year_options, key="towns_pipeline_year", format_func=lambda y: f"{y}年"
)
ui.remember("pyear", "towns_pipeline_year")
pipeline = ui.query("application_pipeline", year=pipeline_year, town=None)
ui.chart(
    fig=charts.pipeline_bars(pipeline, f"{pipeline_year}年三大工厂申报—推荐—初审—认定（家）"),
    key="towns_pipeline",
)

town_names = list(dict.fromkeys(progress.sort_values("sort_order")["town"]))
ui.url_choice("town", "towns_town", town_names, town_names[0])
town = st.selectbox("查看镇街", town_names, key="towns_town")
ui.remember("town", "towns_town")
mine = progress[progress["town"] == town]
ui.table(
    tables.town_quota_table(mine),
    key="towns_quota_table",
    name=f"{town}三大工厂任务完成情况_{as_of}",
)
applications = ui.query("town_applications", town=town, year=None)
st.markdown(f"**{town}的三大工厂申报企业**（{len(applications)} 条，含未通过及原因）")
ui.table(
    tables.applications_table(applications),
    key="towns_applications",
    name=f"{town}三大工厂申报企业",
)

st.subheader("各镇街亩均效益")
lines = {line.label: line.line for line in config.low_efficiency_lines}
ui.url_choice("line", "towns_line", list(lines), next(iter(lines)))
line_label = st.selectbox("低效企业标准（亩均税收低于）", list(lines), key="towns_line")
ui.remember("line", "towns_line")
by_town = ui.query("town_indicators", year=as_of, line=lines[line_label])
district = ui.query("yearly_indicators", town=None).set_index("year")
reference = float(district.loc[as_of, "mu_tax_wan_per_mu"]) if as_of in district.index else None
left, right = st.columns(2)
ui.chart(
    container=left,
    fig=charts.town_bars(
        by_town,
        "mu_tax_wan_per_mu",
        "规上工业亩均税收",
        "万元/亩",
        f"各镇街规上工业亩均税收（{as_of}年）",
        reference,
    ),
    key="towns_mu_tax",
)
ui.chart(
    container=right,
    fig=charts.town_bars(
        by_town,
        "low_efficiency_count",
        "低效企业",
        "家",
        f"各镇街亩均税收{lines[line_label]:g}万元/亩以下企业（{as_of}年）",
    ),
    key="towns_low_efficiency",
)
st.caption(
    f"{DISTRICT}合计为各镇街企业合计之比。查询：queries/town_indicators.sql、queries/yearly_indicators.sql"
)
