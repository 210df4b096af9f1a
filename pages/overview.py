"""总览: what needs action first (预警, what the latest import changed), then the 本区 plans, then the
district's 亩均 indicators and grades. Each part is drawn once per data version, viewer and 截至, and
replayed to later visitors (plantrack.app.replay); a chart's 导出图片 is made where its part ends."""

import streamlit as st

from plantrack.app import data, leadership_views, monthly_views, widgets
from plantrack.app.replay import drawn
from plantrack.report import charts, tables
from plantrack.report.formatting import delta, number, plain

# the catalogue's metrics (targets.toml): their label, unit and column of yearly_indicators.sql
INDICATORS = [
    "mu_tax_above_scale",
    "mu_value_added_above_scale",
    "rd_ratio_above_scale",
    "labour_productivity_above_scale",
]


def actions(as_of: int) -> None:
    """The title, how fresh the data is, the plans' headline and the 预警 list."""
    st.title("定海区制造业规划进度看板")
    ledger = data.query("ledger/import_ledger")
    st.caption(plain(data.computed(tables.freshness, ledger, as_of, data.is_demo())))
    progress = data.progress_frame(as_of)
    selection = data.own_plans(as_of)
    st.markdown(f"**{plain(data.computed(tables.plans_headline, progress, selection))}**")

    st.subheader(f"预警：需重点推进（截至{as_of}年）")
    warned = data.warnings(as_of)
    targets_count = data.computed(leadership_views.target_warnings, warned)
    st.caption(
        f"本区在实施的规划中严重滞后或预计难以完成的目标 {targets_count} 项、落后于序时进度的镇街任务格"
        f" {len(warned) - targets_count} 个，差距大的在前；点击查看详情。预计只是趋势，算法见口径说明 §10。"
    )
    widgets.warning_list(warned, as_of, key="overview_warnings")


def changes_and_plans(as_of: int) -> None:
    widgets.since_last_import(as_of)
    leadership_views.plan_status_chart(data.progress_frame(as_of), data.own_plans(as_of), as_of)


def plans_and_indicators(as_of: int) -> bool:
    """The plans' cards, then the district's 亩均 indicators (False: no annual data yet)."""
    leadership_views.plan_cards(data.progress_frame(as_of), data.own_plans(as_of), as_of)
    widgets.quota_warnings()
    st.subheader("全区亩均效益")
    st.caption("规上工业企业口径 · 区域亩均指标为合计值之比（总税收 ÷ 总用地）")
    yearly = data.up_to_as_of("yearly_indicators", town=None)
    if yearly.empty:
        st.info(
            "尚无规上工业企业年度数据。导入「企业年度数据」后，这里显示全区亩均效益与评价档次。"
        )
        return False
    latest = yearly.iloc[-1]
    previous = yearly.iloc[-2] if len(yearly) > 1 else None
    metrics = data.config().metrics
    for column, key in zip(st.columns(len(INDICATORS)), INDICATORS, strict=True):
        field, label, unit = metrics[key].column, metrics[key].label, metrics[key].unit
        change = None if previous is None else delta(latest[field] - previous[field], unit)
        column.metric(f"{label}（{as_of}年）", number(latest[field], unit), delta=change)
    field = metrics[INDICATORS[0]].column
    monthly_views.year_to_date(latest[field])  # the current year so far, beside the last year
    return True


def indicator_chart(as_of: int, key: str) -> None:
    metric = data.config().metrics[key]
    yearly = data.up_to_as_of("yearly_indicators", town=None)
    widgets.chart(
        charts.yearly_line,
        yearly,
        metric.column,
        metric.label,
        metric.unit,
        f"定海区{metric.label}（{yearly['year'].min()}—{as_of}年）",
        key=f"overview_chart_{metric.column}",
    )


def grades(as_of: int) -> None:
    st.subheader("亩均评价档次分布")
    distribution = data.up_to_as_of("grade_distribution")
    above, first, _ = data.computed(leadership_views.grades_above_scale, distribution, as_of)
    widgets.chart(
        charts.grade_bars,
        above,
        f"规上工业企业亩均评价档次（家，{first}—{as_of}年）",
        key="overview_chart_grades",
    )


def grades_source(as_of: int) -> None:
    distribution = data.up_to_as_of("grade_distribution")
    _, _, computed = data.computed(leadership_views.grades_above_scale, distribution, as_of)
    ledger = data.query("ledger/import_ledger")
    st.caption(
        f"档次以官方公布为准；未公布的年份按 {data.config().grading.name} 测算（{as_of}年测算 {computed} 家）。"
        "来源："
        + data.computed(
            tables.source_words, ledger, data.is_demo(), ["enterprise_years"], "算法见口径说明 §6b"
        )
    )


as_of = data.as_of_year()
widgets.phone_layout()
drawn(actions, as_of)
drawn(changes_and_plans, as_of)
if not drawn(plans_and_indicators, as_of):
    st.stop()
left, right = st.columns(2)
for index, key in enumerate(INDICATORS):
    with left if index % 2 == 0 else right:
        drawn(indicator_chart, as_of, key)
drawn(grades, as_of)
drawn(grades_source, as_of)
monthly_views.in_year_section(key="overview_in_year")  # this year after N months (monthly data)
