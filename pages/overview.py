"""总览: every plan's targets at a glance, then the district's 亩均 indicators and grades."""

import streamlit as st

from plantrack.app import data, monthly_views, widgets
from plantrack.model.reference import STATUS_ORDER
from plantrack.report import charts, tables
from plantrack.report.formatting import delta, number, plain

as_of = data.as_of_year()
config = data.config()
st.title("定海区制造业规划进度看板")
st.caption(f"截至 {as_of} 年 · 完成率与序时进度的口径见「口径说明」页")

progress = data.progress_frame(as_of)
counts = progress.groupby(["plan_short", "status"], sort=False).size().rename("count").reset_index()
widgets.chart(
    charts.status_counts,
    counts,
    config.status.labels,
    config.status.colors,
    f"各规划目标完成状态（截至{as_of}年）",
    key="overview_status_counts",
)

cards = data.computed(tables.plan_cards, progress, [plan.id for plan in config.plans])
for plan in config.plans:
    card = cards[plan.id]
    with st.container(border=True):
        tag = "本区规划" if plan.role == "own" else "对标规划"
        st.markdown(
            f"**{plain(plan.title)}**  \n{plain(plan.doc_no or '（无文号）')} · {plan.start}—{plan.end}年"
            f" · {plain(plan.jurisdiction)} · {tag}"
        )
        columns = st.columns(5)
        for column, status in zip(columns, STATUS_ORDER, strict=True):
            column.metric(config.status.labels[status], f"{card['counts'][status]} 项")
        if card["outlook"]:
            st.caption(card["outlook"])
        if card["behind"]:
            st.caption("最落后：" + card["behind"])

widgets.quota_warnings()

st.header("全区亩均效益")
st.caption("规上工业企业口径 · 区域亩均指标为合计值之比（总税收 ÷ 总用地）")
yearly = data.up_to_as_of("yearly_indicators", town=None)
if yearly.empty:
    st.info("尚无规上工业企业年度数据。导入「企业年度数据」后，这里显示全区亩均效益与评价档次。")
    st.stop()
latest = yearly.iloc[-1]
previous = yearly.iloc[-2] if len(yearly) > 1 else None

# the catalogue's metrics (targets.toml): label, unit and the column of yearly_indicators.sql
INDICATORS = [
    (config.metrics[key].column, config.metrics[key].label, config.metrics[key].unit)
    for key in [
        "mu_tax_above_scale",
        "mu_value_added_above_scale",
        "rd_ratio_above_scale",
        "labour_productivity_above_scale",
    ]
]
columns = st.columns(len(INDICATORS))
for column, (field, label, unit) in zip(columns, INDICATORS, strict=True):
    change = None if previous is None else delta(latest[field] - previous[field], unit)
    column.metric(f"{label}（{as_of}年）", number(latest[field], unit), delta=change)

left, right = st.columns(2)
for index, (field, label, unit) in enumerate(INDICATORS):
    target = left if index % 2 == 0 else right
    widgets.chart(
        charts.yearly_line,
        yearly,
        field,
        label,
        unit,
        f"定海区{label}（{yearly['year'].min()}—{as_of}年）",
        container=target,
        key=f"overview_chart_{field}",
    )

st.subheader("亩均评价档次分布")
distribution = data.up_to_as_of("grade_distribution")
above = distribution[distribution["grp"] == "规上"]
widgets.chart(
    charts.grade_bars,
    above,
    f"规上工业企业亩均评价档次（家，{above['year'].min()}—{as_of}年）",
    key="overview_chart_grades",
)
computed = int(above[above["year"] == as_of]["computed_count"].sum())
st.caption(
    f"档次以官方公布为准；未公布的年份按 {config.grading.name} 测算（{as_of}年测算 {computed} 家）。"
    "查询：queries/yearly_indicators.sql、queries/derived/grading.sql、queries/grade_distribution.sql"
)

monthly_views.in_year_section(key="overview_in_year")  # this year after N months (monthly data)
