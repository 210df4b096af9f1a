"""数据导入: data staff (数据员, 管理员) upload the bureau's files; everyone else reads only."""

import streamlit as st

from plantrack import settings
from plantrack.app import access, data, plan_views, session, widgets
from plantrack.ingest import read, templates, write
from plantrack.model.kinds import KINDS
from plantrack.report import tables
from plantrack.report.formatting import plain

st.title("数据导入")
st.caption(
    "导入局里的 Excel/CSV 文件：先全部校验，有任何错误则一行不写；成功导入后其他页面立即显示新数据。"
)

with st.expander("下载导入模板（表头＋示例行）"):
    for column, kind in zip(st.columns(len(KINDS)), KINDS.values(), strict=True):
        column.download_button(
            f"{kind.label}模板",
            data=templates.template_bytes(kind.key),
            file_name=f"{kind.label}_导入模板.xlsx",
            key=f"upload_template_{kind.key}",
            icon=":material/download:",
        )
    plan_views.template_download("upload")
    st.page_link("pages/plan_publish.py", label="规划模板的上传、预览与发布：规划发布页")

access.require("may_import", "导入数据")

kinds = {"": "自动识别（按表头）"} | {kind.key: kind.label for kind in KINDS.values()}
kind = st.selectbox("数据类型", list(kinds), format_func=kinds.get, key="upload_kind")
uploaded = widgets.file_upload(
    "选择文件（.xlsx、.xls 或 .csv）", ["xlsx", "xls", "csv"], key="upload_file"
)
sheets = read.sheet_names(uploaded.name, uploaded.getvalue()) if uploaded is not None else []
sheet = None
if len(sheets) > 1:
    sheet = st.selectbox(
        "工作表", ["", *sheets], key="upload_sheet", format_func=lambda s: s or "自动识别"
    )
replace_demo = False
if data.is_demo():
    replace_demo = st.checkbox(
        "当前是示例数据：导入时清空示例数据，只保留导入的真实数据", key="upload_replace_demo"
    )
check_column, import_column = st.columns(2)
dry_run = check_column.button("只校验", key="upload_check", disabled=uploaded is None)
do_import = import_column.button(
    "校验并导入", key="upload_import", type="primary", disabled=uploaded is None
)

if uploaded is not None and (dry_run or do_import):
    caller = session.caller()
    file = {"文件": uploaded.name}
    report = write.import_upload(
        uploaded.name,
        uploaded.getvalue(),
        settings.db_path(),
        data.config(),
        kind=kind or None,
        dry_run=dry_run,
        replace_demo=replace_demo,
        imported_by=caller.actor,
        sheet=sheet or None,
        on_commit=lambda done: caller.audit(
            "导入", {**file, "导入序号": done.import_id, "行数": done.rows}
        ),
    )
    if report.problems:
        caller.audit("导入被拒", {**file, "问题数": len(report.problems), "只校验": dry_run})
        st.error(
            f"{plain(uploaded.name)}：发现 {len(report.problems)} 个问题，未写入任何数据。请修改后重新上传。"
        )
        st.dataframe(tables.problems_frame(report.problems), hide_index=True, key="upload_problems")
        widgets.marked_download(uploaded.name, uploaded.getvalue(), report.problems)
    else:
        if not report.written:  # a dry run, or a file imported before
            caller.audit("导入校验（未写入）", {**file, "行数": report.rows, "只校验": dry_run})
        st.success(plain(" ".join(report.lines())))

st.subheader("导入记录")
widgets.table(
    tables.ledger_frame(data.query("ledger/import_ledger")), key="upload_ledger", name="导入记录"
)
