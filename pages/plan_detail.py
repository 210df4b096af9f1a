"""规划详情: every target of one plan with its clause, 口径 and the data behind it. The parts below the
pickers are drawn once per data version, viewer and choice, and replayed (plantrack.app.replay)."""

import streamlit as st

from plantrack.app import data, plan_views, url_state, widgets
from plantrack.app.replay import drawn
from plantrack.engine import leadership
from plantrack.report.formatting import plain


def heading(plan_id: str, as_of: int) -> None:
    plan = plan_views.plan_of(plan_id, as_of)
    st.title(plain(plan.short))
    st.caption(
        plain(
            f"{plan.title} · {plan.doc_no or '（无文号）'} · {plan.start}—{plan.end}年"
            f" · {plan.jurisdiction} · {leadership.tag(plan)} · 截至{as_of}年"
        )
    )
    if plan.role == "peer":
        st.info(
            f"**对标规划 · 数据为该市口径**：{plain(plan.jurisdiction)}的目标按该市自己上报的数据评价，"
            "不计入定海区的统计；与定海的对照见「规划对比」页。",
            icon=":material/compare_arrows:",
        )
    elif leadership.is_ended(plan, as_of):
        rows = data.progress_frame(as_of, plan_id=plan.id)
        st.info(plain(data.computed(plan_views.final_text, rows)), icon=":material/flag:")
    plan_views.version_caption(plan.id, as_of)


def drill(plan_id: str, target_id: str, as_of: int) -> None:
    rows = data.progress_frame(as_of, plan_id=plan_id)
    row = rows[rows["target_id"] == target_id].iloc[0]
    plan_views.target_drill(plan_views.plan_of(plan_id, as_of), row, as_of)


def ending(plan_id: str, as_of: int) -> None:
    plan = plan_views.plan_of(plan_id, as_of)
    if plan.quotas:
        widgets.quota_warnings(plan)
    plan_views.history(plan.id)


as_of = data.as_of_year()
plans = plan_views.plans_shown(as_of)
plan_id = url_state.selectbox(
    "规划",
    list(plans),
    param="plan",
    key="plan_detail_plan",
    default=next(iter(plans)),
    format_func=lambda key: f"{plans[key].short} · {plans[key].title}",
)
drawn(heading, plan_id, as_of)

names = data.computed(plan_views.target_names, data.progress_frame(as_of, plan_id=plan_id))
target_id = url_state.selectbox(
    "查看一项目标（及其镇街、企业）",
    ["", *names],
    param="target",
    key="plan_detail_target",
    default="",
    format_func=lambda key: names[key] if key else "（全部目标）",
)
if target_id:
    drawn(drill, plan_id, target_id, as_of)

plan_views.targets_table(plan_id, as_of)
drawn(ending, plan_id, as_of)
