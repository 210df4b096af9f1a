"""End to end: the real app in headless Chromium. Screenshots are kept in tests/artifacts/."""

import pytest

from plantrack.navigation import PAGES
from tests.browser import browser_page, screenshot, served_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(demo_db):
    with served_app(demo_db) as url:
        yield url


def test_overview_loads_with_chinese_title_and_sample_banner(app_url):
    with browser_page() as page:
        page.goto(app_url)
        wait_for_app(page, "定海区制造业规划进度看板")
        page.locator(".js-plotly-plot").first.wait_for(timeout=30000)
        assert page.get_by_text("示例数据").first.is_visible()
        assert page.get_by_text("规上工业亩均税收").first.is_visible()
        screenshot(page, "overview")


def test_sidebar_lists_exactly_the_declared_pages(app_url):
    with browser_page() as page:
        page.goto(app_url)
        wait_for_app(page, "定海区制造业规划进度看板")
        links = page.locator('[data-testid="stSidebar"] a').all_inner_texts()
        # each link reads "<icon name>\n\n<title>"
        assert [text.strip().splitlines()[-1] for text in links] == [spec.title for spec in PAGES]


def test_deep_link_keeps_the_shared_sidebar(app_url):
    with browser_page() as page:
        page.goto(f"{app_url}/plan_detail")
        wait_for_app(page, "完成率与序时进度")
        assert page.get_by_text("截至年度").first.is_visible()
        assert page.get_by_text("示例数据").first.is_visible()
        screenshot(page, "plan_detail")


def test_method_page_renders_the_rules(app_url):
    with browser_page() as page:
        page.goto(f"{app_url}/method")
        wait_for_app(page, "口径说明")
        assert page.get_by_text("序时进度（应完成的比例）").first.is_visible()
        screenshot(page, "method")
