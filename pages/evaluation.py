"""亩均评价: analysts filter enterprises by grade, town, industry, scale and park; 低效企业 lists."""

import streamlit as st

from plantrack.app import data, url_state, widgets
from plantrack.model.reference import GRADES, INDUSTRIES, NOT_GRADED, TOWN_NAMES
from plantrack.report import charts, tables

as_of = data.as_of_year()
config = data.config()
years = data.data_years()
st.title("亩均评价")
st.caption(f"档次：官方公布优先，其余按 {config.grading.name} 测算。规则见「口径说明」。")

grade_options = [*GRADES, NOT_GRADED]
scales = ["全部", "规上", "规下"]
parks = ["全部", "园区内", "园区外"]
row1 = st.columns([1, 3, 2, 2])
year = url_state.selectbox(
    "年度", years, param="y", key="evaluation_year", default=as_of, container=row1[0],
    format_func=lambda y: f"{y}年",
)  # fmt: skip
grades = url_state.multiselect(
    "档次", grade_options, param="grade", key="evaluation_grades", default=grade_options,
    container=row1[1], format_func=lambda g: g if g == NOT_GRADED else f"{g}类",
    placeholder="请选择档次",
)  # fmt: skip
towns = url_state.multiselect(
    "镇街", TOWN_NAMES, param="town", key="evaluation_towns", default=[], container=row1[2],
    placeholder="全部镇街",
)  # fmt: skip
industries = url_state.multiselect(
    "行业", INDUSTRIES, param="industry", key="evaluation_industries", default=[],
    container=row1[3], placeholder="全部行业",
)  # fmt: skip
row2 = st.columns([2, 2, 3])
scale = url_state.segmented(
    "规模", scales, param="scale", key="evaluation_scale", default="全部", container=row2[0]
)
park = url_state.segmented(
    "园区", parks, param="park", key="evaluation_park", default="全部", container=row2[1]
)
search = url_state.text_input(
    "企业名称或统一社会信用代码", param="q", key="evaluation_search", container=row2[2],
    placeholder="输入部分名称或代码",
)  # fmt: skip

filters = {
    "year": year,
    "grades": grades or None,
    "towns": towns or None,
    "industries": industries or None,
    "grp": None if scale == "全部" else scale,
    "in_park": None if park == "全部" else park == "园区内",
    "search": search.strip() or None,
}
SHOWN_ROWS = 2000  # a province-size result is downloaded, not scrolled
SCATTER_POINTS = 3000  # beyond this a scatter is a blot, and slow to send
summary = data.query("evaluation_summary", **filters)
total = int(summary["enterprise_count"].sum())
found = data.query("enterprise_evaluation", **filters, limit=SHOWN_ROWS, sample=False)
st.markdown(f"**符合条件的企业 {total:,} 家**（{year}年）")
table = tables.evaluation_frame(found)
st.dataframe(table, hide_index=True, height=420, key="evaluation_table")
if total > len(table):
    st.caption(f"表中显示得分最高的前 {len(table):,} 家（共 {total:,} 家）；完整结果请下载 Excel。")
notes = {
    "年度": f"{year}年",
    "档次": "、".join(grades) or "（无）",
    "镇街": "、".join(towns) or "全部",
    "行业": "、".join(industries) or "全部",
    "规模": scale,
    "园区": park,
    "搜索": search or "（无）",
    "评价办法": config.grading.name,
    "查询": "queries/enterprise_evaluation.sql、queries/derived/grading.sql",
}
widgets.xlsx_download(
    "下载筛选结果（Excel）",
    {
        "亩均评价": lambda: tables.evaluation_frame(
            data.query("enterprise_evaluation", **filters, limit=None, sample=False)
        )
    },
    notes,
    f"亩均评价企业清单_{year}",
    "evaluation_xlsx",
)

