"""总览 and 镇街任务's larger parts: the 本区 plans' status and cards, one town's own view, a 镇街 user's
档次变化. Pages call these; the numbers come from plantrack.engine (leadership, quotas)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from plantrack.app import data, filters, url_state, widgets
from plantrack.app.replay import drawn
from plantrack.engine import leadership, quotas
from plantrack.model.reference import STATUS_ORDER
from plantrack.report import charts, tables
from plantrack.report.formatting import plain


def _status_counts(progress: pd.DataFrame, plan_ids: list[str]) -> pd.DataFrame:
    """Targets per plan and status, for the 本区 plans in force (总览's status chart)."""
    shown = progress[progress["plan"].isin(plan_ids)]
    return shown.groupby(["plan_short", "status"], sort=False).size().rename("count").reset_index()


def _final_text(progress: pd.DataFrame, plan_id: str) -> str:
    """An ended plan's 终期 in words (its first six shortfalls)."""
    rows = progress[progress["plan"] == plan_id]
    return tables.final_result_text(
        leadership.final_targets(rows), leadership.final_result(rows), 6
    )


def target_warnings(warned: pd.DataFrame) -> int:
    """How many of 总览's 预警 are targets (the rest are towns' quota cells)."""
    return int((warned["kind"] == "目标").sum())


def grades_above_scale(distribution: pd.DataFrame, as_of: int) -> tuple[pd.DataFrame, int, int]:
    """总览's 档次分布: (the 规上 firms' rows, their first year, how many were graded by the method, not
    published, in `as_of`)."""
    above = distribution[distribution["grp"] == "规上"]
    computed = int(above.loc[above["year"] == as_of, "computed_count"].sum())
    return above, int(above["year"].min()) if not above.empty else as_of, computed


def plan_status_chart(progress: pd.DataFrame, selection, as_of: int) -> None:
    """总览: the statuses of the targets of the 本区 plans in force (a card each follows, plan_cards)."""
    config = data.config()
    st.subheader("本区规划完成情况")
    counts = data.computed(_status_counts, progress, [plan.id for plan in selection.in_force])
    if not counts.empty:
        widgets.chart(
            charts.status_counts,
            counts,
            config.status.labels,
            config.status.colors,
            f"本区规划目标状态（截至{as_of}年）",
            key="overview_status_counts",
        )


def plan_cards(progress: pd.DataFrame, selection, as_of: int) -> None:
    """总览: a card for each 本区 plan, in force first, the ended ones closed (终期)."""
    config = data.config()
    cards = data.computed(tables.plan_cards, progress, selection.ids)
    for plan in selection.plans:
        card = cards[plan.id]
        with st.container(border=True):
            st.page_link(
                "pages/plan_detail.py",
                label=plain(f"{plan.title}"),
                query_params={"plan": plan.id, "year": str(as_of)},
                icon=":material/checklist:",
            )
            # one element a card (a card's caption lines small and grey, as st.caption draws them)
            lines = [
                _small(
                    plain(
                        f"{plan.doc_no or '（无文号）'} · {plan.start}—{plan.end}年"
                        f" · {plan.jurisdiction} · {leadership.tag(plan)}"
                    )
                )
            ]
            if leadership.is_ended(plan, as_of):
                lines.append(plain(data.computed(_final_text, progress, plan.id)))
            else:
                lines.append(
                    " · ".join(
                        f"{config.status.labels[status]} **{card['counts'][status]}** 项"
                        for status in STATUS_ORDER
                    )
                )
                if card["outlook"]:
                    lines.append(_small(card["outlook"]))
                if card["behind"]:
                    lines.append(_small("最落后：" + card["behind"]))
            st.markdown("  \n".join(lines))
    st.caption(
        "对标规划（绍兴、慈溪等）用该市自己的数据评价，只在「规划对比」页与本区对照，不计入上面的统计。"
    )


def quota_plans(as_of: int) -> dict:
    """The 本区 plans with town quotas at `as_of`, id → plan, in force first."""
    selection = data.own_plans(as_of)
    return {p.id: p for p in [*selection.plans, *selection.upcoming] if p.quotas}


def standing(plan_id: str, as_of: int) -> pd.DataFrame:
    """The towns' 赛马 under a quota plan (quotas.ranking)."""
    cells = data.query(
        "town_factory_fulfillment", quotas=quotas.quota_param(quota_plans(as_of)[plan_id])
    )
    return data.computed(quotas.ranking, cells, as_of)


def _small(markdown: str) -> str:
    """A caption line inside one Markdown element: small and grey, as st.caption draws it."""
    return f":small[:gray[{markdown}]]"


def town_view(plan_id: str, as_of: int) -> filters.Line:
    """镇街任务: the district's one-line summary, then one town's own view — its quota row, its place in
    the district's 赛马 (among all towns), what it still needs, its 申报 and its 低效 firms (a 镇街 user
    sees these lists for their own town only; for another, a line says so). Returns the 低效 line chosen, which the district charts below use too."""
    progress = data.fulfilled(quota_plans(as_of)[plan_id], as_of)
    st.markdown(data.computed(_district_line, progress))
    town_names = data.computed(_town_names, progress)
    viewer = data.viewer_town()
    town = url_state.selectbox(
        "查看镇街",
        town_names,
        param="town",
        key="towns_town",
        default=viewer if viewer in town_names else town_names[0],
    )
    drawn(_town_quotas, plan_id, town, as_of)
    if viewer is not None and town != viewer:  # its firms are not this viewer's: no list says "0"
        st.caption(
            plain(
                f"{town}的三大工厂申报企业与低效企业名单只对{town}的账户开放"
                f"（您的账户只能查看{viewer}的企业）；上表的任务完成情况与下方各图为全区数。"
            )
        )
        return filters.low_efficiency_line(data.config(), "towns")
    drawn(_town_applications, town, as_of)
    line = filters.low_efficiency_line(data.config(), "towns")
    drawn(_town_low, town, line, as_of)
    return line


def _town_quotas(plan_id: str, town: str, as_of: int) -> None:
    progress = data.fulfilled(quota_plans(as_of)[plan_id], as_of)
    mine = data.computed(_of_town, progress, town)
    st.subheader(f"本镇街：{plain(town)}")
    st.markdown(data.computed(_town_line, mine, standing(plan_id, as_of), town))
    widgets.table(
        data.computed(tables.town_quota_table, mine),
        key="towns_quota_table",
        name=f"{town}三大工厂任务完成情况_{as_of}",
        full=lambda: tables.town_quota_export(mine),
    )


def _town_applications(town: str, as_of: int) -> None:
    applications = data.up_to_as_of("town_applications", town=town, year=None)
    _listed(
        f"**本镇街三大工厂申报**：{plain(town)}截至{as_of}年 {len(applications)} 件，含未通过及原因",
        tables.applications_table,
        applications,
        key="towns_applications",
        name=f"{town}三大工厂申报企业",
    )


def _town_low(town: str, line: filters.Line, as_of: int) -> None:
    low = data.query(
        "low_efficiency_enterprises", year=as_of, line=line.line, park_only=line.park_only
    )
    low = data.computed(_of_town, low, town)
    _listed(
        f"**本镇街低效企业**：{plain(town)}{as_of}年{'园区' if line.park_only else ''}参评企业中"
        f"亩均税收低于 {line.line:g} 万元/亩的 {len(low)} 家",
        tables.low_efficiency_frame,
        low,
        key="towns_low_table",
        name=f"{town}低效企业_{line.line:g}万元_{as_of}",
    )


def _listed(heading: str, build, rows: pd.DataFrame, key: str, name: str) -> None:
    """A line saying what is listed, then the list (`build(rows)`) with its download."""
    st.markdown(heading)
    widgets.table(data.computed(build, rows), key=key, name=name)


def _district_line(progress: pd.DataFrame) -> str:
    tasked = progress[progress["quota_total"] > 0]
    lagging = int(tasked["status"].isin(["behind", "far_behind"]).sum())
    return (
        f"**全区：已认定 {int(tasked['awarded'].sum())} 家/截至当年应完成 {int(tasked['quota_due'].sum())} 家，"
        f"落后于序时进度的镇街任务格 {lagging} 个**（逐项见「总览」预警）"
    )


def _town_names(progress: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(progress.sort_values("sort_order")["town"]))


def _of_town(rows: pd.DataFrame, town: str) -> pd.DataFrame:
    return rows[rows["town"] == town]


def _town_line(mine: pd.DataFrame, standing: pd.DataFrame, town: str) -> str:
    """One town's place in the 赛马 and its quotas: done, due, in all, still needed."""
    need = sum(
        max(int(t) - int(a), 0) for t, a in zip(mine["quota_total"], mine["awarded"], strict=True)
    )
    return plain(
        f"{town}在全区镇街赛马中{tables.rank_text(standing, town)}；三大工厂已认定"
        f"{int(mine['awarded'].sum())}家，截至当年应完成{int(mine['quota_due'].sum())}家，"
        f"全期任务{int(mine['quota_total'].sum())}家，还需{need}家。"
    )


def boards_text(standing: pd.DataFrame) -> str:
    """镇街任务's 红榜 and 黑榜 (quotas.ranking), one line each."""
    red = "、".join(standing[standing["board"] == "红榜"]["town"])
    black = "、".join(standing[standing["board"] == "黑榜"]["town"])
    return f":green[**红榜**] {plain(red)}  \n:red[**黑榜**] {plain(black)}"


@st.fragment
def applications_by_stage(plan, as_of: int) -> None:
    """镇街任务's 全区申报进度 for a year of the plan: a fragment, so that choosing the year reruns this
    part alone."""
    st.subheader("全区申报进度")
    pipeline_year = url_state.year(
        "申报年度",
        list(range(plan.start, plan.end + 1)),
        param="pyear",
        key="towns_pipeline_year",
        default=min(max(as_of, plan.start), plan.end),
    )
    drawn(_pipeline_chart, pipeline_year)


def _pipeline_chart(year: int) -> None:
    widgets.chart(
        charts.pipeline_bars,
        data.query("application_pipeline", year=year, town=None),
        f"全区{year}年三大工厂申报—推荐—初审—认定（件）",
        key="towns_pipeline",
    )


def district_mu_tax(yearly: pd.DataFrame, as_of: int) -> float | None:
    """The district's 亩均税收 in `as_of` (yearly_indicators), the line drawn across the towns' bars."""
    row = yearly[yearly["year"] == as_of]
    return float(row["mu_tax_wan_per_mu"].iloc[0]) if not row.empty else None


def quota_plan_choice(as_of: int):
    """镇街任务's plan: any 本区 plan with town quotas (in force first), in the URL (?plan=); stops the page
    when there is none."""
    plans = quota_plans(as_of)
    if not plans:
        st.info("本区规划中没有分解到镇街的任务。")
        st.stop()
    plan_id = url_state.selectbox(
        "规划",
        list(plans),
        param="plan",
        key="towns_plan",
        default=next(iter(plans)),
        format_func=lambda key: f"{plans[key].short}（{plans[key].start}—{plans[key].end}年）",
    )
    plan = plans[plan_id]
    ended = leadership.is_ended(plan, as_of)
    st.caption(
        plain(
            f"{plan.title}（{plan.doc_no or '无文号'}）· {leadership.tag(plan)} · 各镇街（平台）任务分解 · "
            f"截至{min(as_of, plan.end)}年累计" + ("（已结束 · 终期）" if ended else "")
        )
    )
    return plan


def grade_moves(pair: dict) -> tuple[pd.DataFrame, int, int, str]:
    """亩均评价's 档次变化: (the counts the chart draws, 上升, 下降, whose): the district's, or a 镇街 user's
    own town's — the same firms as the list beside it."""
    town = data.viewer_town()
    if town is None:
        matrix = data.query("grade_transition_matrix", **pair)
    else:
        matrix = data.query("grade_transitions", **pair, movements=None, limit=None)
    up, down = data.computed(_moved, matrix, town is None)
    return matrix, up, down, "全区" if town is None else f"本镇街（{town}）"


def grade_moves_chart(pair: dict) -> None:
    """亩均评价's 档次变化 matrix (grade_moves)."""
    matrix, _, _, scope = grade_moves(pair)
    widgets.chart(
        charts.transition_matrix,
        matrix,
        pair["from_year"],
        pair["to_year"],
        scope,
        key="evaluation_transitions",
    )


def grade_moves_list(pair: dict, shown_rows: int) -> None:
    """亩均评价's 档次变化: how many moved up and down, and the first `shown_rows` of them."""
    _, up, down, scope = grade_moves(pair)
    st.markdown(f"**{plain(scope)}档次上升 {up:,} 家，下降 {down:,} 家**")
    moves = {**pair, "movements": ["上升", "下降"]}
    read = data.reader().query
    widgets.table(
        data.computed(
            tables.transitions_frame, data.query("grade_transitions", **moves, limit=shown_rows)
        ),
        key="evaluation_moves",
        name=f"亩均评价档次变化_{pair['from_year']}-{pair['to_year']}",
        height=330,
        full=lambda: tables.transitions_frame(read("grade_transitions", **moves, limit=None)),
        total=up + down,
    )


def _moved(matrix: pd.DataFrame, counted: bool) -> tuple[int, int]:
    """(上升, 下降): summed over the district's matrix (`counted`), or a town's firms counted."""
    if counted:
        moved = matrix.groupby("movement")["enterprise_count"].sum()
    else:
        moved = matrix["movement"].value_counts()
    return int(moved.get("上升", 0)), int(moved.get("下降", 0))
