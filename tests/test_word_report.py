"""The Word 分析报告: 公文 layout read back with python-docx, its counts against `progress --json`, a town's
rank against the district's 赛马, and the district and one town report rendered by LibreOffice with no
text past the margins (PDF and PNG pages kept in tests/artifacts/)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from plantrack.__main__ import main
from plantrack.report import images
from plantrack.report.word import content, files, pdf
from tests.browser import ARTIFACTS

AS_OF = 2025
needs_charts = pytest.mark.skipif(images.problem() is not None, reason=str(images.problem()))


@pytest.fixture(scope="module")
def written(tmp_path_factory, demo_db, demo_config):
    """The district report and every quota town's, charts drawn by kaleido, as the CLI writes them."""
    if images.problem() is not None:
        pytest.skip(images.problem())
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        reports = files.all_reports(con, demo_config, AS_OF)
        towns = content.quota_towns(con, demo_config, AS_OF)
    folder = tmp_path_factory.mktemp("reports")
    for name, data in reports.items():
        (folder / name).write_bytes(data)
    return folder, towns


def _district(folder):
    return folder / f"定海区{AS_OF}年制造业规划实施情况分析报告.docx"


def _town(folder, town):
    return folder / f"{town}{AS_OF}年制造业规划实施情况分析报告.docx"


