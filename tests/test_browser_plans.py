"""规划发布 in a real browser: the admin uploads the example plan, sees the check and preview, publishes;
uploads its 2025 revision, sees what changes, publishes; 规划详情 then shows the version and history."""

import pytest

from plantrack.ingest import demo
from plantrack.ingest.plans import example
from plantrack.store import accounts
from tests.browser import browser_page, screenshot, served_app, wait_for_app
from tests.conftest import FIXTURE_ENTERPRISES, FIXTURE_SEED

pytestmark = pytest.mark.browser
PASSWORD = "定海-plans-2025"


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory, config):
    """The fixture's demo data without the example plan: the browser publishes it."""
    path = tmp_path_factory.mktemp("plans") / "bare.duckdb"
    demo.build(path, config, seed=FIXTURE_SEED, enterprises=FIXTURE_ENTERPRISES, example_plan=False)
    accounts.add_user(path.parent / "accounts.sqlite3", "数据员小周", "数据员", None, PASSWORD)
    with served_app(path) as url:
        yield url


def _idle(page):
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000
    )


def _check(page, path, then: str):
    page.locator('input[type="file"]').set_input_files(str(path))
    page.locator(f'[data-testid="stFileChipName"][title="{path.name}"]').wait_for(timeout=20000)
    _idle(page)
    page.get_by_role("button", name="校验并预览").click()
    page.get_by_text(then).first.wait_for(timeout=40000)
    _idle(page)


def test_publish_the_example_and_its_revision(bare_app):
    first, revision = example.paths()
    with browser_page(height=2600) as page:  # tall: the preview fits the screenshot
        page.goto(f"{bare_app}/plan_publish")
        wait_for_app(page, "规划发布")
        page.get_by_label("用户名").fill("数据员小周")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_text("上传填好的规划模板").first.wait_for(timeout=20000)

        _check(page, first, "预览：按截至2025年的数据")
        assert page.get_by_text("新规划 · 发布后为第1版").count() >= 1
        page.get_by_role("button", name="发布为第1版").click()
        page.get_by_text("已发布规划「示例三年计划」第1版").first.wait_for(timeout=40000)
        _idle(page)

        _check(page, revision, "与现行第1版相比：目标 修改1项、新增1项；镇街任务 修改2格")
        page.get_by_text("预览：按截至2025年的数据").first.wait_for(timeout=20000)
        screenshot(page, "plan_preview")
        page.get_by_role("button", name="发布为第2版").click()
        page.get_by_text("已发布规划「示例三年计划」第2版").first.wait_for(timeout=40000)
        _idle(page)
        page.get_by_text("规划发布记录").first.wait_for(timeout=20000)

        page.goto(f"{bare_app}/plan_detail")
        wait_for_app(page, "完成率与序时进度")
        page.get_by_role("combobox", name="规划").click()
        page.get_by_role("option", name="示例三年计划", exact=False).first.click()
        page.get_by_text("截至2025年按第2版").first.wait_for(timeout=30000)
        _idle(page)
        page.get_by_text("版本与调整记录（共2版）").first.click()
        page.get_by_text("与第1版相比：目标 修改1项").first.wait_for(timeout=20000)
        page.get_by_text("版本与调整记录（共2版）").first.scroll_into_view_if_needed()
        screenshot(page, "plan_history")
        assert page.locator('[data-testid="stException"]').count() == 0
