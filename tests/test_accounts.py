"""Accounts, login hardening and the audit trail (plantrack/store/accounts.py), with hand-set clocks."""

import io
import sqlite3
import subprocess
import sys

import pytest

from plantrack.__main__ import main
from plantrack.settings import ROOT
from plantrack.store import accounts

PASSWORD = "白泉-2026-春-巡查"


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


def test_the_served_app_hashes_at_argon2s_recommended_cost():
    """RFC 9106's second recommended option (argon2id, t=3, 64 MiB, p=4); tests/conftest.py hashes
    cheaply in this process, so the profile is checked here and the hashes it makes in a fresh one."""
    profile = accounts.HASH_PROFILE
    assert (profile.type.name, profile.time_cost, profile.memory_cost) == ("ID", 3, 64 * 1024)
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "from plantrack.store import accounts; print(accounts._hasher.hash('x'))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


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


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [("某人", "123456789", "至少 10 个字符"), ("某人", "12345678", "至少 10 个字符"),
     ("wangkezhang", "WangKeZhang", "不能包含用户名"), ("王科长", "王科长-2026-春季巡查", "不能包含用户名"),
     ("某人", "1234567890", "过于常见"), ("某人", "Password123", "过于常见"),
     ("某人", "aaaaaaaaaaaa", "过于常见")],
)  # fmt: skip
def test_password_policy(tmp_path, name, password, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add_user(tmp_path / "a.sqlite3", name, "科室", None, password)
    assert accounts.user_count(tmp_path / "a.sqlite3") == 0


def test_reset_password_follows_the_policy(path):
    with pytest.raises(accounts.AccountError, match="至少 10 个字符"):
        accounts.reset_password(path, "王科长", "short-1")
    assert accounts.login(path, "王科长", PASSWORD, None).name == "王科长"


def test_a_success_starts_both_counts_again(path):
    """README: locked after 5 failures in a row. 4 failures, a success, 1 failure: not locked, for the
    user and for the address."""
    start = 3_000_000.0
    for _ in range(4):
        with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
            accounts.login(path, "王科长", "guess", "10.1.1.1", now=start)
    assert accounts.login(path, "王科长", PASSWORD, "10.1.1.1", now=start + 1).name == "王科长"
    with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
        accounts.login(path, "王科长", "guess", "10.1.1.1", now=start + 2)
    assert accounts.login(path, "王科长", PASSWORD, "10.1.1.1", now=start + 3).name == "王科长"
    assert _raw(path, "select key from login_failures") == []


def test_failures_are_forgotten_after_a_quiet_while(path):
    start = 4_000_000.0
    for _ in range(4):
        with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
            accounts.login(path, "王科长", "guess", "10.2.2.2", now=start)
    later = start + accounts.FORGET_SECONDS + 1
    # the 5th failure, a quarter of an hour later, is the first of a new run: no lock
    with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
        accounts.login(path, "王科长", "guess", "10.2.2.2", now=later)
    assert accounts.login(path, "王科长", PASSWORD, "10.2.2.2", now=later + 1).name == "王科长"
    # a long lock, too, is forgotten once it has ended and a quiet while passed: no hour-long doubling
    for _ in range(8):
        with pytest.raises(accounts.AccountError):
            accounts.login(path, "王科长", "guess", "10.2.2.3", now=later + 2)
    assert _raw(path, "select failures from login_failures where key = 'user:王科长'") == [(5,)]
    much_later = later + 2 + accounts.FIRST_LOCK_SECONDS + accounts.FORGET_SECONDS + 1
    with pytest.raises(accounts.AccountError, match="用户名或密码错误"):
        accounts.login(path, "王科长", "guess", "10.2.2.3", now=much_later)
    assert _raw(path, "select failures from login_failures where key = 'user:王科长'") == [(1,)]


def test_a_session_fingerprint_changes_on_disable_reset_and_role(path):
    before = accounts.fingerprint(path, "金塘小李")
    assert before is not None and before == accounts.fingerprint(path, "金塘小李")
    accounts.set_disabled(path, "金塘小李")
    assert accounts.fingerprint(path, "金塘小李") is None
    accounts.set_disabled(path, "金塘小李", False)
    assert accounts.fingerprint(path, "金塘小李") == before
    accounts.reset_password(path, "金塘小李", "另一个密码-金塘-2026")
    after_reset = accounts.fingerprint(path, "金塘小李")
    assert after_reset not in (None, before)
    with sqlite3.connect(path) as con:
        con.execute("update users set town = '白泉镇' where name = '金塘小李'")
    assert accounts.fingerprint(path, "金塘小李") not in (None, after_reset)
    assert accounts.fingerprint(path, "没有这个人") is None


def test_an_export_is_audited_after_it_is_built_with_its_outcome(path):
    built = accounts.audited(
        path, "王科长", "10.3.3.3", "导出 Excel", {"文件": "清单"}, lambda: b"xlsx"
    )
    assert built == b"xlsx"

    def broken():
        raise RuntimeError("磁盘已满")

    with pytest.raises(RuntimeError):
        accounts.audited(path, "王科长", "10.3.3.3", "导出汇报材料", {"格式": "PDF"}, broken)
    rows = _raw(path, "select actor, action, detail, client from audit order by audit_id")
    assert rows == [
        ("王科长", "导出 Excel", '{"文件": "清单", "字节数": 4}', "10.3.3.3"),
        (
            "王科长",
            "导出汇报材料失败",
            '{"格式": "PDF", "原因": "RuntimeError：磁盘已满"}',
            "10.3.3.3",
        ),
    ]


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
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(["user", "add", "王科长", "--role", "科室", "--password-stdin", "--db", str(db)]) == 0
    )
    assert main(["user", "disable", "岑港老张", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["user", "list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert "岑港老张\t镇街\t岑港街道\t已停用" in listed
    assert "王科长\t科室\t—\t正常" in listed and "nan" not in listed  # no town: a dash
    monkeypatch.setattr("sys.stdin", io.StringIO("另一个密码-12345\n"))
    assert main(["user", "reset", "岑港老张", "--password-stdin", "--db", str(db)]) == 0
    file = tmp_path / "accounts.sqlite3"
    assert accounts.login(file, "岑港老张", "另一个密码-12345", None).town == "岑港街道"
    actions = accounts.audit_log(file)["action"].tolist()
    assert actions[::-1][:4] == ["新建账户", "新建账户", "停用账户", "重设密码"]
