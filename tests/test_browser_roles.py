"""Each role logs in through the real login form on real data, in Chromium: what it sees, and that a
镇街 user's tampering (another town's firm in the URL, a search for it) reads nothing of it."""

import pytest

from plantrack.ingest import write
from plantrack.store import accounts
from tests.browser import browser_page, screenshot, served_app, wait_for_app
from tests.test_browser_upload import CORPUS

pytestmark = pytest.mark.browser
PASSWORD = "角色-测试-2026-春"
ROLES = {"局领导": ("领导", None), "王科长": ("科室", None), "小周": ("数据员", None),
         "局管理员": ("管理员", None), "金塘小李": ("镇街", "金塘镇")}  # fmt: skip
MARKDOWN_NAME = "[点此](http://evil.example)"


@pytest.fixture(scope="module")
def real_app(tmp_path_factory, config):
    folder = tmp_path_factory.mktemp("roles")
    path = folder / "real.duckdb"
    assert write.import_file(CORPUS / "good" / "企业年度数据_2024_GBK.csv", path, config).ok
    for name, (role, town) in {**ROLES, MARKDOWN_NAME: ("科室", None)}.items():
        accounts.add_user(folder / "accounts.sqlite3", name, role, town, PASSWORD)
    with served_app(path) as url:
        yield url, path


def _login(page, url, path, name):
    page.goto(f"{url}/{path}")
    page.get_by_text("请登录后查看").first.wait_for(timeout=30000)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _sidebar(page) -> list[str]:
    page.locator('[data-testid="stSidebar"] a').first.wait_for(timeout=30000)
    links = page.locator('[data-testid="stSidebar"] a').all_inner_texts()
    return [text.strip().splitlines()[-1] for text in links]


@pytest.mark.parametrize("name", list(ROLES))
def test_each_role_sees_its_pages(real_app, name):
    url, _ = real_app
    with browser_page() as page:
        _login(page, url, "", name)
        wait_for_app(page, f"当前用户：{name}")
        pages = _sidebar(page)
        assert ("账户与审计" in pages) == (ROLES[name][0] == "管理员")
        assert "总览" in pages


def test_a_town_user_cannot_reach_another_towns_firm(real_app):
    import duckdb

    url, path = real_app
    with duckdb.connect(str(path), read_only=True) as con:
        code, firm = con.execute(
            "select credit_code, name from enterprises where town <> '金塘镇' order by credit_code limit 1"
        ).fetchone()
    with browser_page(height=2000) as page:
        _login(page, url, f"enterprise?code={code}", "金塘小李")
        wait_for_app(page, "三大工厂资格")
        assert page.get_by_text(firm).count() == 0
        page.get_by_text("金塘镇").first.wait_for(timeout=20000)
        screenshot(page, "town_user_enterprise")
        page.goto(f"{url}/evaluation?q={firm}")  # a new page load: a new session, logged in again
        page.get_by_label("用户名").fill("金塘小李")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        wait_for_app(page, "符合条件的企业")
        page.get_by_text("符合条件的企业 0 家").first.wait_for(timeout=20000)
        assert page.get_by_text(firm).count() == 0


def test_a_markdown_user_name_is_shown_literally(real_app):
    url, _ = real_app
    with browser_page() as page:
        _login(page, url, "", MARKDOWN_NAME)
        wait_for_app(page, "当前用户：")
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert f"当前用户：{MARKDOWN_NAME}（科室）" in sidebar.inner_text().replace("\u2060", "")
        assert sidebar.locator('a[href*="evil.example"]').count() == 0