def _body(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def _east_asian(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_one_file_per_town_named_by_the_town(written):
    folder, towns = written
    assert len(towns) >= 10
    names = {path.name for path in folder.iterdir()}
    assert _district(folder).name in names
    for town in towns:
        assert _town(folder, town).name in names
    assert len(names) == len(towns) + 1


@needs_charts
def test_official_layout(written):
    folder, _ = written
    document = docx.Document(_district(folder))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for margin, mm in (
        ("top_margin", 37),
        ("bottom_margin", 35),
        ("left_margin", 28),
        ("right_margin", 26),
    ):
        assert abs(getattr(section, margin).mm - mm) < 0.1, margin
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = int(grid.get(qn("w:linePitch")))
    text_height_twips = Mm(297 - 37 - 35).twips
    assert text_height_twips // pitch == 22  # 22 lines a page
    # body: 3号 仿宋_GB2312, exactly one grid line each, 28 characters of 16 pt − spacing in 156 mm
    body = [p for p in document.paragraphs if p.text.startswith(f"截至{AS_OF}年底")]
    assert body
    for paragraph in body:
        assert paragraph.paragraph_format.line_spacing.twips == pitch
        for run in paragraph.runs:
            assert run.font.size.pt == 16
            assert _east_asian(run) == "仿宋_GB2312"
    normal = document.styles["Normal"].element.rPr
    spacing_pt = int(normal.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + spacing_pt) <= Mm(210 - 28 - 26).pt < 29 * (16 + spacing_pt)
    title = document.paragraphs[0]
    assert title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22
    assert _east_asian(title.runs[0]) == "方正小标宋简体"
    headings = [p for p in document.paragraphs if re.match(r"^[一二三四五六七八九十]、", p.text)]
    subheadings = [
        p for p in document.paragraphs if re.match(r"^（[一二三四五六七八九十]）", p.text)
    ]
    assert [h.text for h in headings][:2] == ["一、总体情况", "二、各规划完成情况"]
    assert all(_east_asian(h.runs[0]) == "黑体" for h in headings)
    assert subheadings and all(_east_asian(h.runs[0]) == "楷体_GB2312" for h in subheadings)


@needs_charts
def test_page_numbers_at_the_outside_edge(written):
    folder, _ = written
    document = docx.Document(_district(folder))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, side in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == getattr(docx.enum.text.WD_ALIGN_PARAGRAPH, side)
        assert paragraph.text == "— 1 —"  # the PAGE field's placeholder between the dashes
        assert " PAGE " in [t.text for t in paragraph._p.iter(qn("w:instrText"))]
        assert all(run.font.size.pt == 14 for run in paragraph.runs)  # 4号


@needs_charts
def test_counts_are_progress_json_counts(written, demo_db, demo_config, capsys):
    folder, _ = written
    assert main(["progress", "--as-of", str(AS_OF), "--db", str(demo_db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    text = "\n".join(_body(docx.Document(_district(folder))))
    labels = demo_config.status.labels
    own = [plan for plan in demo_config.plans if plan.role == "own" and plan.start <= AS_OF]
    in_force = [plan for plan in own if plan.end >= AS_OF]
    for plan in own:
        mine = [row for row in rows if row["plan"] == plan.id and row["status"] != "not_applicable"]
        assert f"《{plan.title}》" in text
        if plan in in_force:
            counts = "，".join(
                f"{labels[status]}{n}项"
                for status in ("met", "on_pace", "no_data", "behind", "far_behind")
                if (n := sum(row["status"] == status for row in mine))
            )
            assert f"{len(mine)}项目标中，{counts}。" in text, plan.short
            continue
        # an ended plan reads as its 终期: each target once, in its last year (逐年目标 counted once)
        last = {}
        for row in sorted(mine, key=lambda row: row["year"]):
            last[(row["label"], row["unit"])] = row["status"]
        met = sum(status == "met" for status in last.values())
        missed = sum(status in ("on_pace", "behind", "far_behind") for status in last.values())
        assert f"{plan.short}已于{plan.end}年结束，终期达标{met}项、未达标{missed}项。" in text
    every = [
        row
        for row in rows
        if row["plan"] in {plan.id for plan in in_force} and row["status"] != "not_applicable"
    ]
    assert f"在实施的{len(in_force)}个本区规划共{len(every)}项目标纳入评估" in text
    met = sum(row["status"] == "met" for row in every)
    assert f"达标{met}项" in text
    # 对标 plans only in the one comparison paragraph
    for plan in demo_config.plans:
        if plan.role == "peer":
            assert sum(plan.title in line for line in _body(docx.Document(_district(folder)))) == 1


@needs_charts
def test_town_rank_is_the_district_ranking(written):
    folder, towns = written
    district = "\n".join(_body(docx.Document(_district(folder))))
    boards = re.search(r"红榜(\S+?)；黑榜(\S+?)。", district)
    red, black = boards.group(1).split("、"), boards.group(2).split("、")
    ranks, scores = {}, {}
    for town in towns:
        text = "\n".join(_body(docx.Document(_town(folder, town))))
        assert text.count(town) >= 3  # the report is about the town
        found = re.search(
            r"在全区(\d+)个有任务的镇街（平台）中排第(\d+)名.*?认定数÷应完成数(\d+)%", text
        )
        ranks[town] = int(found.group(2))
        scores[town] = int(found.group(3))
        count = int(found.group(1))
    assert sorted(ranks.values()) == list(range(1, count + 1))
    assert sorted(ranks, key=ranks.get)[:3] == red
    assert sorted(ranks, key=ranks.get)[-3:] == black
    ordered = [scores[town] for town in sorted(ranks, key=ranks.get)]
    assert ordered == sorted(ordered, reverse=True)


@needs_charts
def test_figures_are_300_dpi_with_captions(written):
    folder, _ = written
    document = docx.Document(_district(folder))
    captions = [p.text for p in document.paragraphs if re.match(r"^图\d+ ", p.text)]
    assert [c.split(" ")[0] for c in captions] == [f"图{i}" for i in range(1, len(captions) + 1)]
    assert len(captions) >= 3
    for shape in document.inline_shapes:
        pixels = shape._inline.graphic.graphicData.pic  # the embedded PNG's size
        blip = pixels.blipFill.blip.embed
        image = document.part.related_parts[blip].image
        assert image.px_width / (shape.width.inches) >= 299


@needs_charts
def test_appendix_names_a_source_for_every_figure_in_plain_words(written):
    folder, _ = written
    document = docx.Document(_district(folder))
    table = document.tables[-1]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["序号", "所在部分", "正文中的数字", "来源（数据与筛选）"]
    text = "\n".join(_body(document))
    assert len(table.rows) > 20
    for row in table.rows[1:]:
        figure, source = row.cells[2].text, row.cells[3].text
        assert figure in text
        assert source and not re.search(r"\.sql|\.py|queries/|targets\.toml|_", source), source


@needs_charts
def test_cli_writes_an_audit_entry(tmp_path, demo_db, monkeypatch):
    from plantrack.store import accounts

    monkeypatch.setenv("PLANTRACK_ACCOUNTS", str(tmp_path / "accounts.sqlite3"))
    out = tmp_path / "报告.docx"
    town = "金塘镇"
    args = [
        "report",
        "--as-of",
        str(AS_OF),
        "--town",
        town,
        "--db",
        str(demo_db),
        "--out",
        str(out),
    ]
    assert main(args) == 0
    assert town in "\n".join(_body(docx.Document(out)))
    log = accounts.audit_log(tmp_path / "accounts.sqlite3")
    assert "导出分析报告" in set(log["action"])
    other = ["report", "--as-of", str(AS_OF), "--town", "不存在街道", "--db", str(demo_db)]
    assert main([*other, "--out", str(tmp_path / "x.docx")]) == 2


@needs_charts
@pytest.mark.skipif(
    pdf.soffice() is None or shutil.which("pdftoppm") is None,
    reason="需要 LibreOffice 与 poppler-utils",
)
def test_rendered_pages_keep_text_inside_the_margins(written, tmp_path):
    """LibreOffice → PDF → every word's box inside the text block (page numbers in the foot margin);
    PNG pages for looking at, in tests/artifacts/."""
    folder, towns = written
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for source, stem in (
        (_district(folder), "word_report_district"),
        (_town(folder, towns[-1]), "word_report_town"),
    ):
        copy = tmp_path / f"{stem}.docx"
        shutil.copy(source, copy)
        rendered = pdf.to_pdf(copy, tmp_path)
        fonts = subprocess.run(["pdffonts", str(rendered)], capture_output=True, text=True).stdout
        assert "CJK" in fonts or "cwTeX" in fonts  # Chinese drawn with a Chinese font
        boxes = subprocess.run(
            ["pdftotext", "-bbox", str(rendered), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "总体情况" in subprocess.run(
            ["pdftotext", str(rendered), "-"], capture_output=True, text=True
        ).stdout.replace(" ", "")
        pt = 72 / 25.4
        left, right, top = 28 * pt - 1, (210 - 26) * pt + 1, 37 * pt - 1
        for match in re.finditer(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', boxes
        ):
            x0, y0, x1, y1 = map(float, match.groups()[:4])
            word = match.group(5)
            assert left <= x0, f"{stem}: “{word}” 超出左边距"
            # LibreOffice hangs a closing punctuation mark past the right margin (Chinese typesetting
            # allows it; the .docx turns it off for Word, w:overflowPunct, which LibreOffice ignores):
            # that one mark only, never a character of text
            if x1 > right:
                assert word[-1] in "，。、；：！？）》”’" and x1 - right <= 16, (
                    f"{stem}: “{word}” 超出右边距"
                )
            assert top <= y0, f"{stem}: “{word}” 高于上边距"
            if y1 > (297 - 35) * pt + 1:  # only the page number lives in the foot margin
                assert re.fullmatch(r"—|\d+", word), f"{stem}: “{word}” 低于下边距"
        for old in ARTIFACTS.glob(f"{stem}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", str(rendered), str(ARTIFACTS / stem)], check=True
        )
        shutil.copy(rendered, ARTIFACTS / f"{stem}.pdf")
        assert list(ARTIFACTS.glob(f"{stem}-*.png"))


def test_same_data_same_text(con, demo_config):
    """Written by rules: two runs give the same words and the same sources."""
    first = content.build(con, demo_config, AS_OF, "金塘镇")
    second = content.build(con, demo_config, AS_OF, "金塘镇")
    assert [b.text for b in first.blocks] == [b.text for b in second.blocks]
    assert first.facts == second.facts
    text = "".join(b.text for b in first.blocks)
    assert not re.search(r"None|nan|\.sql|queries/|targets\.toml", text)
    assert "20 家" not in text and re.search(r"\d家", text)
