"""Exports for briefings: the deck (native charts whose values equal the queries), its PDF, Excel tables,
and chart images whose Chinese is real glyphs."""

import io
import json
import shutil
import subprocess
import sys

import pytest
import python_calamine
from pptx import Presentation

from plantrack.__main__ import main
from plantrack.engine import grading, quotas
from plantrack.report import excel, images
from plantrack.report.deck import pdf, powerpoint, slides
from plantrack.store import db
from tests.browser import chromium_path

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def deck(demo_db, config):
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        return slides.build(con, config, 2024)


def test_pptx_has_every_slide_with_native_charts(deck, con, config):
    chromium_path()
    pptx = Presentation(io.BytesIO(powerpoint.to_pptx(deck)))
    notes = [slide for slide in deck.slides if "口径说明" in slide.title]
    assert notes
    own = [plan for plan in config.plans if plan.role == "own"]  # 对标 plans are never in the deck
    assert len(pptx.slides) == 1 + len(own) + len(notes) + 1 + 2 + 2  # + 需重点推进
    assert pptx.slide_width * 9 == pptx.slide_height * 16
    charts = [shape.chart for slide in pptx.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 3
    pictures = [shape for slide in pptx.slides for shape in slide.shapes if shape.shape_type == 13]
    assert pictures == []
    for slide in pptx.slides:
        text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert "数据截至2024年" in text and "来源：" in text
        assert "示例数据" in text


def test_quota_chart_values_equal_the_query(deck, con, config):
    pptx = Presentation(io.BytesIO(powerpoint.to_pptx(deck)))
    chart = next(shape.chart for slide in pptx.slides for shape in slide.shapes if shape.has_chart)
    plan = config.plan("dinghai-upgrade-2023")
    cells = db.run_query(con, "town_factory_fulfillment", quotas=quotas.quota_param(plan))
    upto = (
        cells[cells["year"] <= 2024]
        .groupby("town", sort=False)[["quota_count", "awarded_count"]]
        .sum()
    )
    categories = list(chart.plots[0].categories)
    due, awarded = (list(series.values) for series in chart.plots[0].series)
    assert categories == list(upto.index)
    assert due == [float(v) for v in upto["quota_count"]]
    assert awarded == [float(v) for v in upto["awarded_count"]]


def test_grade_chart_values_equal_the_query(deck, con, config):
    pptx = Presentation(io.BytesIO(powerpoint.to_pptx(deck)))
    chart = [shape.chart for slide in pptx.slides for shape in slide.shapes if shape.has_chart][2]
    distribution = db.run_query(
        con, "grade_distribution", relations={"grades": grading.grade(con, config.grading)}
    )
    above = distribution[
        (distribution["grp"] == "规上") & (distribution["year"] == 2024)
    ].set_index("grade")
    values = {series.name: list(series.values)[-1] for series in chart.plots[0].series}
    assert values == {f"{g}类": float(above.loc[g, "enterprise_count"]) for g in "ABCD"}


def test_targets_notes_are_in_the_deck(deck, config):
    """Each plan's scorecard is followed by the notes (targets.toml) of the targets on it."""
    notes = {
        (f"{target.label}（{target.year}）"): target.note
        for plan in config.plans
        for target in plan.targets
        if target.note
    }
    slides = [slide for slide in deck.slides if "口径说明" in slide.title]
    for slide in slides:
        before = deck.slides[deck.slides.index(slide) - 1]
        assert before.title.startswith(slide.title.split("：")[0])
        assert "目标完成情况" in before.title or "已结束 · 终期" in before.title
        shown = {row[0] for row in before.rows}
        for label, text in slide.rows:
            assert label in shown
            assert notes[label].startswith(text.split("…（全文见")[0])


def test_conclusions_are_written_from_the_data(deck):
    quota = next(slide for slide in deck.slides if slide.title.startswith("三大工厂镇街任务"))
    assert "完成" in quota.conclusion and "/" in quota.conclusion
    grades = next(slide for slide in deck.slides if "评价档次" in slide.title)
    assert grades.conclusion.startswith("2024年规上企业A类")


def test_pdf_pages_and_searchable_chinese(deck):
    chromium_path()
    if not shutil.which("pdftotext"):
        pytest.skip("未安装 poppler-utils（pdftotext）")
    document = pdf.to_pdf(deck)
    info = subprocess.run(["pdfinfo", "-"], input=document, capture_output=True).stdout.decode()
    assert f"Pages:           {len(deck.slides)}" in info
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=document, capture_output=True
    ).stdout.decode()
    for slide in deck.slides:
        assert slide.title in text, slide.title


