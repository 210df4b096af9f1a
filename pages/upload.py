"""数据导入: data staff (数据员, 管理员) upload the bureau's files and undo an import; everyone else reads
only."""

import streamlit as st

from plantrack.app import access, data, import_views, plan_views, widgets
from plantrack.ingest import read, templates
from plantrack.model.kinds import KINDS
from plantrack.report import tables

st.title("数据导入")
st.caption(
    "导入局里的 Excel/CSV 文件：先全部校验，有任何错误则一行不写；成功导入后其他页面立即显示新数据。"
)

with st.expander("下载导入模板（表头＋示例行）"):
    for column, kind in zip(st.columns(len(KINDS)), KINDS.values(), strict=True):
        column.download_button(
            f"{kind.label}模板",
            data=lambda key=kind.key: templates.template_bytes(key),  # built when clicked
            file_name=f"{kind.label}_导入模板.xlsx",
            mime=plan_views.XLSX,
            key=f"upload_template_{kind.key}",
            on_click="ignore",
            icon=":material/download:",
        )
    plan_views.template_download("upload")
    st.page_link("pages/plan_publish.py", label="规划模板的上传、预览与发布：规划发布页")

access.require("may_import", "导入数据")
import_views.last_outcome()

kinds = {"": "自动识别（按表头）"} | {kind.key: kind.label for kind in KINDS.values()}
kind = st.selectbox("数据类型", list(kinds), format_func=kinds.get, key="upload_kind")
uploaded = widgets.file_upload(
    "选择文件（.xlsx、.xls、.et、.csv 或 Unicode 文本 .txt）",
    ["xlsx", "xls", "et", "csv", "txt"],
    key="upload_file",
)
sheets = read.sheet_names(uploaded.name, uploaded.getvalue()) if uploaded is not None else []
sheet = None
if len(sheets) > 1:
    sheet = st.selectbox(
        "工作表", ["", *sheets], key="upload_sheet", format_func=lambda s: s or "自动识别"
    )
check_column, import_column = st.columns(2)
dry_run = check_column.button("只校验", key="upload_check", disabled=uploaded is None)
do_import = import_column.button(
    "校验并导入", key="upload_import", type="primary", disabled=uploaded is None
)
if uploaded is not None and (dry_run or do_import):
    import_views.check_or_import(uploaded, kind or None, sheet or None, dry_run)
import_views.replace_demo_question(uploaded, kind or None, sheet or None)

st.subheader("撤销导入")
import_views.undo_latest()

st.subheader("导入记录")
widgets.table(
    tables.ledger_frame(data.query("ledger/import_ledger")), key="upload_ledger", name="导入记录"
)
