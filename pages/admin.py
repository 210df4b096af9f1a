"""账户与审计: the 管理员 adds, disables and resets accounts, and reads and exports the audit trail."""

import streamlit as st

from plantrack import settings
from plantrack.app import access, widgets
from plantrack.model.reference import TOWN_NAMES
from plantrack.model.roles import ROLES
from plantrack.report import tables
from plantrack.report.formatting import plain
from plantrack.store import accounts

st.title("账户与审计")
access.require("may_manage_users", "管理账户")
path = settings.accounts_path()

st.subheader("账户")
widgets.table(tables.users_frame(accounts.users(path)), key="admin_users", name="账户清单")

add, change = st.columns(2)
with add.form("admin_add", clear_on_submit=True):
    st.markdown("**新建账户**")
    name = st.text_input("用户名", key="admin_add_name")
    role = st.selectbox(
        "角色",
        list(ROLES),
        key="admin_add_role",
        format_func=lambda r: f"{r}：{ROLES[r].description}",
    )
    town = st.selectbox("所属镇街（仅镇街账户）", ["", *TOWN_NAMES], key="admin_add_town")
    password = st.text_input("初始密码", type="password", key="admin_add_password")
    if st.form_submit_button("新建", type="primary"):
        try:
            user = accounts.add_user(path, name, role, town or None, password)
        except accounts.AccountError as exc:
            st.error(str(exc))
        else:
            access.audit("新建账户", {"用户": user.name, "角色": user.role, "镇街": user.town})
            st.success(plain(f"已新建账户「{user.name}」（{user.role}）。"))

with change.form("admin_change", clear_on_submit=True):
    st.markdown("**停用、启用或重设密码**")
    names = list(accounts.users(path)["name"])
    target = st.selectbox("账户", names, key="admin_change_user", placeholder="暂无账户")
    action = st.radio(
        "操作", ["停用", "启用", "重设密码"], horizontal=True, key="admin_change_action"
    )
    new_password = st.text_input("新密码（重设时）", type="password", key="admin_change_password")
    if st.form_submit_button("执行") and target:
        try:
            if action == "重设密码":
                accounts.reset_password(path, target, new_password)
            else:
                accounts.set_disabled(path, target, action == "停用")
        except accounts.AccountError as exc:
            st.error(str(exc))
        else:
            access.audit(f"{action}账户", {"用户": target})
            st.success(plain(f"已{action}：{target}"))

st.subheader("审计日志")
st.caption("登录（成功与失败）、导入、撤销、发布规划、账户变更、企业明细导出，只增不改。")
widgets.table(
    tables.audit_frame(accounts.audit_log(path, limit=2000)),
    key="admin_audit",
    name="审计日志",
    full=lambda: tables.audit_frame(accounts.audit_log(path)),
)
