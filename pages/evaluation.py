"""亩均评价: analysts filter enterprises by grade, town, industry, scale and park; 低效企业 lists. The parts
between the filters are drawn once per data version, viewer and filters, and replayed
(plantrack.app.replay)."""

import streamlit as st

from plantrack.app import data, filters, leadership_views, url_state, widgets
from plantrack.app.replay import drawn
from plantrack.report import charts, tables
from plantrack.report.formatting import plain

SCATTER_POINTS = 3000  # beyond this a scatter is a blot, and slow to send


def heading() -> None:
    st.title("亩均评价")
    method = data.config().grading
    st.caption(
        f"档次：官方公布优先，其余按 {plain(method.name)} 测算。参评：有用地和税收数据，规下企业用地 ≥ "
        f"{method.min_land_below_scale:g} 亩，投产满 {method.min_age_years} 年（低效企业也只在参评企业中统计）。"
        "规则见「口径说明」。"
    )


def listing(params: dict, notes: dict) -> int:
    """How many firms the filters keep, and the first widgets.SHOWN_ROWS of them; returns how many."""
    summary = data.query("evaluation_summary", **params)
    total = int(summary["enterprise_count"].sum())
    st.markdown(f"**符合条件的企业 {total:,} 家**（{params['year']}年）")
    read = data.reader().query  # what a download reads, after the run: as this viewer may
    listed = lambda limit: data.computed(  # noqa: E731 — the table and its download
        tables.evaluation_frame,
        read("enterprise_evaluation", **params, limit=limit, sample=False),
    )
    widgets.table(
        listed(widgets.SHOWN_ROWS),
        key="evaluation_table",
        name=f"亩均评价企业清单_{params['year']}",
        notes={
            **notes,
            "评价办法": data.config().grading.name,
            "来源": "企业年度数据；档次按评价办法测算，官方公布的优先（口径说明 §6b）",
        },
        full=lambda: listed(None),
        total=total,
        height=420,
    )
    return total


def grade_shares(params: dict, by: str, what: str) -> None:
    widgets.chart(
        charts.grade_share_bars,
        data.query("evaluation_summary", **params),
        by,
        f"{what}亩均评价档次（{params['year']}年，家）",
        key=f"evaluation_by_{by}",
    )


def scatter(params: dict, total: int) -> None:
    sampled = total > SCATTER_POINTS
    limit = SCATTER_POINTS if sampled else None
    dots = data.query("enterprise_evaluation", **params, limit=limit, sample=sampled)
    picked = f"，随机抽取 {SCATTER_POINTS:,} 家" if sampled else ""
    widgets.chart(
        charts.mu_scatter,
        dots,
        f"亩均税收与亩均增加值（{params['year']}年，按档次{picked}）",
        key="evaluation_scatter",
    )


def low_list(year: int, line: filters.Line) -> None:
    low = data.query(
        "low_efficiency_enterprises", year=year, line=line.line, park_only=line.park_only
    )
    st.markdown(
        f"**{year}年{line.scope}参评企业中亩均税收低于 {line.line:g} 万元/亩的 {len(low)} 家**"
    )
    widgets.table(
        data.computed(tables.low_efficiency_frame, low),
        key="evaluation_low_table",
        name=f"低效企业清单_{line.line:g}万元_{year}",
        notes={
            "年度": f"{year}年",
            "标准": f"亩均税收低于 {line.line:g} 万元/亩（{line.scope}）",
            "来源": "企业年度数据；参评与低效的含义见口径说明 §6a",
        },
        height=320,
    )


years = data.data_years()
drawn(heading)
chosen = filters.enterprise_filters("evaluation", years, data.as_of_year())
year = chosen.params["year"]
total = drawn(listing, chosen.params, chosen.notes)

if total:
    left, right = st.columns(2)
    with left:
        drawn(grade_shares, chosen.params, "town", "各镇街")
    with right:
        drawn(grade_shares, chosen.params, "industry", "各行业")
    drawn(scatter, chosen.params, total)
    if total > SCATTER_POINTS:
        st.caption(
            f"共 {total:,} 家，散点图按统一社会信用代码的哈希值固定抽取 {SCATTER_POINTS:,} 家（每次相同）；"
            "各档次家数以上方两图为准。"
        )

st.subheader("档次变化")
earlier = [y for y in years if y < year]
if earlier:
    from_year = url_state.year(
        "与哪一年比较", earlier, param="from", key="evaluation_from_year", default=earlier[-1]
    )
    computed = filters.grade_basis("evaluation", from_year, year, data.config().grading.name)
    pair = {"from_year": from_year, "to_year": year, "computed": computed}
    left, right = st.columns([2, 3])
    with left:
        drawn(leadership_views.grade_moves_chart, pair)
    with right:
        drawn(leadership_views.grade_moves_list, pair, widgets.SHOWN_ROWS)
else:
    st.caption("所选年度之前没有数据，无法比较。")

st.subheader("低效企业")
line = filters.low_efficiency_line(data.config(), "evaluation", custom=True)
drawn(low_list, year, line)
