"""镇街任务: each 本区 plan's town quotas (附件5), the 赛马 ranking, the application pipeline, 亩均 by town;
then one town's own view (its quota row, its rank among all towns, its 申报 and 低效 firms)."""

import streamlit as st

from plantrack.app import data, filters, url_state, widgets
from plantrack.engine import leadership, quotas
from plantrack.model.reference import DISTRICT
from plantrack.report import charts, tables
from plantrack.report.formatting import plain

as_of = data.as_of_year()
config = data.config()
widgets.phone_layout()
st.title("镇街任务")
quota_plans = {plan.id: plan for plan in data.own_plans(as_of).plans if plan.quotas}
if not quota_plans:
    st.info("本区规划中没有分解到镇街的任务。")
    st.stop()
plan_id = url_state.selectbox(
    "规划",
    list(quota_plans),
    param="plan",
    key="towns_plan",
    default=next(iter(quota_plans)),
    format_func=lambda key: (
        f"{quota_plans[key].short}（{quota_plans[key].start}—{quota_plans[key].end}年）"
    ),
)
plan = quota_plans[plan_id]
ended = leadership.is_ended(plan, as_of)
st.caption(
    plain(
        f"{plan.title}（{plan.doc_no or '无文号'}）· {leadership.tag(plan)} · 各镇街（平台）任务分解 · "
        f"截至{min(as_of, plan.end)}年累计" + ("（已结束 · 终期）" if ended else "")
    )
)
viewer = data.viewer_town()
cells = data.query("town_factory_fulfillment", quotas=quotas.quota_param(plan))
progress = data.fulfilled(plan, as_of)
standing = data.computed(quotas.ranking, cells, as_of)

tasked = progress[progress["quota_total"] > 0]
lagging = int(tasked["status"].isin(["behind", "far_behind"]).sum())
st.markdown(
    f"**全区：已认定 {int(tasked['awarded'].sum())} 家/截至当年应完成 {int(tasked['quota_due'].sum())} 家，"
    f"落后于序时进度的镇街任务格 {lagging} 个**（逐项见「总览」预警）"
)
town_names = list(dict.fromkeys(progress.sort_values("sort_order")["town"]))
town = url_state.selectbox(
    "查看镇街",
    town_names,
    param="town",
    key="towns_town",
    default=viewer if viewer in town_names else town_names[0],
)
mine = progress[progress["town"] == town]
st.subheader(f"本镇街：{plain(town)}")
need = sum(
    max(int(t) - int(a), 0) for t, a in zip(mine["quota_total"], mine["awarded"], strict=True)
)
st.markdown(
    plain(
        f"{town}在全区镇街赛马中{tables.rank_text(standing, town)}；三大工厂已认定"
        f"{int(mine['awarded'].sum())}家，截至当年应完成{int(mine['quota_due'].sum())}家，"
        f"全期任务{int(mine['quota_total'].sum())}家，还需{need}家。"
    )
)
widgets.table(
    data.computed(tables.town_quota_table, mine),
    key="towns_quota_table",
    name=f"{town}三大工厂任务完成情况_{as_of}",
    full=lambda: tables.town_quota_export(mine),
)
applications = data.up_to_as_of("town_applications", town=town, year=None)
st.markdown(
    f"**本镇街三大工厂申报**：{plain(town)}截至{as_of}年 {len(applications)} 件，含未通过及原因"
)
widgets.table(
    data.computed(tables.applications_table, applications),
    key="towns_applications",
    name=f"{town}三大工厂申报企业",
)
line = filters.low_efficiency_line(config, "towns")
low = data.query("low_efficiency_enterprises", year=as_of, line=line.line, park_only=line.park_only)
low = low[low["town"] == town]
st.markdown(
    f"**本镇街低效企业**：{plain(town)}{as_of}年{'园区' if line.park_only else ''}参评企业中"
    f"亩均税收低于 {line.line:g} 万元/亩的 {len(low)} 家"
)
widgets.table(
    data.computed(tables.low_efficiency_frame, low),
    key="towns_low_table",
    name=f"{town}低效企业_{line.line:g}万元_{as_of}",
)

st.subheader("全区各镇街")
st.caption(
    "三大工厂任务矩阵：每格为该镇街已认定数/截至当年应完成数（家），颜色为状态；悬停看全期任务。"
)
widgets.chart(
    charts.quota_matrix,
    progress,
    config.status.colors,
    f"各镇街认定/应完成（截至{as_of}年）",
    key="towns_matrix",
)
widgets.chart(
    charts.town_ranking,
    standing,
    f"全区镇街赛马排名（截至{as_of}年）",
    key="towns_ranking",
)
if not standing.empty:
    red = "、".join(standing[standing["board"] == "红榜"]["town"])
    black = "、".join(standing[standing["board"] == "黑榜"]["town"])
    st.markdown(f":green[**红榜**] {plain(red)}  \n:red[**黑榜**] {plain(black)}")
widgets.quota_outlook(progress, as_of, plan.end)
ledger = data.query("ledger/import_ledger")
st.caption(
    "来源："
    + tables.source_words(
        ledger, data.is_demo(), ["awards"], "任务数取自规划附件5（逐格录入）；算法见口径说明 §6"
    )
)
widgets.quota_warnings(plan)

st.subheader("全区申报进度")
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
    f"全区{pipeline_year}年三大工厂申报—推荐—初审—认定（件）",
    key="towns_pipeline",
)

st.subheader("全区各镇街亩均效益")
by_town = data.query("town_indicators", year=as_of, line=line.line, park_only=line.park_only)
district = data.query("yearly_indicators", town=None).set_index("year")
reference = float(district.loc[as_of, "mu_tax_wan_per_mu"]) if as_of in district.index else None
mu_tax, low_count = config.metrics["mu_tax_above_scale"], config.metrics["low_efficiency_count"]
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
    charts.town_bars, by_town, "low_efficiency_count", low_count.label, low_count.unit,
    f"各镇街{low_count.label}：{'园区' if line.park_only else ''}参评企业亩均税收低于{line.line:g}万元/亩（{as_of}年）",
    container=right, key="towns_low_efficiency",
)  # fmt: skip
widgets.small_cells_note(by_town)
st.caption(
    f"{DISTRICT}合计为各镇街企业合计之比。来源："
    + tables.source_words(ledger, data.is_demo(), ["enterprise_years"], "算法见口径说明 §6a")
)