if total:
    left, right = st.columns(2)
    widgets.chart(
        container=left,
        fig=charts.grade_share_bars(summary, "town", f"各镇街亩均评价档次（{year}年，家）"),
        key="evaluation_by_town",
    )
    widgets.chart(
        container=right,
        fig=charts.grade_share_bars(summary, "industry", f"各行业亩均评价档次（{year}年，家）"),
        key="evaluation_by_industry",
    )
    sampled = total > SCATTER_POINTS
    dots = data.query(
        "enterprise_evaluation",
        **filters,
        limit=SCATTER_POINTS if sampled else None,
        sample=sampled,
    )
    picked = f"，随机抽取 {SCATTER_POINTS:,} 家" if sampled else ""
    widgets.chart(
        fig=charts.mu_scatter(dots, f"亩均税收与亩均增加值（{year}年，按档次{picked}）"),
        key="evaluation_scatter",
    )
    if sampled:
        st.caption(
            f"共 {total:,} 家，散点图按统一社会信用代码的哈希值固定抽取 {SCATTER_POINTS:,} 家（每次相同）；"
            "各档次家数以上方两图为准。"
        )

st.subheader("档次变化")
earlier = [y for y in years if y < year]
if earlier:
    from_year = url_state.selectbox(
        "与哪一年比较", earlier, param="from", key="evaluation_from_year", default=earlier[-1],
        format_func=lambda y: f"{y}年",
    )  # fmt: skip
    matrix = data.query("grade_transition_matrix", from_year=from_year, to_year=year)
    moved = matrix.groupby("movement")["enterprise_count"].sum()
    up, down = int(moved.get("上升", 0)), int(moved.get("下降", 0))
    left, right = st.columns([2, 3])
    widgets.chart(
        container=left,
        fig=charts.transition_matrix(matrix, from_year, year),
        key="evaluation_transitions",
    )
    right.markdown(f"**档次上升 {up:,} 家，下降 {down:,} 家**")
    moves = {"from_year": from_year, "to_year": year, "movements": ["上升", "下降"]}
    widgets.table(
        tables.transitions_frame(data.query("grade_transitions", **moves, limit=SHOWN_ROWS)),
        key="evaluation_moves",
        name=f"亩均评价档次变化_{from_year}-{year}",
        container=right,
        height=330,
        full=lambda: tables.transitions_frame(data.query("grade_transitions", **moves, limit=None)),
        total=up + down,
    )
else:
    st.caption("所选年度之前没有数据，无法比较。")

st.subheader("低效企业")
lines = {line.label: line for line in config.low_efficiency_lines}
custom = "自定义"
left, right = st.columns([3, 1])
line_label = url_state.selectbox(
    "低效标准：亩均税收低于", [*lines, custom], param="line", key="evaluation_line",
    default=next(iter(lines)), container=left,
)  # fmt: skip
custom_line = url_state.number_input(
    "自定义（万元/亩）", param="custom", key="evaluation_custom_line", default=5.0,
    min_value=0.0, max_value=1000.0, step=0.5, container=right, disabled=line_label != custom,
)  # fmt: skip
line = custom_line if line_label == custom else lines[line_label].line
park_only = line_label != custom and lines[line_label].park_only
low = data.query("low_efficiency_enterprises", year=year, line=line, park_only=park_only)
scope = "园区内" if park_only else "全区"
st.markdown(f"**{year}年{scope}亩均税收低于 {line:g} 万元/亩的企业 {len(low)} 家**")
low_table = tables.low_efficiency_frame(low)
st.dataframe(low_table, hide_index=True, height=320, key="evaluation_low_table")
widgets.xlsx_download(
    "下载低效企业清单（Excel）",
    {"低效企业": low_table},
    {
        "年度": f"{year}年",
        "标准": f"亩均税收低于 {line:g} 万元/亩（{scope}）",
        "查询": "queries/low_efficiency_enterprises.sql",
    },
    f"低效企业清单_{line:g}万元_{year}",
    "evaluation_low_xlsx",
)
