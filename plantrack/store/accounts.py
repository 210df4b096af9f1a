"""Accounts, login checks and the audit trail, in a SQLite file of their own beside the warehouse
(plantrack.settings.accounts_path). Statements in queries/access/.

Passwords are kept only as argon2id hashes and checked by the library (constant-time); a new password
must pass `password_problem` (length, not the user's name, not a common password). Failed logins are
counted per user and per client: after `FREE_FAILURES` in a row the key is locked, for a time that
doubles with each further failure (capped). A success clears both counts, and a count is forgotten
`FORGET_SECONDS` after its last failure (or its lock) ended. The audit table is append-only (triggers
refuse changes).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from plantrack.model.reference import TOWN_NAMES
from plantrack.model.roles import ROLES, TOWN_ROLE
from plantrack.settings import QUERIES_DIR

FREE_FAILURES = 5  # failed logins before a lock
FIRST_LOCK_SECONDS = 60  # then 2, 4, 8 … minutes
MAX_LOCK_SECONDS = 3600
FORGET_SECONDS = 15 * 60  # failures are "in a row" unless this long passes without one
MIN_PASSWORD_LENGTH = 10
# the most used passwords of this length and over (public leak lists, and Chinese favourites)
COMMON_PASSWORDS = frozenset(
    [
        "0123456789",
        "1234567890",
        "12345678910",
        "123456789a",
        "a123456789",
        "1234567890a",
        "0987654321",
        "9876543210",
        "1111111111",
        "0000000000",
        "8888888888",
        "6666666666",
        "1234512345",
        "1122334455",
        "1234554321",
        "123123123123",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "qwerty1234",
        "qwerty123456",
        "asdfghjkl1",
        "zxcvbnm123",
        "abc1234567",
        "abcd123456",
        "aa12345678",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "p@ssw0rd12",
        "iloveyou12",
        "admin12345",
        "admin123456",
        "administrator",
        "woaini1314",
        "woaini520",
        "5201314520",
        "1314520520",
        "qq123456789",
    ]
)
# argon2id at RFC 9106's recommended cost for a server without much memory (3 passes over 64 MiB, 4 lanes):
# about 0.13 s a hash on this 2-core machine, once per login
HASH_PROFILE = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(HASH_PROFILE)
T = TypeVar("T")


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


def password_problem(name: str, password: str) -> str | None:
    """Why `password` is not good enough for the account `name` (None: it is)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少 {MIN_PASSWORD_LENGTH} 个字符"
    folded = password.casefold()
    if name.strip() and name.strip().casefold() in folded:
        return "密码不能包含用户名"
    if folded in COMMON_PASSWORDS or len(set(folded)) <= 2:
        return "密码过于常见或简单，请换一个"
    return None


def _check_password(name: str, password: str) -> None:
    problem = password_problem(name, password)
    if problem:
        raise AccountError(problem)


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
    _check_password(name, password)
    with _connect(path) as con:
        if con.execute(_sql("user"), {"name": name}).fetchone():
            raise AccountError(f"用户「{name}」已存在")
        con.execute(
            _sql("add_user"),
            {
                "name": name,
                "role": role,
                "town": town,
                "password_hash": _hasher.hash(password),
                "now": _now(),
            },
        )
    return User(name, role, town)


def reset_password(path: Path, name: str, password: str) -> None:
    _check_password(name, password)
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


def fingerprint(path: Path, name: str) -> str | None:
    """The account `name` as it is now (role, town, password), as a digest; None when it is disabled
    or gone. A session remembers it at login and ends when it changes."""
    with _connect(path) as con:
        row = con.execute(_sql("user"), {"name": name}).fetchone()
    if row is None or row[4]:
        return None
    return hashlib.sha256(json.dumps([row[1], row[2], row[3]]).encode()).hexdigest()


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
    if refusal or user is None:
        raise AccountError(refusal or "用户名或密码不正确")
    return user


def _failures(con, keys: tuple[str, str], now: float) -> dict[str, tuple[int, float]]:
    """The failures in a row of `keys` (an old run of failures is forgotten)."""
    return {
        key: (failures, until)
        for key, failures, until in con.execute(
            _sql("failures"), {"user_key": keys[0], "client_key": keys[1]}
        )
        if until + FORGET_SECONDS > now
    }


