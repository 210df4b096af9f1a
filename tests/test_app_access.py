"""AppTest: the login in front of real data, the first 管理员, expiry, and the 账户与审计 page."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from plantrack.ingest import write
from plantrack.settings import ROOT
from plantrack.store import accounts
from tests.apptest import as_user, open_page

CORPUS = Path(__file__).resolve().parent / "corpus" / "good"
PASSWORD = "盐仓-2026-秋季-巡查"


@pytest.fixture
def real(tmp_path, config, monkeypatch):
    path = tmp_path / "real.duckdb"
    assert write.import_file(CORPUS / "企业年度数据_2024_标题行与合计行.xlsx", path, config).ok
    monkeypatch.setenv("PLANTRACK_DB", str(path))
    monkeypatch.delenv("PLANTRACK_ACCOUNTS", raising=False)
    return tmp_path / "accounts.sqlite3"


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)


def test_login_then_the_pages(real):
    accounts.add_user(real, "盐仓小陈", "镇街", "盐仓街道", PASSWORD)
    at = _app()
    at.run()
    at.text_input(key="gate_name").input("盐仓小陈")
    at.text_input(key="gate_password").input("not-the-password")
    at.button[0].click().run()
    assert any("用户名或密码错误" in error.value for error in at.error)
    assert not at.metric
    at.text_input(key="gate_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert any("当前用户：盐仓小陈（镇街·盐仓街道）" in c.value for c in at.caption)
    assert accounts.audit_log(real)["action"].tolist() == ["登录", "登录失败"]


def test_first_admin_needs_the_installation_password(real, monkeypatch):
    monkeypatch.setenv("PLANTRACK_ADMIN_PASSWORD", "安装密码-0001")
    at = _app()
    at.run()
    at.text_input(key="gate_admin_password").input("猜的")
    at.text_input(key="gate_admin_name").input("局管理员")
    at.text_input(key="gate_admin_new").input(PASSWORD)
    at.button[0].click().run()
    assert any("管理员密码错误" in error.value for error in at.error)
    assert accounts.user_count(real) == 0
    at.text_input(key="gate_admin_password").input("安装密码-0001")
    at.text_input(key="gate_admin_new").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert accounts.users(real)["role"].tolist() == ["管理员"]
    # once an account exists, the installation password creates nothing more
    again = _app()
    again.run()
    assert not [box for box in again.text_input if box.key == "gate_admin_password"]


def test_a_login_expires(real, monkeypatch):
    monkeypatch.setenv("PLANTRACK_SESSION_HOURS", "1")
    accounts.add_user(real, "王科长", "科室", None, PASSWORD)
    at = as_user(_app(), "科室")
    at.session_state["_plantrack_login"]["seen"] = time.time() - 2 * 3600
    at.run()
    assert any("登录已过期" in info.value for info in at.info)
    assert not at.metric and not at.dataframe


def test_admin_page_adds_and_disables_accounts(real):
    at = as_user(_app(), "管理员", name="局管理员")
    at.run()
    open_page(at, "pages/admin.py")
    at.text_input(key="admin_add_name").input("金塘小李")
    at.selectbox(key="admin_add_role").select("镇街")
    at.selectbox(key="admin_add_town").select("金塘镇")
    at.text_input(key="admin_add_password").input(PASSWORD)
    at.button(key="FormSubmitter:admin_add-新建").click().run()
    assert not at.exception
    assert any("已新建账户「金塘小李」" in s.value for s in at.success)
    at.selectbox(key="admin_change_user").select("金塘小李")
    at.radio(key="admin_change_action").set_value("停用")
    at.button(key="FormSubmitter:admin_change-执行").click().run()
    frame = accounts.users(real)
    assert frame.set_index("name").loc["金塘小李", "disabled"] == 1
    log = accounts.audit_log(real)
    assert log["action"].tolist()[:2] == ["停用账户", "新建账户"]
    assert set(log["actor"]) == {"局管理员"}


def test_admin_page_refuses_other_roles(real):
    at = as_user(_app(), "数据员")
    at.run()
    with pytest.raises(ValueError, match="admin"):  # not among the pages registered for the role
        at.switch_page("pages/admin.py")
    at.switch_page("pages/upload.py").run()
    assert not at.exception


@pytest.mark.parametrize("change", ["停用", "重设密码", "更改镇街"])
def test_a_changed_account_ends_its_open_session_on_the_next_run(real, change):
    """Checked on every page run, not only at login: the next run after the change shows the login."""
    accounts.add_user(real, "金塘小李", "镇街", "金塘镇", PASSWORD)
    at = _app()
    at.run()
    at.text_input(key="gate_name").input("金塘小李")
    at.text_input(key="gate_password").input(PASSWORD)
    at.button[0].click().run()
    assert any("当前用户：金塘小李" in c.value for c in at.caption)
    if change == "停用":
        accounts.set_disabled(real, "金塘小李")
    elif change == "重设密码":
        accounts.reset_password(real, "金塘小李", "新的密码-金塘-2026")
    else:
        import sqlite3

        with sqlite3.connect(real) as con:  # as an administrator's change of role or town would
            con.execute("update users set town = '白泉镇' where name = '金塘小李'")
    at.run()
    assert not at.exception
    assert [box.key for box in at.text_input] == ["gate_name", "gate_password"]
    assert not at.metric and not at.dataframe
    assert any("请重新登录" in info.value for info in at.info)
    last = accounts.audit_log(real, limit=1).iloc[0]
    assert (last["actor"], last["action"]) == ("金塘小李", "会话结束")


def test_a_markdown_user_name_is_shown_as_it_is(real):
    name = "[点此](http://evil.example)"
    at = as_user(_app(), "科室", name=name)
    at.run()
    assert not at.exception
    shown = [c.value for c in at.caption if "当前用户" in c.value]
    assert len(shown) == 1 and "\\[点此\\]" in shown[0] and "](http" not in shown[0]
    # the administrator's messages about such an account, too
    admin = as_user(_app(), "管理员", name="局管理员")
    admin.run()
    open_page(admin, "pages/admin.py")
    admin.text_input(key="admin_add_name").input("[另一个](http://evil.example)")
    admin.selectbox(key="admin_add_role").select("科室")
    admin.text_input(key="admin_add_password").input(PASSWORD)
    admin.button(key="FormSubmitter:admin_add-新建").click().run()
    assert admin.success
    assert all("](http" not in s.value and "\\[另一个\\]" in s.value for s in admin.success)


def test_the_first_admin_form_locks_after_five_wrong_installation_passwords(real, monkeypatch):
    monkeypatch.setenv("PLANTRACK_ADMIN_PASSWORD", "安装密码-0001")
    at = _app()
    at.run()
    for attempt in range(5):
        at.text_input(key="gate_admin_password").input(f"猜的-{attempt}")
        at.text_input(key="gate_admin_name").input("局管理员")
        at.text_input(key="gate_admin_new").input(PASSWORD)
        at.button[0].click().run()
        assert any("管理员密码错误" in error.value for error in at.error)
    at.text_input(key="gate_admin_password").input("安装密码-0001")
    at.text_input(key="gate_admin_new").input(PASSWORD)
    at.button[0].click().run()
    assert any("已暂时锁定" in error.value for error in at.error)
    assert accounts.user_count(real) == 0
    actions = accounts.audit_log(real)["action"].tolist()
    assert actions[0] == "创建首个管理员被拒（锁定中）"
    assert actions[1:].count("创建首个管理员失败（密码错误）") == 5


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("10.0.0.5", ["203.0.113.9"], None, "10.0.0.5"),  # not a proxy: its header is ignored
        (None, ["203.0.113.9, 10.0.0.7"], None, "10.0.0.7"),  # loopback proxy: the hop it appended
        (None, ["203.0.113.9", "10.0.0.7"], None, "10.0.0.7"),  # two header lines: still the last
        (None, ["203.0.113.9"], "", None),  # no proxy trusted: the socket's (loopback) address
        ("10.9.0.2", ["203.0.113.9, 10.0.0.8"], "10.9.0.0/24", "10.0.0.8"),  # a proxy elsewhere
        (None, ["10.0.0.7, not-an-address"], None, None),  # garbage is never an address
    ],
)
def test_the_client_address_believes_only_the_hop_a_trusted_proxy_appended(
    monkeypatch, peer, forwarded, trusted, expected
):
    from plantrack.app import session

    if trusted is None:
        monkeypatch.delenv("PLANTRACK_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("PLANTRACK_TRUSTED_PROXIES", trusted)
    assert session.forwarded_client(peer, forwarded) == expected


def test_an_unhandled_page_error_is_told_in_chinese_with_a_number_only():
    def script():
        from plantrack.app import access

        class Broken:
            def run(self):
                raise OSError("/srv/plantrack/data/real.duckdb: Permission denied")

        access.run_page(Broken())

    at = AppTest.from_function(script, default_timeout=30).run()
    errors = [error.value for error in at.error]
    assert len(errors) == 1 and "错误编号" in errors[0], errors
    assert "/srv" not in errors[0] and "Permission" not in errors[0]
    assert at.exception  # under AppTest the error is raised too, so page tests see it
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"  # Streamlit's own display: no details
