"""End to end: the 预警 page in headless Chromium (tall viewport), filtered to red warnings; screenshot
kept as tests/artifacts/warnings.png."""

import pytest

from tests.browser import browser_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_warnings_page_shows_the_month_and_red_warnings(demo_url):
    with browser_page(width=1440, height=1800) as page:
        page.goto(f"{demo_url}/warnings?severity=红色")
        wait_for_app(page, "截至2026年10月", timeout_ms=90000)  # the first run computes the month
        page.get_by_text("红色预警").first.wait_for(
            timeout=60000
        )  # the run after the URL is written
        assert page.get_by_text("红色预警").count() == 1
        assert page.get_by_text("黄色预警").count() == 1
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=30000)
        grid.locator("canvas").first.wait_for(timeout=30000)
        page.wait_for_timeout(1000)  # the grid paints its cells after the canvas appears
        assert page.get_by_text("年内进度（截至2026年10月）").count() == 1
        assert page.get_by_text("Page not found").count() == 0
        screenshot(page, "warnings")


def test_overview_shows_this_year_after_ten_months(demo_url):
    with browser_page(width=1440, height=1200) as page:
        page.goto(demo_url)
        wait_for_app(page, "年内进度（截至2026年10月）", timeout_ms=90000)
        heading = page.get_by_text("年内进度（截至2026年10月）").first
        heading.scroll_into_view_if_needed()
        grids = page.locator('[data-testid="stDataFrame"]')
        grids.last.locator("canvas").first.wait_for(timeout=30000)
        grids.last.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)  # the grid paints its cells after the canvas appears
        assert heading.is_visible()
        screenshot(page, "overview_in_year")
        # the shared picker's first choice is the month: the banner says what each figure is as of,
        # and 1—10月 figures stand beside the annual ones
        assert page.get_by_text("截至2026年10月：年度数据截至2025年").count() == 1
        page.set_viewport_size({"width": 1440, "height": 4600})  # the main area scrolls inside
        ytd = page.get_by_text("1—10月累计税收").first
        ytd.wait_for(timeout=30000)
        assert ytd.is_visible()
        page.wait_for_timeout(1500)  # the charts redraw at the new size
        screenshot(page, "overview_month")


def test_a_filter_chosen_on_the_page_is_kept_in_the_address(demo_url):
    """级别 → 黄色: the list shows yellow warnings only and the address says so (a link to the view), also
    after a reload."""
    with browser_page(width=1440, height=1800) as page:
        page.goto(f"{demo_url}/warnings")
        wait_for_app(page, "截至2026年10月", timeout_ms=90000)
        page.get_by_text("红色预警").first.wait_for(timeout=60000)
        red = page.locator('[data-testid="stMetricValue"]').first
        assert red.inner_text() != "0 条"
        page.get_by_text("黄色", exact=True).first.click()
        page.wait_for_function(
            "() => decodeURIComponent(window.location.search).includes('severity=黄色')",
            timeout=20000,
        )
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMetricValue\"]')?.innerText === '0 条'",
            timeout=30000,
        )
        page.reload()
        wait_for_app(page, "截至2026年10月", timeout_ms=90000)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMetricValue\"]')?.innerText === '0 条'",
            timeout=30000,
        )
