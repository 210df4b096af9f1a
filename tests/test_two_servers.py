"""Two app processes behind HAProxy (deploy/haproxy.cfg), as the deployment recipe runs them: an upload
works through the balancer, and the import it makes shows on a page served by the other process, with
no restart. Runs when haproxy is installed (.ci/run installs it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from plantrack.ingest import creditcode, write
from plantrack.settings import ROOT
from plantrack.store import accounts
from tests.browser import (
    _free_port,
    browser_page,
    screenshot,
    served_app,
    shared_browser,
    wait_for_app,
    wait_healthy,
)

pytestmark = pytest.mark.browser
CORPUS = Path(__file__).resolve().parent / "corpus"
PASSWORD = "定海-cluster-2025"


def _haproxy() -> str:
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if not found:
        message = "未安装 haproxy：双服务器测试跳过（Debian: apt-get install haproxy）"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


@contextmanager
def balancer(apps: list[str]):
    """HAProxy with the repository's config, in the foreground, in front of `apps` (host:port)."""
    port = _free_port()
    env = {
        **os.environ,
        "PLANTRACK_LB_BIND": f"127.0.0.1:{port}",
        "PLANTRACK_APP1": apps[0],
        "PLANTRACK_APP2": apps[1],
    }
    command = [_haproxy(), "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, "haproxy", 30)  # up, and both servers passed their health check
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_upload_through_the_balancer_shows_on_the_other_server(tmp_path, config):
    _haproxy()
    db_path = tmp_path / "shared.duckdb"
    assert write.import_file(
        CORPUS / "good" / "企业年度数据_2024_标题行与合计行.xlsx", db_path, config
    ).ok
    upload = tmp_path / "集群测试.csv"
    lines = [
        "统一社会信用代码,企业名称,所属镇街,所属行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）"
    ]
    for index in range(3):
        code = creditcode.make("330902", f"6600000{index}")
        lines.append(f"{code},集群测试{index}号有限公司,金塘镇,机械制造,2024,是,10,{80 + index}")
    upload.write_text("\n".join(lines), encoding="utf-8")

    accounts.add_user(tmp_path / "accounts.sqlite3", "数据员小周", "数据员", None, PASSWORD)
    with ExitStack() as stack:
        first = stack.enter_context(served_app(db_path))
        second = stack.enter_context(served_app(db_path))
        servers = {"app1": first, "app2": second}
        lb = stack.enter_context(
            balancer([url.removeprefix("http://") for url in servers.values()])
        )
        with browser_page() as page:
            page.goto(f"{lb}/upload")
            page.get_by_text("请登录后查看").first.wait_for(timeout=30000)
            page.get_by_label("用户名").fill("数据员小周")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.get_by_text("选择文件").first.wait_for(timeout=20000)
            page.locator('input[type="file"]').set_input_files(str(upload))
            page.get_by_text("集群测试.csv").first.wait_for(timeout=20000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20000
            )
            page.get_by_role("button", name="校验并导入").click()
            page.get_by_text("已导入 3 行").first.wait_for(timeout=30000)
            screenshot(page, "cluster_upload_done")
            pinned = {c["name"]: c["value"] for c in page.context.cookies()}["PLANTRACK_SERVER"]

            # the other process has never seen this browser: it logs in there (a session per process)
            other = next(url for name, url in servers.items() if name != pinned)
            page.goto(f"{other}/evaluation?q=集群测试")
            page.get_by_label("用户名").fill("数据员小周")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            wait_for_app(page, "符合条件的企业")
            page.get_by_text("符合条件的企业 3 家").first.wait_for(timeout=20000)
            screenshot(page, "cluster_other_server")


ROLE_PASSWORD = "真实数据-角色-2026"


@pytest.fixture(scope="module")
def real_cluster(tmp_path_factory, config):
    """Two processes behind HAProxy on an imported (not demo) warehouse of three towns, with an
    account per role; the browser reaches them from 127.0.0.1."""
    import pandas as pd

    from tests.test_app_real_data import ROLE_USERS, firm_rows

    _haproxy()
    folder = tmp_path_factory.mktemp("real_cluster")
    source = folder / "企业年度数据_2023-2024.csv"
    pd.DataFrame(firm_rows()).to_csv(source, index=False, encoding="utf-8")
    db_path = folder / "real.duckdb"
    assert write.import_file(source, db_path, config).ok
    for name, (role, town) in ROLE_USERS.items():
        accounts.add_user(folder / "accounts.sqlite3", name, role, town, ROLE_PASSWORD)
    with ExitStack() as stack:
        servers = [stack.enter_context(served_app(db_path)) for _ in range(2)]
        lb = stack.enter_context(balancer([url.removeprefix("http://") for url in servers]))
        yield lb, servers, folder / "accounts.sqlite3"


def _log_in(page, url: str, name: str, password: str = ROLE_PASSWORD) -> None:
    page.goto(url)
    page.get_by_text("请登录后查看").first.wait_for(timeout=30000)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _download(page, selector: str):
    with page.expect_download(timeout=120000) as download:
        page.locator(selector).first.click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


@pytest.mark.parametrize("name", ["局领导", "王科长", "小周", "局管理员", "金塘小李"])
def test_real_data_downloads_in_the_browser_hold_the_roles_firms_and_are_audited(
    real_cluster, name
):
    """Through HAProxy, logged in: 亩均评价's full list and 档次变化 Excel and 汇报材料's PPTX (and, for
    the 镇街 user, the PDF) arrive as real files; a 镇街 user's hold only their town's firms; each
    audit row names the user and the address HAProxy saw."""
    from tests.test_app_real_data import ROLE_USERS, TOWN_FIRMS, _cells

    lb, _, audit_path = real_cluster
    town = ROLE_USERS[name][1]
    others = [
        f"{t}真实{i + 1}号有限公司" for t, n in TOWN_FIRMS.items() if t != town for i in range(n)
    ]
    mine = [f"{t}真实{i + 1}号有限公司" for t, n in TOWN_FIRMS.items() if t == (town or t)
            for i in range(n)]  # fmt: skip
    with browser_page(height=2400) as page:
        _log_in(page, f"{lb}/evaluation", name)
        wait_for_app(
            page, "符合条件的企业", timeout_ms=90000
        )  # two cores, five servers' worth of work
        files = [_download(page, ".st-key-evaluation_table_xlsx button")]
        files.append(_download(page, ".st-key-evaluation_moves_xlsx button"))
        page.goto(f"{lb}/briefing")  # a new page load: a new session, logged in again
        page.get_by_label("用户名").fill(name)
        page.get_by_label("密码").fill(ROLE_PASSWORD)
        page.get_by_role("button", name="登录").click()
        wait_for_app(page, "共 ", timeout_ms=90000)
        files.append(_download(page, ".st-key-briefing_pptx button"))
        if town:
            files.append(_download(page, ".st-key-briefing_pdf button"))
        screenshot(page, f"real_data_downloads_{ROLE_USERS[name][0]}")
    log = accounts.audit_log(audit_path)
    exports = log[(log["actor"] == name) & log["action"].str.startswith("导出")]
    assert len(exports) == len(files)
    assert set(exports["action"]) <= {"导出 Excel", "导出汇报材料"}  # never 失败
    assert set(exports["client"]) == {"127.0.0.1"}
    listed = ""
    for file_name, content in files:
        if file_name.endswith(".pdf"):
            assert content[:5] == b"%PDF-"
            text = subprocess.run(
                ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
            ).stdout.decode()
        else:
            text = _cells(file_name, content)
        assert "导出失败" not in text
        assert not [firm for firm in others if firm in text] or town is None, (file_name, town)
        if file_name.startswith("亩均评价企业清单"):
            listed = text
    assert all(firm in listed for firm in mine)


def test_forged_addresses_through_haproxy_move_neither_the_lock_nor_the_audit(real_cluster):
    """The issue's attack: 5 failed logins, each with another forged X-Forwarded-For, then a right
    password from a sixth: locked, as all six came from one address (the one HAProxy saw), which
    the audit records. (Run last in this module: it locks 127.0.0.1.)"""
    import urllib.error
    import urllib.request

    lb, servers, audit_path = real_cluster
    browser = shared_browser()

    def attempt(url: str, name: str, password: str, forged: str) -> str:
        context = browser.new_context(extra_http_headers={"X-Forwarded-For": forged})
        page = context.new_page()
        _log_in(page, url, name, password)
        page.get_by_text(re.compile("用户名或密码错误|已暂时锁定|当前用户")).first.wait_for(
            timeout=30000
        )
        text = page.inner_text("body")
        context.close()
        return text

    for index, guess in enumerate(["甲", "乙", "丙", "丁", "戊"]):
        shown = attempt(lb, guess, "猜的密码-0000", f"203.0.113.{index + 1}")
        assert "用户名或密码错误" in shown
    shown = attempt(lb, "王科长", ROLE_PASSWORD, "203.0.113.6")
    assert "已暂时锁定" in shown and "当前用户" not in shown
    # control: the forged header does reach a process (this one, reached directly from this
    # machine, takes it as a trusted proxy's): through HAProxy it was never believed
    attempt(servers[0], "己", "猜的密码-0000", "203.0.113.7")
    log = accounts.audit_log(audit_path)
    failed = log[log["action"].isin(["登录失败", "登录被拒（锁定中）"])]
    through_lb, direct = failed[failed["actor"] != "己"], failed[failed["actor"] == "己"]
    assert len(through_lb) == 6 and set(through_lb["client"]) == {"127.0.0.1"}
    assert (through_lb.iloc[0]["actor"], through_lb.iloc[0]["action"]) == (
        "王科长",
        "登录被拒（锁定中）",
    )
    assert direct[["action", "client"]].values.tolist() == [["登录失败", "203.0.113.7"]]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{lb}/_stcore/metrics", timeout=10)
    assert refused.value.code == 403
    try:
        with urllib.request.urlopen(f"{servers[0]}/_stcore/metrics", timeout=10) as response:
            body = response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
    assert "# TYPE" not in body and "cache_memory_bytes" not in body
