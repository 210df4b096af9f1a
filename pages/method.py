"""口径说明: the rules behind every 完成率, 序时进度 and status, as written in docs/口径说明.md, and the
亩均评价办法 in use: drawn once per targets file and replayed (plantrack.app.replay)."""

import re

import streamlit as st

from plantrack.app import data
from plantrack.app.replay import drawn
from plantrack.report.formatting import plain
from plantrack.settings import ROOT


def method() -> None:
    config = data.config()
    # a web address is a link of its own (written bare, the brackets and words after it became part of it)
    source = config.grading.source
    link = re.fullmatch(r"https?://[^\s()<>]+", source)
    source = "办法原文，见下方链接" if link else plain(source)
    st.markdown((ROOT / "docs" / "口径说明.md").read_text(encoding="utf-8"))
    st.subheader("亩均评价办法")
    st.markdown(
        f"当前办法：**{plain(config.grading.name)}**（来源：{source}）。档次比例 "
        + " / ".join(f"{grade} {share:g}%" for grade, share in config.grading.shares.items())
        + f"；单项得分上限为权重的 {config.grading.cap:g} 倍；规下企业用地 {config.grading.min_land_below_scale:g} 亩以上参评；"
        f"投产不满 {config.grading.min_age_years} 年不参评。"
    )
    if link:
        st.link_button("打开亩均评价办法原文", link.group(0), icon=":material/open_in_new:")
    st.dataframe(
        [
            {
                "组别": item.grp,
                "指标": item.label,
                "单位": item.unit,
                "基准值": item.benchmark,
                "权重": item.weight,
            }
            for item in config.grading.indicators
        ],
        hide_index=True,
        key="method_grading_table",
    )


drawn(method)