def test_cli_brief(demo_db, tmp_path, capsys, monkeypatch):
    chromium_path()
    monkeypatch.setenv("PLANTRACK_ACCOUNTS", str(tmp_path / "accounts.sqlite3"))
    out = tmp_path / "汇报.pptx"
    assert (
        main(
            [
                "brief",
                "--as-of",
                "2023",
                "--plan",
                "dinghai-upgrade-2023",
                "--town",
                "金塘镇",
                "--out",
                str(out),
                "--db",
                str(demo_db),
            ]
        )
        == 0
    )
    pptx = Presentation(str(out))
    # cover, the town's own slide, scorecard, its notes, 需重点推进, towns, grades/low
    assert len(pptx.slides) == 1 + 1 + 1 + 1 + 1 + 2 + 2
    assert (
        main(
            ["brief", "--as-of", "2023", "--plan", "nope", "--out", str(out), "--db", str(demo_db)]
        )
        == 2
    )
    assert "没有编号为 nope 的规划" in capsys.readouterr().err
    # audited as the page's exports are: after the file is built, a failure as 失败
    from plantrack.store import accounts

    log = accounts.audit_log(tmp_path / "accounts.sqlite3")
    assert log["action"].tolist() == ["导出汇报材料失败", "导出汇报材料"]
    assert all(actor.startswith("命令行：") for actor in log["actor"])
    assert set(log["client"]) == {"本机（命令行）"}
    done = json.loads(log["detail"].iloc[1])
    assert (done["格式"], done["镇街"], done["页数"]) == ("PPTX", ["金塘镇"], len(pptx.slides))
    assert done["字节数"] == out.stat().st_size


def test_xlsx_round_trip_numbers_and_no_formulas():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "企业名称": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "正常企业"],
            "亩均税收（万元/亩）": [1.5, 2.25, 0.0, 1234567.891, None],
        }
    )
    data = excel.xlsx_bytes({"测试": frame}, {"筛选": "全部"})
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["测试", "说明"]
    rows = book.get_sheet_by_name("测试").to_python()
    assert rows[0] == ["企业名称", "亩均税收（万元/亩）"]
    assert [row[0] for row in rows[1:]] == list(frame["企业名称"])
    assert [row[1] for row in rows[1:5]] == [1.5, 2.25, 0.0, 1234567.891]
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # written as text, never as formulas
    assert 'ySplit="1"' in sheet  # frozen header row
    notes = book.get_sheet_by_name("说明").to_python()
    assert ["筛选", "全部"] in notes


def test_chart_file_names_say_what_and_when():
    assert excel.safe_filename("镇街赛马排名（截至2024年）") == "镇街赛马排名（截至2024年）"
    assert (
        excel.safe_filename("各镇街三大工厂认定数/应完成数（截至2025年）")
        == "各镇街三大工厂认定数应完成数（截至2025年）"
    )


RENDER = """
import sys
sys.path.insert(0, {root!r})
from plantrack.report import charts
import pandas as pd
fig = charts.yearly_line(pd.DataFrame({{"year": [2022, 2023], "v": [1.0, 2.0]}}), "v", "亩均税收", "万元/亩", "定海区规上工业亩均税收")
# kaleido directly: images.render refuses to draw without a CJK font, which is the point here
import kaleido
sys.stdout.buffer.write(kaleido.calc_fig_sync(fig, opts={{"format": "png", "width": 640, "height": 360, "scale": 1}}, kopts={{"mathjax": False}}))
"""


def _render_png(env_extra: dict) -> bytes:
    import os

    from plantrack.settings import ROOT

    env = {**os.environ, **env_extra}
    result = subprocess.run(
        [sys.executable, "-c", RENDER.format(root=str(ROOT))],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()[-500:]
    return result.stdout


def test_chinese_renders_as_glyphs_not_boxes(tmp_path):
    """The same chart rendered where fontconfig sees no CJK font differs in the title: with the CJK font
    the title is drawn in Chinese glyphs (and the SVG names the CJK font)."""
    from PIL import Image, ImageChops

    chromium_path()
    if not images.cjk_fonts():
        pytest.fail("没有中文字体：fc-list :lang=zh 为空")
    no_cjk = tmp_path / "fonts.conf"
    no_cjk.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>"
        + str(tmp_path / "cache")
        + "</cachedir></fontconfig>",
        encoding="utf-8",
    )
    with_cjk = Image.open(io.BytesIO(_render_png({}))).convert("L")
    without = Image.open(io.BytesIO(_render_png({"FONTCONFIG_FILE": str(no_cjk)}))).convert("L")
    title = (0, 0, 640, 45)
    assert ImageChops.difference(with_cjk.crop(title), without.crop(title)).getbbox() is not None
    svg = images.render(
        __import__("plantrack.report.charts", fromlist=["x"]).yearly_line(
            __import__("pandas").DataFrame({"year": [2023], "v": [1.0]}),
            "v",
            "亩均税收",
            "万元/亩",
            "定海区规上工业亩均税收",
        ),
        "svg",
    ).decode()
    assert "Noto Sans CJK SC" in svg and "定海区规上工业亩均税收" in svg


def test_focus_slide_is_the_warning_list_of_own_plans_in_force(deck, config):
    """需重点推进 (as of 2024): 总览's 预警 — only 本区 plans in force, each row with 还需, the pace needed
    beside the pace so far and the projection."""
    (focus,) = [slide for slide in deck.slides if slide.title.startswith("需重点推进")]
    assert "预计只是趋势" in focus.source
    assert focus.columns[-4:] == ["还需", "需要的节奏", "目前节奏", "预计"]
    in_force = {plan.short for plan in config.plans if plan.role == "own" and plan.end >= 2024}
    assert focus.rows and {row[0] for row in focus.rows} <= in_force
    assert focus.conclusion.startswith("本区在实施的规划中需重点推进")
