"""The upload page in a real browser: a wrong login refused, the data clerk's accepted, a bad file's report
shown, a good file's data visible on the other pages afterwards."""

import shutil
import zipfile
from pathlib import Path

import pytest

from plantrack.ingest import creditcode, write
from plantrack.store import accounts
from tests.browser import browser_page, screenshot, served_app, wait_for_app

pytestmark = pytest.mark.browser
CORPUS = Path(__file__).resolve().parent / "corpus"
PASSWORD = "定海-test-2025"


@pytest.fixture(scope="module")
def real_app(tmp_path_factory, config):
    folder = tmp_path_factory.mktemp("upload")
    path = folder / "real.duckdb"
    assert write.import_file(
        CORPUS / "good" / "企业年度数据_2024_标题行与合计行.xlsx", path, config
    ).ok
    accounts.add_user(folder / "accounts.sqlite3", "数据员小周", "数据员", None, PASSWORD)
    with served_app(path) as url:
        yield url, folder


def _login(page, url, password):
    """Real data: the app shows nothing but the login until the data clerk has logged in."""
    page.goto(f"{url}/upload")
    page.get_by_text("请登录后查看").first.wait_for(timeout=30000)
    page.get_by_label("用户名").fill("数据员小周")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_upload_flow(real_app, tmp_path):
    url, folder = real_app
    good = tmp_path / "新企业.csv"
    lines = [
        "统一社会信用代码,企业名称,所属镇街,所属行业,年度,是否规上,用地面积（亩）,税收实际贡献（万元）"
    ]
    for index in range(2):
        code = creditcode.make("330902", f"7700000{index}")
        lines.append(
            f"{code},浏览器测试{index}号有限公司,白泉镇,水产品加工,2024,是,12,{90 + index}"
        )
    good.write_text("\n".join(lines), encoding="utf-8")
    bad = tmp_path / "用地为负.xlsx"
    shutil.copyfile(CORPUS / "bad" / "用地为负.xlsx", bad)

    with browser_page() as page:
        _login(page, url, "wrong-password")
        page.get_by_text("用户名或密码错误").first.wait_for(timeout=20000)

        _login(page, url, PASSWORD)
        page.get_by_text("选择文件").first.wait_for(timeout=20000)

        page.locator('input[type="file"]').set_input_files(str(bad))
        page.get_by_text("用地为负.xlsx").first.wait_for(timeout=20000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20000
        )
        page.get_by_role("button", name="校验并导入").click()
        page.get_by_text("发现 1 个问题").first.wait_for(timeout=20000)
        screenshot(page, "upload_rejected")
        with page.expect_download(timeout=60000) as download:
            page.get_by_text("下载标注了问题的工作簿").first.click()
        assert download.value.suggested_filename == "用地为负_问题标注.xlsx"
        marked = zipfile.ZipFile(download.value.path())
        comments = [n for n in marked.namelist() if n.startswith("xl/comments")]
        assert comments and "不能为负数" in marked.read(comments[0]).decode()

        page.locator('input[type="file"]').set_input_files(str(good))
        page.get_by_text("新企业.csv").first.wait_for(timeout=20000)
        # the new file reruns the page (the old report goes away); click only when that run is over
        page.get_by_text("发现 1 个问题").first.wait_for(state="hidden", timeout=20000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20000
        )
        page.get_by_role("button", name="校验并导入").click()
        page.get_by_text("已导入 2 行").first.wait_for(timeout=30000)
        screenshot(page, "upload_done")

        # a new page load is a new session: the login is asked again, then the link's view is shown
        page.goto(f"{url}/evaluation?q=浏览器测试")
        page.get_by_label("用户名").fill("数据员小周")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        wait_for_app(page, "符合条件的企业")
        screenshot(page, "upload_after")
        page.get_by_text("符合条件的企业 2 家").first.wait_for(timeout=20000)
