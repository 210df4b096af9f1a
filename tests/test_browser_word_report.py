"""汇报材料 in a real browser: the Word 分析报告 is built after the click, in Streamlit's worker thread
(no session), and arrives as a .docx named by its scope."""

from __future__ import annotations

import docx
import pytest

from tests.browser import browser_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_district_report_downloads_as_docx(demo_url):
    with browser_page() as page:
        page.goto(f"{demo_url}/briefing")
        wait_for_app(page, "分析报告（Word，党政机关公文格式）")
        screenshot(page, "briefing_word_report")
        with page.expect_download(timeout=120000) as download:
            page.get_by_text("生成并下载分析报告（Word）").first.click()
        name = download.value.suggested_filename
        assert name.startswith("定海区") and name.endswith("年制造业规划实施情况分析报告.docx")
        document = docx.Document(download.value.path())
        assert document.paragraphs[0].text.startswith("定海区")
        assert any(p.text == "一、总体情况" for p in document.paragraphs)
        assert document.inline_shapes  # the charts, drawn by the server after the click