def _lock_refusal(locks: dict[str, tuple[int, float]], now: float) -> str | None:
    locked_until = max((until for _, until in locks.values()), default=0.0)
    if locked_until <= now:
        return None
    minutes = max(1, round((locked_until - now) / 60))
    return f"失败次数过多，已暂时锁定，请约 {minutes} 分钟后再试"


def _count_failure(con, locks: dict[str, tuple[int, float]], keys, now: float) -> None:
    for key in keys:
        failures = locks.get(key, (0, 0.0))[0] + 1
        con.execute(
            _sql("record_failure"),
            {"key": key, "failures": failures, "locked_until": now + _lock_seconds(failures)},
        )


def _guess_keys(scope: str, client: str | None) -> tuple[str, str]:
    return f"{scope}:", f"{scope}:client:{client or '未知'}"


def check_attempts(path: Path, scope: str, client: str | None, now: float | None = None) -> None:
    """Raise AccountError while guesses at `scope` (a secret other than a login, such as the
    installation password) are locked, for everyone or for this client."""
    now = time.time() if now is None else now
    with _connect(path) as con:
        refusal = _lock_refusal(_failures(con, _guess_keys(scope, client), now), now)
    if refusal:
        raise AccountError(refusal)


def record_failure(path: Path, scope: str, client: str | None, now: float | None = None) -> None:
    """One more wrong guess at `scope` (locks as failed logins do)."""
    now = time.time() if now is None else now
    keys = _guess_keys(scope, client)
    with _connect(path) as con:
        _count_failure(con, _failures(con, keys, now), keys, now)


def _attempt(
    con, name, password, client, now, user_key, client_key
) -> tuple[str | None, User | None]:
    locks = _failures(con, (user_key, client_key), now)
    refusal = _lock_refusal(locks, now)
    if refusal:
        _audit(con, name, "登录被拒（锁定中）", {}, client)
        return "登录" + refusal, None
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
        _count_failure(con, locks, (user_key, client_key), now)
        _audit(con, name, "登录失败", {}, client)
        return "用户名或密码错误", None
    if row[4]:
        _audit(con, name, "登录被拒（账户已停用）", {}, client)
        return "该账户已停用，请联系管理员", None
    for key in (user_key, client_key):  # "in a row": a success starts both counts again
        con.execute(_sql("clear_failures"), {"key": key})
    _audit(con, name, "登录", {"角色": row[1], "镇街": row[2]}, client)
    return None, User(row[0], row[1], row[2])


def _audit(con: sqlite3.Connection, actor: str | None, action: str, detail: dict, client) -> None:
    con.execute(
        _sql("append_audit"),
        {
            "at": _now(),
            "actor": actor,
            "action": action,
            "detail": json.dumps(detail, ensure_ascii=False, default=str),
            "client": client,
        },
    )


def audit(
    path: Path, actor: str | None, action: str, detail: dict | None = None, client=None
) -> None:
    """Append one entry to the audit trail (imports, undos, publications, user changes, exports)."""
    with _connect(path) as con:
        _audit(con, actor, action, detail or {}, client)


def audited(
    path: Path,
    actor: str | None,
    client: str | None,
    action: str,
    detail: dict,
    build: Callable[[], T],
) -> T:
    """`build()` (an export: Excel, the briefing deck, a report), recorded once it is done: `action`
    with `detail` (and the file's size), or `action` + 失败 with the reason, the error raised again.
    The page's downloads and the command line's exports go through here."""
    try:
        result = build()
    except Exception as exc:
        audit(
            path, actor, f"{action}失败", {**detail, "原因": f"{type(exc).__name__}：{exc}"}, client
        )
        raise
    size = {"字节数": len(result)} if isinstance(result, (bytes, bytearray)) else {}
    audit(path, actor, action, {**detail, **size}, client)
    return result


def audit_log(path: Path, limit: int | None = None) -> pd.DataFrame:
    with _connect(path) as con:
        return pd.read_sql_query(_sql("audit_log"), con, params={"limit": limit})
