"""镇街任务: each 本区 plan's town quotas (附件5), the 赛马 ranking, the application pipeline, 亩均 by town;
then one town's own view (its quota row, its rank among all towns, its 申报 and 低效 firms)."""

import streamlit as st

from plantrack.app import data, leadership_views, widgets
from plantrack.engine import quotas
from plantrack.model.reference import DISTRICT
from plantrack.report import charts, tables

as_of = data.as_of_year()
config = data.config()
widgets.phone_layout()
st.title("镇街任务")
plan = leadership_views.quota_plan_choice(as_of)
viewer = data.viewer_town()
cells = data.query("town_factory_fulfillment", quotas=quotas.quota_param(plan))
progress = data.fulfilled(plan, as_of)
standing = data.computed(quotas.ranking, cells, as_of)

line = leadership_views.town_view(progress, standing, viewer, as_of)

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
    st.markdown(data.computed(leadership_views.boards_text, standing))
widgets.quota_outlook(progress, as_of, plan.end)
ledger = data.query("ledger/import_ledger")
st.caption(
    "来源："
    + data.computed(
        tables.source_words,
        ledger,
        data.is_demo(),
        ["awards"],
        "任务数取自规划附件5（逐格录入）；算法见口径说明 §6",
    )
)
widgets.quota_warnings(plan)

leadership_views.applications_by_stage(plan, as_of)

st.subheader("全区各镇街亩均效益")
by_town = data.query("town_indicators", year=as_of, line=line.line, park_only=line.park_only)
yearly = data.query("yearly_indicators", town=None)
reference = data.computed(leadership_views.district_mu_tax, yearly, as_of)
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
    charts.town_bars,
    by_town,
    "low_efficiency_count",
    low_count.label,
    low_count.unit,
    f"各镇街{low_count.label}：{'园区' if line.park_only else ''}参评企业亩均税收低于{line.line:g}万元/亩（{as_of}年）",
    container=right,
    key="towns_low_efficiency",
)
widgets.small_cells_note(by_town)
st.caption(
    f"{DISTRICT}合计为各镇街企业合计之比。来源："
    + data.computed(
        tables.source_words, ledger, data.is_demo(), ["enterprise_years"], "算法见口径说明 §6a"
    )
)
