"""The logged-in user of this browser session, and what follows for reading data: the town restriction
that plantrack.app.data passes to every query taking `$viewer_town`. It comes only from the session
(never from the URL or a widget), and is denied by default: no user on real data, or a role the
product does not know, reads nothing.

The session exists only while a page runs (in the script's thread). A download built after a click
runs in a worker thread where the session is empty: reading it there is an error here, not a silent
"not logged in". Such work is handed what it needs, resolved while the page runs (`caller()`, and
plantrack.app.data.reader())."""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from plantrack import settings
from plantrack.model.roles import Role, role
from plantrack.store import accounts
from plantrack.store.accounts import User

_KEY = "_plantrack_login"
DEMO_ACTOR = "匿名（示例数据）"
# the deployment's HAProxy runs on the same machine as the dashboard processes (deploy/)
DEFAULT_TRUSTED_PROXIES = "127.0.0.1,::1"
T = TypeVar("T")


class NotAllowed(PermissionError):
    """Reading was attempted without the right: the page shows the login instead."""


def _session():
    if get_script_run_ctx() is None:
        raise RuntimeError(
            "登录会话只能在页面运行时读取；点击后才生成的文件须使用页面运行时确定的读者与操作人"
        )
    return st.session_state


def log_in(user: User) -> None:
    """Remember `user` for this browser session, with the account as it is now: a later change to
    the account (disabled, password reset, another role or town) ends the session."""
    _session()[_KEY] = {
        "user": user,
        "seen": time.time(),
        "account": accounts.fingerprint(settings.accounts_path(), user.name),
    }


def log_out() -> None:
    _session().pop(_KEY, None)


def current_user() -> User | None:
    """The user of this session, unless the login has expired (no page view for session_hours)."""
    state = _session()
    entry = state.get(_KEY)
    if entry is None:
        return None
    now = time.time()
    if now - entry["seen"] > settings.session_hours() * 3600:
        log_out()
        state["_login_expired"] = True
        return None
    entry["seen"] = now
    return entry["user"]


def end_if_account_changed() -> str | None:
    """Once per page run: end the session if its account was disabled, removed, given a new password
    or another role or town since the login. Returns why it ended (None: it goes on)."""
    entry = _session().get(_KEY)
    if entry is None:
        return None
    path = settings.accounts_path()
    now = accounts.fingerprint(path, entry["user"].name)
    if now is not None and now == entry.get("account"):
        return None
    reason = "账户已停用" if now is None else "账户已变更（重设密码或更改角色、镇街）"
    log_out()
    accounts.audit(path, entry["user"].name, "会话结束", {"原因": reason}, client_address())
    return reason


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


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The proxies whose X-Forwarded-For is believed: $PLANTRACK_TRUSTED_PROXIES (addresses or
    networks, comma-separated; empty = none), default this machine (HAProxy beside the processes)."""
    configured = os.environ.get("PLANTRACK_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)
    found = []
    for item in configured.split(","):
        try:
            found.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            continue
    return found


def forwarded_client(peer: str | None, forwarded: list[str]) -> str | None:
    """The visitor's address: the socket's peer, unless the peer is a trusted proxy; then the one
    address that proxy appended (the last of X-Forwarded-For; anything before it came from the
    visitor and may be forged). `peer` None = the loopback (Streamlit hides 127.0.0.1 and ::1)."""
    try:
        address = ipaddress.ip_address(peer or "127.0.0.1")
    except ValueError:
        return peer
    if not any(address in network for network in trusted_proxies()):
        return peer
    hops = [hop.strip() for value in forwarded for hop in value.split(",") if hop.strip()]
    if not hops:
        return peer
    try:
        return str(ipaddress.ip_address(hops[-1]))
    except ValueError:
        return peer


def client_address() -> str | None:
    """The visitor's address, as forwarded_client decides it. The server starts with uvicorn's own
    proxy-header rewriting switched off (plantrack.app.serve), so the peer here is the socket's."""
    if get_script_run_ctx() is None:
        raise RuntimeError("访问地址只能在页面运行时读取")
    address = st.context.ip_address
    address = address if isinstance(address, str) else None
    headers = st.context.headers
    forwarded = headers.get_all("X-Forwarded-For") if headers else []
    if address is None and not forwarded:
        return None  # no client: AppTest, or a visitor on this machine without a proxy
    return forwarded_client(address, list(forwarded))


def actor() -> str:
    """Who is acting, for the audit trail."""
    user = current_user()
    return user.name if user else DEMO_ACTOR


@dataclass(frozen=True)
class Caller:
    """Who runs this page, from where: resolved while the page runs, for work done after it (a
    download built in a worker thread) to be recorded in the audit trail under the right name."""

    actor: str
    client: str | None

    def audit(self, action: str, detail: dict | None = None) -> None:
        accounts.audit(settings.accounts_path(), self.actor, action, detail or {}, self.client)

    def export(self, action: str, detail: dict, build: Callable[[], T]) -> T:
        """`build()`, then the audit entry `action` (or `action`失败 with the reason), written once
        the file is built (plantrack.store.accounts.audited)."""
        return accounts.audited(
            settings.accounts_path(), self.actor, self.client, action, detail, build
        )


def caller() -> Caller:
    return Caller(actor(), client_address())
