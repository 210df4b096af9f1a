"""规划发布: the bureau adds and revises its own plans from the Excel plan template — check, preview,
publish (admin), undo; every page uses a published plan on its next run."""

import streamlit as st

from plantrack.app import plan_views

st.title("规划发布")
st.caption(
    "新规划或规划调整：下载模板 → 填写 → 上传，先校验并预览（目标在现有数据上的完成情况、与现行版本的变动），"
    "再由管理员发布。发布后各页面立即使用；调整保留旧版本、生效年度与调整原因（见「规划详情」），可撤销。"
)
plan_views.downloads("plan_publish")
admin = plan_views.admin_gate("plan_publish")
if admin:
    plan_views.upload_and_publish("plan_publish")
plan_views.publications("plan_publish", admin)
