"""汇报材料: a one-click briefing deck (PPTX with native charts) and the same briefing as PDF."""

import streamlit as st

from plantrack.app import data, report_downloads, session, url_state
from plantrack.model.reference import TOWN_NAMES
from plantrack.report import images
from plantrack.report.deck import pdf, powerpoint, slides

as_of = data.as_of_year()
config = data.config()
st.title("汇报材料")
st.caption(
    "生成 16:9 汇报材料：封面、本区每个规划的目标完成情况（已结束的规划写终期结果）、需重点推进、镇街三大工厂任务"
    "与赛马排名、亩均评价档次、低效企业清单。"
    "PPTX 中的图表是 PowerPoint/WPS 原生图表，可直接改样式；每页都有一句结论、数据来源和截至年度。"
)
# 本区 plans only, in force first (对标 plans are compared on 规划对比, never briefed as 定海's)
plans = {plan.id: plan.short for plan in data.own_plans(as_of).plans}
chosen = url_state.multiselect(
    "规划（本区）",
    list(plans),
    param="plans",
    key="briefing_plans",
    default=list(plans),
    format_func=plans.get,
)
viewer = data.viewer_town()
if viewer is None:
    chosen_towns = url_state.any_of(
        "镇街（选了镇街即为镇街汇报：任务、全区排名、申报与低效企业只列所选镇街）",
        TOWN_NAMES,
        param="towns",
        key="briefing_towns",
        everything="全区",
    )
else:  # a 镇街 user's deck is their town's
    chosen_towns = [viewer]
    st.caption(f"镇街汇报：{viewer}（企业清单只含本镇街的企业；全区数字标明“全区”）")


# the files are built when a button is clicked, after this run: with this run's reader and caller
reader, caller = data.reader(), session.caller()


def offer_deck(where, label: str, fmt: str, to_bytes, mime: str, **button) -> None:
    """A button that builds the deck as `fmt` when clicked, recorded in the audit trail."""
    detail = {"格式": fmt, "截至年度": as_of, "规划": chosen, "镇街": chosen_towns}
    where.download_button(
        label,
        data=lambda: caller.export(
            "导出汇报材料",
            detail,
            lambda: to_bytes(reader.deck(config, as_of, chosen, chosen_towns)),
        ),
        file_name=f"{name}.{fmt.lower()}",
        mime=mime,
        key=f"briefing_{fmt.lower()}",
        on_click="ignore",
        **button,
    )


name = f"定海区制造业规划进度汇报_{as_of}"
reason = images.problem()
left, right = st.columns(2)
offer_deck(
    left,
    "生成并下载 PPTX",
    "PPTX",
    powerpoint.to_pptx,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    type="primary",
    disabled=not chosen,
    icon=":material/slideshow:",
)
offer_deck(
    right,
    "生成并下载 PDF（手机阅读）",
    "PDF",
    pdf.to_pdf,
    "application/pdf",
    disabled=not chosen or reason is not None,
    help=reason,
    icon=":material/picture_as_pdf:",
)
if reason:
    st.warning(reason)
report_downloads.word_reports(as_of, reason)
st.subheader("汇报材料各页（PPTX、PDF）")
if not chosen:
    st.info("请至少选择一个规划。")
else:
    preview = reader.deck(config, as_of, chosen, chosen_towns)
    st.markdown(f"**共 {len(preview.slides)} 页**")
    # a table, not Markdown: titles and conclusions carry enterprise and town names from the data
    st.dataframe(slides.outline(preview), hide_index=True, key="briefing_outline")
