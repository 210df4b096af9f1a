"""Accounts, login checks and the audit trail, in a SQLite file of their own beside the warehouse
(plantrack.settings.accounts_path). Statements in queries/access/.

Passwords are kept only as argon2id hashes and checked by the library (constant-time). Failed logins
are counted per user and per client: after `FREE_FAILURES` the key is locked, for a time that doubles
with each further failure (capped). The audit table is append-only (triggers refuse changes).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from plantrack.model.reference import TOWN_NAMES
from plantrack.model.roles import ROLES, TOWN_ROLE
from plantrack.settings import QUERIES_DIR

FREE_FAILURES = 5  # failed logins before a lock
FIRST_LOCK_SECONDS = 60  # then 2, 4, 8 … minutes
MAX_LOCK_SECONDS = 3600
MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    town: str | None


@functools.cache
def _sql(name: str) -> str:
    return (QUERIES_DIR / "access" / f"{name}.sql").read_text(encoding="utf-8")


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30)
    try:
        con.execute("pragma journal_mode = wal")
        con.executescript(_sql("schema"))
        with con:  # one transaction: committed on success, rolled back on error
            yield con
    finally:
        con.close()


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符")


def _check_role(role: str, town: str | None) -> str | None:
    if role not in ROLES:
        raise AccountError(f"未知角色「{role}」（可选：{'、'.join(ROLES)}）")
    if role == TOWN_ROLE:
        if town not in TOWN_NAMES:
            raise AccountError(
                f"镇街账户须指定所属镇街（可选：{'、'.join(TOWN_NAMES)}），而不是「{town}」"
            )
        return town
    if town:
        raise AccountError(f"只有镇街账户指定镇街；角色「{role}」看全区")
    return None


def user_count(path: Path) -> int:
    with _connect(path) as con:
        return con.execute(_sql("user_count")).fetchone()[0]


def add_user(path: Path, name: str, role: str, town: str | None, password: str) -> User:
    name = name.strip()
    if not name or len(name) > 50:
        raise AccountError("用户名须为 1—50 个字符")
    town = _check_role(role, town)
    _check_password(password)
    with _connect(path) as con:
        if con.execute(_sql("user"), {"name": name}).fetchone():
            raise AccountError(f"用户「{name}」已存在")
        con.execute(
            _sql("add_user"),
            {"name": name, "role": role, "town": town, "password_hash": _hasher.hash(password),
             "now": _now()},
        )  # fmt: skip
    return User(name, role, town)


def reset_password(path: Path, name: str, password: str) -> None:
    _check_password(password)
    with _connect(path) as con:
        changed = con.execute(
            _sql("set_password"),
            {"name": name, "password_hash": _hasher.hash(password), "now": _now()},
        ).rowcount
    if not changed:
        raise AccountError(f"没有用户「{name}」")


def set_disabled(path: Path, name: str, disabled: bool = True) -> None:
    with _connect(path) as con:
        changed = con.execute(
            _sql("set_disabled"), {"name": name, "disabled": int(disabled), "now": _now()}
        ).rowcount
    if not changed:
        raise AccountError(f"没有用户「{name}」")


def active_user(path: Path, name: str) -> User | None:
    """The enabled account `name` (an identity provider vouched for who it is; the role is ours)."""
    with _connect(path) as con:
        row = con.execute(_sql("active_user"), {"name": name}).fetchone()
    return User(*row) if row else None


def users(path: Path) -> pd.DataFrame:
    with _connect(path) as con:
        return pd.read_sql_query(_sql("users"), con)


def _lock_seconds(failures: int) -> float:
    over = failures - FREE_FAILURES
    return 0.0 if over < 0 else min(FIRST_LOCK_SECONDS * 2**over, MAX_LOCK_SECONDS)


def login(
    path: Path, name: str, password: str, client: str | None, now: float | None = None
) -> User:
    """The user if `password` is theirs and neither they nor the client is locked; else AccountError.
    Every attempt is written to the audit trail (committed before the refusal is raised)."""
    now = time.time() if now is None else now
    user_key, client_key = f"user:{name}", f"client:{client or '未知'}"
    with _connect(path) as con:
        refusal, user = _attempt(con, name, password, client, now, user_key, client_key)
    if refusal:
        raise AccountError(refusal)
    return user


def _attempt(
    con, name, password, client, now, user_key, client_key
) -> tuple[str | None, User | None]:
    locks = {
        key: (failures, until)
        for key, failures, until in con.execute(
            _sql("failures"), {"user_key": user_key, "client_key": client_key}
        )
    }
    locked_until = max((until for _, until in locks.values()), default=0.0)
    if locked_until > now:
        minutes = max(1, round((locked_until - now) / 60))
        _audit(con, name, "登录被拒（锁定中）", {}, client)
        return f"登录失败次数过多，已暂时锁定，请约 {minutes} 分钟后再试", None
    row = con.execute(_sql("user"), {"name": name}).fetchone()
    ok = False
    if row is not None:
        try:
            ok = _hasher.verify(row[3], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # as slow as a real check: the answer does not tell who exists
    if not ok:
        for key in (user_key, client_key):
            failures = locks.get(key, (0, 0.0))[0] + 1
            con.execute(
                _sql("record_failure"),
                {"key": key, "failures": failures, "locked_until": now + _lock_seconds(failures)},
            )
        _audit(con, name, "登录失败", {}, client)
        return "用户名或密码错误", None
    if row[4]:
        _audit(con, name, "登录被拒（账户已停用）", {}, client)
        return "该账户已停用，请联系管理员", None
    con.execute(_sql("clear_failures"), {"key": user_key})
    _audit(con, name, "登录", {"角色": row[1], "镇街": row[2]}, client)
    return None, User(row[0], row[1], row[2])


def _audit(con: sqlite3.Connection, actor: str | None, action: str, detail: dict, client) -> None:
    con.execute(
        _sql("append_audit"),
        {"at": _now(), "actor": actor, "action": action,
         "detail": json.dumps(detail, ensure_ascii=False, default=str), "client": client},
    )  # fmt: skip


def audit(
    path: Path, actor: str | None, action: str, detail: dict | None = None, client=None
) -> None:
    """Append one entry to the audit trail (imports, undos, publications, user changes, exports)."""
    with _connect(path) as con:
        _audit(con, actor, action, detail or {}, client)


def audit_log(path: Path, limit: int | None = None) -> pd.DataFrame:
    with _connect(path) as con:
        return pd.read_sql_query(_sql("audit_log"), con, params={"limit": limit})
