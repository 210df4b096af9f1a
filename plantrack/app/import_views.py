"""数据导入's steps on the page: check and import an uploaded file (the file's own problems first, then,
on demo data, the question 替换示例数据？), and undo the latest import after saying what it restores.
After an import or an undo the page runs again, so that the banner, the ledger and every page read the
new version of the data at once."""

from __future__ import annotations

import hashlib

import streamlit as st

from plantrack import settings
from plantrack.app import data, session, widgets
from plantrack.ingest import write
from plantrack.ingest.problems import Report
from plantrack.report import tables
from plantrack.report.formatting import plain

DONE = "upload_done"  # what the last run did (an import, an undo), shown at the top of the next
ASK_DEMO = "upload_ask_replace_demo"  # the upload waiting for an answer to 替换示例数据？
CONFIRM_UNDO = "upload_undo_asked"


def last_outcome() -> None:
    """The outcome of the import or undo the previous run did (the page ran again after it)."""
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(plain(done), icon=":material/check_circle:")


def check_or_import(uploaded, kind: str | None, sheet: str | None, dry_run: bool) -> None:
    """Validate the upload, and unless `dry_run` import it; on demo data, a valid file leads to the
    question whether to replace the demo."""
    report = _import(uploaded, kind, sheet, dry_run=dry_run, replace_demo=False)
    if report.asks_replace_demo:
        st.session_state[ASK_DEMO] = _identity(uploaded)
        read = [
            f"校验通过：{report.rows} 行，没有发现问题。",
            *(f"说明：{n}" for n in report.notes),
        ]
        st.info(plain("\n\n".join(read)), icon=":material/fact_check:")
    else:
        _show(uploaded, report)


def replace_demo_question(uploaded, kind: str | None, sheet: str | None) -> None:
    """替换示例数据？ asked in words, once the file has no problems of its own."""
    if uploaded is None or st.session_state.get(ASK_DEMO) != _identity(uploaded):
        return
    st.subheader("替换示例数据？")
    st.warning(
        f"文件「{plain(uploaded.name)}」校验通过。当前看板显示的是示例数据（模拟）：导入这个文件会替换"
        "全部示例数据，看板之后只显示导入的真实数据（需要登录才能查看）。撤销这次导入可恢复示例数据。",
        icon=":material/swap_horiz:",
    )
    yes, no = st.columns(2)
    if yes.button("替换示例数据并导入", key="upload_replace_demo", type="primary"):
        st.session_state.pop(ASK_DEMO, None)
        _show(uploaded, _import(uploaded, kind, sheet, dry_run=False, replace_demo=True))
    if no.button("不替换，取消导入", key="upload_replace_demo_cancel"):
        st.session_state.pop(ASK_DEMO, None)
        st.session_state[DONE] = "已取消：示例数据未改动，文件未导入。"
        st.rerun()


def _identity(uploaded) -> str:
    """The upload the question is about (another file chosen meanwhile is not answered for)."""
    return uploaded.name + hashlib.sha256(uploaded.getvalue()).hexdigest()


def _import(uploaded, kind, sheet, dry_run: bool, replace_demo: bool) -> Report:
    """import_upload, audited: 导入 in the step that commits it, 导入被拒 or 导入校验（未写入）."""
    caller = session.caller()
    file = {"文件": uploaded.name}
    report = write.import_upload(
        uploaded.name,
        uploaded.getvalue(),
        settings.db_path(),
        data.config(),
        kind=kind,
        dry_run=dry_run,
        replace_demo=replace_demo,
        imported_by=caller.actor,
        sheet=sheet,
        on_commit=lambda done: caller.audit(
            "导入", {**file, "导入序号": done.import_id, "行数": done.rows}
        ),
    )
    if report.problems and not report.asks_replace_demo:
        caller.audit("导入被拒", {**file, "问题数": len(report.problems), "只校验": dry_run})
    elif not report.written:  # a dry run, a file imported before, or waiting for 替换示例数据？
        caller.audit("导入校验（未写入）", {**file, "行数": report.rows, "只校验": dry_run})
    return report


def _show(uploaded, report: Report) -> None:
    if report.problems:
        st.error(
            f"{plain(uploaded.name)}：发现 {len(report.problems)} 个问题，未写入任何数据。请修改后重新上传。"
        )
        st.dataframe(tables.problems_frame(report.problems), hide_index=True, key="upload_problems")
        widgets.marked_download(uploaded.name, uploaded.getvalue(), report.problems)
        return
    if report.written:
        st.session_state[DONE] = "\n\n".join(report.lines())
        st.rerun()  # the banner, the ledger and the sidebar then read the new data
    st.success(plain("\n\n".join(report.lines())))


def undo_latest() -> None:
    """Undo the latest import still in effect, after a confirmation saying what will be restored."""
    plan = write.undo_plan(settings.db_path())
    if plan is None:
        st.caption("没有可撤销的导入。")
        return
    if st.button(f"撤销第{plan.import_id}次导入…", key="upload_undo", icon=":material/undo:"):
        st.session_state[CONFIRM_UNDO] = plan.import_id
    if st.session_state.get(CONFIRM_UNDO) != plan.import_id:
        return
    st.warning(plain(plan.text) + "\n\n确定撤销吗？", icon=":material/undo:")
    yes, no = st.columns(2)
    if yes.button("确认撤销", key="upload_undo_confirm", type="primary"):
        st.session_state.pop(CONFIRM_UNDO, None)
        try:
            message = write.undo(plan.import_id, settings.db_path(), data.base_config())
        except (ValueError, TimeoutError) as exc:
            st.error(f"无法撤销：{plain(str(exc))}")
            return
        session.caller().audit("撤销导入", {"导入序号": plan.import_id, "文件": plan.file_name})
        st.session_state[DONE] = message
        st.rerun()
    if no.button("取消", key="upload_undo_cancel"):
        st.session_state.pop(CONFIRM_UNDO, None)
        st.rerun()
