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


@pytest.fixture(scope="module")
def loop_app(tmp_path_factory, config):
    """Real data (the corpus's four firms, 2024) and a data clerk's account, on its own server."""
    folder = tmp_path_factory.mktemp("loop")
    path = folder / "real.duckdb"
    assert write.import_file(
        CORPUS / "good" / "企业年度数据_2024_标题行与合计行.xlsx", path, config
    ).ok
    accounts.add_user(folder / "accounts.sqlite3", "数据员小周", "数据员", None, PASSWORD)
    with served_app(path) as url:
        yield url


def _wait_idle(page) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState"
        " === 'notRunning' && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=30000,
    )


def _rows_of(path: Path) -> list[list]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


def _xlsx(path: Path, rows: list[list]) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("企业年度数据")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write(r, c, value)
    book.close()
    return path


def test_the_whole_loop_as_a_data_clerk(loop_app, tmp_path):
    """Template → a file with one error → the annotated workbook → fixed → imported → the new figure on
    总览 → undo → the old figure. 规上 firms of the corpus (2024): 税收 360 + 300 + 900 万元 on
    30 + 120 + 40 亩; the file raises the first firm's 税收 to 740."""
    from tests.corpus.make_corpus import HEADER, ROWS

    old_mu_tax = f"{(360 + 300 + 900) / (30 + 120 + 40):.2f}"  # 8.21 万元/亩
    new_mu_tax = f"{(740 + 300 + 900) / (30 + 120 + 40):.2f}"  # 10.21 万元/亩
    url = loop_app
    with browser_page() as page:
        _login(page, url, PASSWORD)
        page.get_by_text("选择文件").first.wait_for(timeout=20000)
        _wait_idle(page)

        page.get_by_text("下载导入模板").first.click()
        with page.expect_download(timeout=60000) as download:
            page.get_by_role("button", name="企业年度数据模板").click()
        header = _rows_of(Path(download.value.path()))[0]
        assert header[0] == "统一社会信用代码" and "税收实际贡献（万元）" in header

        by_name = {name: index for index, name in enumerate(header)}
        rows = [header]
        for row in ROWS:  # the corpus's figures, under the template's header
            filled = [None] * len(header)
            for name, value in zip(HEADER, row, strict=True):
                filled[by_name[name]] = value
            rows.append(filled)
        rows[1][by_name["税收实际贡献（万元）"]] = 740
        rows[3][by_name["用地面积（亩）"]] = -8  # the one error (row 4)
        bad = _xlsx(tmp_path / "企业年度数据_2024更正.xlsx", rows)

        page.locator('input[type="file"]').set_input_files(str(bad))
        page.get_by_text("企业年度数据_2024更正.xlsx").first.wait_for(timeout=20000)
        _wait_idle(page)
        page.get_by_role("button", name="校验并导入").click()
        page.get_by_text("发现 1 个问题").first.wait_for(timeout=30000)
        with page.expect_download(timeout=60000) as download:
            page.get_by_text("下载标注了问题的工作簿").first.click()
        marked = Path(download.value.path())
        comments = [n for n in zipfile.ZipFile(marked).namelist() if n.startswith("xl/comments")]
        assert "不能为负数" in zipfile.ZipFile(marked).read(comments[0]).decode()

        fixed_rows = _rows_of(marked)  # the clerk fixes the marked cell in the returned workbook
        fixed_rows[3][by_name["用地面积（亩）"]] = 8
        fixed = _xlsx(tmp_path / "企业年度数据_2024更正_已改.xlsx", fixed_rows)
        page.locator('input[type="file"]').set_input_files(str(fixed))
        page.get_by_text("发现 1 个问题").first.wait_for(state="hidden", timeout=20000)
        _wait_idle(page)
        page.get_by_role("button", name="校验并导入").click()
        page.get_by_text("已导入 4 行").first.wait_for(timeout=30000)
        # the ledger, in words (a data grid: its cells are in the page, drawn on a canvas)
        page.get_by_text("1 家税收实际贡献有改动").first.wait_for(state="attached", timeout=20000)
        screenshot(page, "upload_loop_imported")

        page.get_by_role("link", name="总览").first.click()
        wait_for_app(page, "全区亩均效益")
        page.get_by_text(f"{new_mu_tax} 万元/亩").first.wait_for(timeout=30000)
        screenshot(page, "upload_loop_overview_new")

        page.get_by_role("link", name="数据导入").first.click()
        page.get_by_role("button", name="撤销第2次导入…").click()
        page.get_by_text("恢复为导入前的值").first.wait_for(timeout=20000)
        page.get_by_role("button", name="确认撤销").click()
        page.get_by_text("已撤销第2次导入").first.wait_for(timeout=30000)
        screenshot(page, "upload_loop_undone")

        page.get_by_role("link", name="总览").first.click()
        wait_for_app(page, "全区亩均效益")
        page.get_by_text(f"{old_mu_tax} 万元/亩").first.wait_for(timeout=30000)
