"""镇街任务: each 本区 plan's town quotas (附件5), the 赛马 ranking, the application pipeline, 亩均 by town;
then one town's own view (its quota row, its rank among all towns, its 申报 and 低效 firms). The parts
between the pickers are drawn once per data version, viewer and choice, and replayed
(plantrack.app.replay)."""

import streamlit as st

from plantrack.app import data, filters, leadership_views, widgets
from plantrack.app.replay import drawn
from plantrack.model.reference import DISTRICT
from plantrack.report import charts, tables


def _plan(plan_id: str, as_of: int):
    return leadership_views.quota_plans(as_of)[plan_id]


def matrix(plan_id: str, as_of: int) -> None:
    st.subheader("全区各镇街")
    st.caption(
        "三大工厂任务矩阵：每格为该镇街已认定数/截至当年应完成数（家），颜色为状态；悬停看全期任务。"
    )
    widgets.chart(
        charts.quota_matrix,
        data.fulfilled(_plan(plan_id, as_of), as_of),
        data.config().status.colors,
        f"各镇街认定/应完成（截至{as_of}年）",
        key="towns_matrix",
    )


def ranking(plan_id: str, as_of: int) -> None:
    widgets.chart(
        charts.town_ranking,
        leadership_views.standing(plan_id, as_of),
        f"全区镇街赛马排名（截至{as_of}年）",
        key="towns_ranking",
    )


def outlook(plan_id: str, as_of: int) -> None:
    plan = _plan(plan_id, as_of)
    standing = leadership_views.standing(plan_id, as_of)
    if not standing.empty:
        st.markdown(data.computed(leadership_views.boards_text, standing))
    widgets.quota_outlook(data.fulfilled(plan, as_of), as_of, plan.end)
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


def town_bars(as_of: int, line: filters.Line, low: bool) -> None:
    """The towns' 亩均 bars: the tax per mu (the district's line across), or, with `low`, how many
    firms are under the 低效 line chosen."""
    config = data.config()
    by_town = data.query("town_indicators", year=as_of, line=line.line, park_only=line.park_only)
    if not low:
        mu_tax = config.metrics["mu_tax_above_scale"]
        yearly = data.query("yearly_indicators", town=None)
        reference = data.computed(leadership_views.district_mu_tax, yearly, as_of)
        title = f"各镇街{mu_tax.label}（{as_of}年）"
        widgets.chart(
            charts.town_bars,
            by_town,
            mu_tax.column,
            mu_tax.label,
            mu_tax.unit,
            title,
            reference,
            key="towns_mu_tax",
        )
        return
    count = config.metrics["low_efficiency_count"]
    park = "园区" if line.park_only else ""
    widgets.chart(
        charts.town_bars,
        by_town,
        "low_efficiency_count",
        count.label,
        count.unit,
        f"各镇街{count.label}：{park}参评企业亩均税收低于{line.line:g}万元/亩（{as_of}年）",
        key="towns_low_efficiency",
    )


def town_bars_notes(as_of: int, line: filters.Line) -> None:
    by_town = data.query("town_indicators", year=as_of, line=line.line, park_only=line.park_only)
    widgets.small_cells_note(by_town)
    ledger = data.query("ledger/import_ledger")
    st.caption(
        f"{DISTRICT}合计为各镇街企业合计之比。来源："
        + data.computed(
            tables.source_words, ledger, data.is_demo(), ["enterprise_years"], "算法见口径说明 §6a"
        )
    )


as_of = data.as_of_year()
widgets.phone_layout()
st.title("镇街任务")
plan = leadership_views.quota_plan_choice(as_of)
line = leadership_views.town_view(plan.id, as_of)

drawn(matrix, plan.id, as_of)
drawn(ranking, plan.id, as_of)
drawn(outlook, plan.id, as_of)

leadership_views.applications_by_stage(plan, as_of)

st.subheader("全区各镇街亩均效益")
left, right = st.columns(2)
with left:
    drawn(town_bars, as_of, line, False)
with right:
    drawn(town_bars, as_of, line, True)
drawn(town_bars_notes, as_of, line)
