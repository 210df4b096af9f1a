"""Who may do what in the app: the login form, the first 管理员, the user box in the sidebar, and the
checks pages make before they act. Reading is restricted where data is read (plantrack.app.session,
plantrack.app.data); here is only what the person sees."""

from __future__ import annotations

import hmac
import logging
import os
import secrets

import streamlit as st

from plantrack import settings
from plantrack.app import session
from plantrack.model.roles import ROLES, role
from plantrack.report.formatting import plain
from plantrack.store import accounts

FIRST_ADMIN_TRIES = 5  # wrong installation passwords in one browser session before the form closes


def admin_password() -> str | None:
    """The installation's admin password: .streamlit/secrets.toml `admin_password`, else
    $PLANTRACK_ADMIN_PASSWORD. It serves one purpose: creating the first 管理员 account."""
    try:
        configured = st.secrets.get("admin_password")
    except Exception:  # no secrets file
        configured = None
    return configured or os.environ.get("PLANTRACK_ADMIN_PASSWORD") or None


def login_form(key: str = "login") -> None:
    """Log in (or, while there is no account, create the first 管理员 with the admin password)."""
    path = settings.accounts_path()
    if st.session_state.pop("_login_expired", False):
        st.info("登录已过期，请重新登录。", icon=":material/timer_off:")
    ended = st.session_state.pop("_session_ended", None)
    if ended:
        st.info(f"{ended}，请重新登录。", icon=":material/logout:")
    if accounts.user_count(path) == 0:
        _first_admin(path, key)
        return
    if _oidc_configured():
        _oidc_login(path, key)
    with st.form(f"{key}_form"):
        name = st.text_input("用户名", key=f"{key}_name")
        password = st.text_input("密码", type="password", key=f"{key}_password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        try:
            user = accounts.login(path, name.strip(), password, session.client_address())
        except accounts.AccountError as exc:
            st.error(str(exc))
            return
        session.log_in(user)
        st.rerun()


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file
        return False


def _oidc_login(path, key: str) -> None:
    """The bureau's identity provider (st.login, configured under [auth] in secrets.toml) says who the
    person is; the local account of the same name (their e-mail) says what they may see."""
    if not st.user.is_logged_in:
        st.button("用统一身份认证登录", key=f"{key}_oidc", on_click=st.login, type="primary")
        return
    name = st.user.get("email") or st.user.get("name") or ""
    user = accounts.active_user(path, name)
    if user is None:
        accounts.audit(
            path, name, "统一身份认证登录被拒（无本地账户）", {}, session.client_address()
        )
        st.error(f"「{plain(name)}」没有本看板的账户或已停用，请联系管理员。")
        return
    accounts.audit(
        path, user.name, "登录（统一身份认证）", {"角色": user.role}, session.client_address()
    )
    session.log_in(user)
    st.rerun()


def _first_admin(path, key: str) -> None:
    password = admin_password()
    if password is None:
        st.warning(
            "还没有任何账户。请在服务器上用命令行创建第一个管理员："
            "`python -m plantrack user add 用户名 --role 管理员 --password-stdin`，"
            "或设置管理员密码（`.streamlit/secrets.toml` 的 `admin_password`，或环境变量 "
            "`PLANTRACK_ADMIN_PASSWORD`）后在此创建。",
            icon=":material/lock:",
        )
        return
    st.info("还没有任何账户：凭安装时设置的管理员密码，创建第一个管理员账户。")
    with st.form(f"{key}_first_admin"):
        given = st.text_input(
            "安装时设置的管理员密码", type="password", key=f"{key}_admin_password"
        )
        name = st.text_input("新管理员用户名", key=f"{key}_admin_name")
        new = st.text_input(
            f"新管理员密码（至少 {accounts.MIN_PASSWORD_LENGTH} 位）",
            type="password",
            key=f"{key}_admin_new",
        )
        submitted = st.form_submit_button("创建管理员", type="primary")
    if not submitted:
        return
    client = session.client_address()
    try:  # the installation password is guessed against like any login: counted, locked, audited
        accounts.check_attempts(path, "首个管理员", client)
    except accounts.AccountError as exc:
        accounts.audit(path, name or None, "创建首个管理员被拒（锁定中）", {}, client)
        st.error(str(exc))
        return
    if not hmac.compare_digest(given.encode(), password.encode()):
        accounts.record_failure(path, "首个管理员", client)
        accounts.audit(path, name or None, "创建首个管理员失败（密码错误）", {}, client)
        st.error("管理员密码错误。")
        return
    try:
        user = accounts.add_user(path, name, "管理员", None, new)
    except accounts.AccountError as exc:
        st.error(str(exc))
        return
    accounts.audit(path, user.name, "创建首个管理员", {"用户": user.name}, session.client_address())
    session.log_in(user)
    st.rerun()


def check_account() -> None:
    """First on every run (app.py), before the pages are chosen: a session whose account was disabled,
    given a new password, or another role or town since the login ends now."""
    ended = session.end_if_account_changed()
    if ended:
        st.session_state["_session_ended"] = ended


def gate(demo: bool) -> None:
    """Before any page: on real data, nothing but the login until someone with a known role is logged
    in. Demo data stays open (reading everything, changing nothing)."""
    user = session.current_user()
    if user is not None and role(user.role) is not None:
        return
    if user is not None:  # a role this version does not know: deny
        session.log_out()
    if demo:
        return
    st.title("定海区制造业规划进度看板")
    st.caption("本看板含企业税收等不公开数据，请登录后查看。")
    login_form("gate")
    st.stop()


def user_box(data_line: str) -> None:
    """The sidebar's lines on the data (`data_line`) and who is logged in, one element, and the logout
    button."""
    user = session.current_user()
    if user is None:
        st.caption(f"{data_line}  \n未登录（示例数据对所有人开放）")
        return
    where = f"·{user.town}" if user.town else ""
    st.caption(f"{data_line}  \n" + plain(f"当前用户：{user.name}（{user.role}{where}）"))
    if st.button("退出登录", key="access_logout", icon=":material/logout:"):
        accounts.audit(
            settings.accounts_path(), user.name, "退出登录", {}, session.client_address()
        )
        session.log_out()
        st.rerun()


def require(permission: str, what: str) -> None:
    """Stop the page unless the user's role allows `permission` (may_import, may_manage_users);
    offer the login when no one is logged in."""
    found = session.current_role()
    if found is not None and getattr(found, permission):
        return
    allowed = "、".join(name for name, r in ROLES.items() if getattr(r, permission))
    if found is None:
        st.info(f"{what}需要登录（角色：{allowed}）。", icon=":material/lock:")
        login_form(f"require_{permission}")
    else:
        st.warning(
            f"当前账户（{found.name}）不能{what}；需要角色：{allowed}。", icon=":material/block:"
        )
    st.stop()


def audit(action: str, detail: dict | None = None) -> None:
    """One entry in the audit trail, by the current user (or 匿名 on demo data), while the page runs
    (work done after it, such as a download, records through session.caller())."""
    session.caller().audit(action, detail)


def run_page(navigation) -> None:
    """Run the chosen page behind an error boundary: an error the page did not handle is logged on the
    server with its traceback and a number, and the user sees only a sentence in Chinese and that
    number (never the exception's text, a traceback or a server path; Streamlit's own display is
    switched off too: client.showErrorDetails in .streamlit/config.toml)."""
    try:
        navigation.run()
    except session.NotAllowed as exc:
        st.warning(f"{exc}：没有读取这些数据的权限。", icon=":material/lock:")
    except Exception:  # noqa: BLE001 — the boundary: st.stop and st.rerun are not Exceptions
        number = secrets.token_hex(3)
        logging.getLogger("plantrack").exception("页面出错（错误编号 %s）", number)
        st.error(
            f"页面出错，未能显示全部内容。请刷新重试；如仍出错，请把错误编号 {number} 告诉管理员。",
            icon=":material/error:",
        )
        from streamlit import config  # st.get_option does not see AppTest's own setting

        if config.get_option("global.appTest"):
            raise  # page tests (AppTest) must still see the error as an exception
