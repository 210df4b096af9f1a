"""Two app processes behind HAProxy (deploy/haproxy.cfg), as the deployment recipe runs them: an upload
works through the balancer, and the import it makes shows on a page served by the other process, with
no restart. Runs when haproxy is installed (.ci/run installs it)."""

from __future__ import annotations

import os
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
