"""汇报材料's Word 分析报告 downloads: 全区 or one town's, or all of them; a 镇街 user gets only their own
town's. Everything a download needs (connection, plans, viewer, who is exporting) is resolved while the
page runs and closed over: the file is built later, in a thread with no session."""

from __future__ import annotations

import streamlit as st

from plantrack.app import data, session
from plantrack.app.shared import shared
from plantrack.report.word import content, files


def report_towns(as_of: int) -> list[str]:
    """The towns a 分析报告 can be made for: a 镇街 user's own town only; for the bureau, every town
    with a 三大工厂 quota (once per data and targets version: it is a query)."""
    reader = data.reader()
    if reader.viewer_town is not None:
        return [reader.viewer_town]
    con, _ = data.connection()
    return list(_quota_towns(reader.stamp, reader.targets, as_of, con, data.config(as_of)))


@shared(max_entries=16)
def _quota_towns(stamp, targets, as_of: int, _con, _plans) -> tuple[str, ...]:
    """`_con` reads version `stamp`, `_plans` are the plans of `targets` at `as_of`."""
    return tuple(content.quota_towns(_con, _plans, as_of))


def builder(as_of: int, town: str | None, every_town: bool = False):
    """A callable that builds the 分析报告 later (a download runs it in a thread with no session):
    the connection, the plans and the viewer's town are resolved now and closed over. A 镇街 user
    gets their own town's report whatever is asked. Returns {file name: .docx bytes}."""
    con, _ = data.connection()
    frozen = data.config(as_of)
    reader = data.reader()  # this run's viewer restriction
    if reader.viewer_town is not None:
        town, every_town = reader.viewer_town, False

    def build() -> dict[str, bytes]:
        if reader.denied is not None:
            raise session.NotAllowed(reader.denied)
        if every_town:
            return files.all_reports(con, frozen, as_of)
        return dict([files.report_file(con, frozen, as_of, town)])

    return build


def word_reports(as_of: int, reason: str | None) -> None:
    """The section on 汇报材料; `reason` says why charts cannot be drawn here (None: they can)."""
    st.subheader("分析报告（Word，党政机关公文格式）")
    st.caption(
        "按 GB/T 9704-2012 版式：A4，正文仿宋_GB2312 三号、每页22行每行28字，标题方正小标宋简体二号，"
        "页码在页脚外侧。全区一份（总体情况、各规划完成情况、镇街任务与赛马、亩均评价、预警与需重点推进、下一步），"
        "每个有三大工厂任务的镇街一份（本镇街任务、在全区的排名、还需、申报、低效企业）；图为 300 dpi，"
        "附表列出正文每个数字的来源。文字按固定规则从数据生成，同样的数据每次相同。"
    )
    viewer = data.reader().viewer_town
    towns = report_towns(as_of)
    scopes = towns if viewer else ["全区", *towns]
    scope = st.selectbox("报告范围", scopes, key="briefing_report_scope")
    town = None if scope == "全区" else scope
    one = builder(as_of, town)
    caller = session.caller()  # who exports, for the audit entry written once the file is built

    def offer(where, label: str, detail: dict, make, **button) -> None:
        """A button that builds the 分析报告 with `make` when clicked, audited as 导出分析报告 with
        `detail`; off, saying why, where charts cannot be drawn."""
        where.download_button(
            label,
            data=lambda: caller.export("导出分析报告", detail, make),
            on_click="ignore",
            disabled=reason is not None,
            help=reason,
            **button,
        )

    left, right = st.columns(2)
    offer(
        left,
        "生成并下载分析报告（Word）",
        {"截至年度": as_of, "范围": scope},
        lambda: next(iter(one().values())),
        file_name=f"{content.file_stem(town, as_of)}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="briefing_report_docx",
        icon=":material/description:",
    )
    if viewer is None:
        every = builder(as_of, None, every_town=True)
        offer(
            right,
            f"全区及{len(towns)}个镇街的分析报告（ZIP）",
            {"截至年度": as_of, "范围": "全区及各镇街"},
            lambda: files.zip_bytes(every()),
            file_name=f"{content.file_stem(None, as_of)}（全区及各镇街）.zip",
            mime="application/zip",
            key="briefing_report_zip",
            icon=":material/folder_zip:",
        )
