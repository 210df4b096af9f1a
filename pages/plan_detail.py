"""规划详情: every target of one plan with its clause, 口径 and the data behind it."""

import streamlit as st

from plantrack.app import data, plan_views, widgets
from plantrack.model.reference import STATUSES
from plantrack.report import charts, tables
from plantrack.report.formatting import plain

as_of = data.as_of_year()
config = data.config()
plans = {plan.id: plan for plan in config.plans}
plan_id = st.selectbox(
    "规划",
    options=list(plans),
    format_func=lambda key: f"{plans[key].short} · {plans[key].title}",
    key="plan_detail_plan",
)
plan = plans[plan_id]
st.title(plain(plan.short))
st.caption(
    plain(
        f"{plan.title} · {plan.doc_no or '（无文号）'} · {plan.start}—{plan.end}年 · {plan.jurisdiction} · 截至{as_of}年"
    )
)

plan_views.version_caption(plan.id, as_of)

rows = data.progress_frame(as_of, plan_id=plan.id)
labels = config.status.labels
chosen = st.multiselect(
    "状态",
    options=STATUSES,
    default=STATUSES,
    format_func=labels.get,
    key="plan_detail_status",
)
shown = rows[rows["status"].isin(chosen)]
widgets.chart(
    charts.progress_bars,
    shown,
    labels,
    config.status.colors,
    f"{plan.short}各项目标完成率与序时进度（截至{as_of}年）",
    key="plan_detail_bars",
)
widgets.table(
    data.computed(tables.progress_table, shown, labels),
    key="plan_detail_table",
    name=f"{plan.short}目标完成情况_{as_of}",
    notes={"规划": plan.title, "状态筛选": "、".join(labels[s] for s in chosen)},
    full=lambda: tables.progress_export(shown, labels),
    column_config={"能否完成": st.column_config.TextColumn(width="large")},
)
st.caption(
    "“说明”列是对规划原文的解读与口径差异（targets.toml 的 note）；“数据来源”列写明每个数字来自哪个查询文件"
    "的哪一列，或哪项上报指标；计算规则见「口径说明」页。"
)
noted = shown[shown["note"].fillna("") != ""]
if not noted.empty:
    with st.expander(f"本规划 {len(noted)} 项目标的口径说明", icon=":material/info:"):
        for row in noted.itertuples():
            st.markdown(f"- **{plain(row.label)}（{row.year}年）**：{plain(row.note)}")
if plan.quotas:
    widgets.quota_warnings(plan)
plan_views.history(plan.id)
