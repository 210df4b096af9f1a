"""Accounts, login hardening and the audit trail (plantrack/store/accounts.py), with hand-set clocks."""

import io
import sqlite3

import pytest

from plantrack.__main__ import main
from plantrack.store import accounts

PASSWORD = "白泉-2026-春"


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "accounts.sqlite3"
    accounts.add_user(file, "王科长", "科室", None, PASSWORD)
    accounts.add_user(file, "金塘小李", "镇街", "金塘镇", PASSWORD)
    return file


def _raw(path, sql):
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchall()


def test_passwords_are_stored_only_as_argon2_hashes(path):
    stored = _raw(path, "select name, password_hash from users")
    assert len(stored) == 2
    for _, digest in stored:
        assert digest.startswith("$argon2id$") and PASSWORD not in digest


def test_login_returns_the_users_role_and_town(path):
    user = accounts.login(path, "金塘小李", PASSWORD, "10.0.0.9")
    assert (user.role, user.town) == ("镇街", "金塘镇")
    assert _raw(path, "select actor, action, client from audit") == [
        ("金塘小李", "登录", "10.0.0.9")
    ]


def test_wrong_password_is_refused_and_audited(path):
    with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
        accounts.login(path, "王科长", "wrong-password", "10.0.0.9")
    with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
        accounts.login(
            path, "没有这个人", PASSWORD, "10.0.0.9"
        )  # same words: who exists stays hidden
    assert [row[0] for row in _raw(path, "select action from audit")] == ["登录失败", "登录失败"]


def test_lockout_after_five_failures_with_backoff(path):
    start = 1_000_000.0
    for attempt in range(5):
        with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
            accounts.login(path, "王科长", "guess", f"10.0.0.{attempt}", now=start)
    # the 5th failure locks the user for 60 s: the right password is refused meanwhile
    with pytest.raises(accounts.AccountError, match="已暂时锁定"):
        accounts.login(path, "王科长", PASSWORD, "10.0.1.1", now=start + 30)
    assert accounts.login(path, "王科长", PASSWORD, "10.0.1.1", now=start + 61).name == "王科长"
    # a success clears the user's count; five more failures lock again (attempts while locked are
    # refused without counting); the next failure after the lock doubles it to 120 s
    for _ in range(5):
        with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
            accounts.login(path, "王科长", "guess", "10.0.2.1", now=start + 100)
    with pytest.raises(accounts.AccountError, match="已暂时锁定"):
        accounts.login(path, "王科长", "guess", "10.0.2.1", now=start + 150)
    with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
        accounts.login(path, "王科长", "guess", "10.0.3.1", now=start + 170)  # 6th failure
    with pytest.raises(accounts.AccountError, match="已暂时锁定"):
        accounts.login(path, "王科长", PASSWORD, "10.0.4.1", now=start + 170 + 110)
    assert accounts.login(path, "王科长", PASSWORD, "10.0.4.1", now=start + 170 + 121)


def test_one_client_guessing_many_users_is_locked_too(path):
    start = 2_000_000.0
    for name in ["甲", "乙", "丙", "丁", "戊"]:
        with pytest.raises(accounts.AccountError):
            accounts.login(path, name, "guess", "10.9.9.9", now=start)
    with pytest.raises(accounts.AccountError, match="已暂时锁定"):
        accounts.login(path, "王科长", PASSWORD, "10.9.9.9", now=start + 1)
    assert accounts.login(path, "王科长", PASSWORD, "10.1.1.1", now=start + 1)  # another client


def test_a_disabled_account_cannot_log_in_and_a_reset_enables_it(path):
    accounts.set_disabled(path, "王科长")
    with pytest.raises(accounts.AccountError, match="已停用"):
        accounts.login(path, "王科长", PASSWORD, None)
    accounts.reset_password(path, "王科长", "新密码-2026-夏")
    assert accounts.login(path, "王科长", "新密码-2026-夏", None)


@pytest.mark.parametrize(
    ("role", "town", "message"),
    [
        ("镇街", None, "须指定所属镇街"),
        ("镇街", "杭州市", "须指定所属镇街"),
        ("科室", "金塘镇", "只有镇街账户指定镇街"),
        ("访客", None, "未知角色"),
    ],
)
def test_role_and_town_are_checked(tmp_path, role, town, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add_user(tmp_path / "a.sqlite3", "某人", role, town, PASSWORD)


def test_short_password_refused(tmp_path):
    with pytest.raises(accounts.AccountError, match="至少 8 个字符"):
        accounts.add_user(tmp_path / "a.sqlite3", "某人", "科室", None, "1234567")


def test_the_audit_trail_is_append_only(path):
    accounts.audit(path, "王科长", "导出 Excel", {"文件": "低效企业清单"})
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("update audit set actor = '别人'")
    with sqlite3.connect(path) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("delete from audit")
    assert accounts.audit_log(path)["action"].tolist() == ["导出 Excel"]


def test_cli_user_commands(tmp_path, monkeypatch, capsys):
    db = tmp_path / "plantrack.duckdb"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "岑港老张", "--role", "镇街", "--town", "岑港街道",
                 "--password-stdin", "--db", str(db)]) == 0  # fmt: skip
    assert "已新建账户 岑港老张（镇街·岑港街道）" in capsys.readouterr().out
    assert main(["user", "add", "无密码", "--role", "科室", "--db", str(db)]) == 2
    assert main(["user", "disable", "岑港老张", "--db", str(db)]) == 0
    assert main(["user", "list", "--db", str(db)]) == 0
    assert "岑港老张\t镇街\t岑港街道\t已停用" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("另一个密码-12345\n"))
    assert main(["user", "reset", "岑港老张", "--password-stdin", "--db", str(db)]) == 0
    file = tmp_path / "accounts.sqlite3"
    assert accounts.login(file, "岑港老张", "另一个密码-12345", None).town == "岑港街道"
    actions = accounts.audit_log(file)["action"].tolist()
    assert actions[::-1][:3] == ["新建账户", "停用账户", "重设密码"]
