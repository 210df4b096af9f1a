"""The logged-in user of this browser session, and what follows for reading data: the town restriction
that plantrack.app.data passes to every query taking `$viewer_town`. It comes only from the session
(never from the URL or a widget), and is denied by default: no user on real data, or a role the
product does not know, reads nothing."""

from __future__ import annotations

import time

import streamlit as st

from plantrack import settings
from plantrack.model.roles import Role, role
from plantrack.store.accounts import User

_KEY = "_plantrack_login"


class NotAllowed(PermissionError):
    """Reading was attempted without the right: the page shows the login instead."""


def log_in(user: User) -> None:
    st.session_state[_KEY] = {"user": user, "seen": time.time()}


def log_out() -> None:
    st.session_state.pop(_KEY, None)


def current_user() -> User | None:
    """The user of this session, unless the login has expired (no page view for session_hours)."""
    entry = st.session_state.get(_KEY)
    if entry is None:
        return None
    now = time.time()
    if now - entry["seen"] > settings.session_hours() * 3600:
        log_out()
        st.session_state["_login_expired"] = True
        return None
    entry["seen"] = now
    return entry["user"]


def current_role() -> Role | None:
    user = current_user()
    return role(user.role) if user else None


def viewer_town(demo: bool) -> str | None:
    """None = every town's enterprises; a town = only that town's. Demo data is open to everyone."""
    user = current_user()
    if user is None:
        if demo:
            return None
        raise NotAllowed("请先登录")
    found = role(user.role)
    if found is None:
        raise NotAllowed(f"未知角色「{user.role}」")
    if found.all_enterprises:
        return None
    if not user.town:
        raise NotAllowed("镇街账户没有所属镇街")
    return user.town


def client_address() -> str | None:
    """The visitor's address; behind the project's HAProxy (deploy/), the one it forwarded."""
    address = st.context.ip_address
    address = address if isinstance(address, str) else None  # None outside a server (AppTest)
    headers = st.context.headers
    forwarded = headers.get("X-Forwarded-For") if headers else None
    if isinstance(forwarded, str) and address in ("127.0.0.1", "::1", None):
        return forwarded.split(",")[-1].strip()
    return address


def actor() -> str:
    """Who is acting, for the audit trail."""
    user = current_user()
    return user.name if user else "匿名（示例数据）"
