"""The 分析报告 as a .docx in the 党政机关公文 layout (GB/T 9704-2012): A4; margins 上37 下35 左28 右26 mm;
body 3号 (16 pt) 仿宋_GB2312, 22 lines a page, 28 characters a line; title 2号 (22 pt) 方正小标宋简体,
centred; 一、 headings 黑体, （一） 楷体_GB2312; page numbers 4号 "— 1 —" at the foot, on the outside
edge (odd pages right, even pages left).

The file names the official fonts (w:eastAsia), which a bureau's Word has; the substitutes used to render
it on this server are mapped in fonts.conf beside this module."""

from __future__ import annotations

import io
import math
from collections.abc import Callable

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips

from plantrack.report.layout import column_widths
from plantrack.report.word.content import CHART_WIDTH_PX, Report

PAGE = {"width": Mm(210), "height": Mm(297)}
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"  # 一、
SUBHEADING_FONT = "楷体_GB2312"  # （一）
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小四
APPENDIX_SIZE = Pt(10.5)  # 五号

# the elements that follow w:spacing in w:rPr, and w:snapToGrid in w:pPr (ECMA-376 order: Word refuses
# a file whose properties are out of order)
RPR_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
PPR_AFTER_SNAP = (
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def text_height():
    return Emu(PAGE["height"] - MARGINS["top"] - MARGINS["bottom"])


def text_width():
    return Emu(PAGE["width"] - MARGINS["left"] - MARGINS["right"])


def line_pitch() -> Twips:
    """22 lines in the text height: 225 mm ÷ 22 ≈ 28.95 pt (579 twips)."""
    return Twips(int(text_height().twips / LINES_PER_PAGE))


def char_spacing() -> int:
    """Character spacing of the body text (w:spacing/@w:val, in 1/20 pt, rounded down) so that 28
    characters of 16 pt fill the 156 mm text width (≈ 15.79 pt each): −5, i.e. 15.75 pt a character.
    The 28 come from this, not from a character grid (w:docGrid type linesAndChars with a negative
    charSpace), which LibreOffice lays out at about 17 characters a line."""
    pitch = text_width().pt / CHARS_PER_LINE
    return math.floor((pitch - BODY_SIZE.pt) * 20)


def to_docx(report: Report, render: Callable[..., bytes]) -> bytes:
    """The report as .docx bytes; `render(fig, width, height)` draws a chart as PNG (300 dpi at the
    text width: report/images.render)."""
    document = Document()
    _page_setup(document)
    _styles(document)
    _title(document, report)
    for block in report.blocks:
        if block.kind == "heading1":
            heading = _paragraph(document, block.text, HEADING_FONT, BODY_SIZE, indent=True)
            heading.paragraph_format.keep_with_next = True
        elif block.kind == "heading2":
            heading = _paragraph(document, block.text, SUBHEADING_FONT, BODY_SIZE, indent=True)
            heading.paragraph_format.keep_with_next = True
        elif block.kind == "para":
            _paragraph(document, block.text, BODY_FONT, BODY_SIZE, indent=True)
        elif block.kind == "figure":
            png = render(block.figure, CHART_WIDTH_PX, block.height)
            picture = document.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.keep_with_next = True  # with its caption
            _free_spacing(picture)
            picture.add_run().add_picture(io.BytesIO(png), width=text_width())
            caption = _paragraph(document, block.text, BODY_FONT, BODY_SIZE, indent=False)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "table":
            _table(document, block.columns, block.rows, TABLE_SIZE)
    _appendix(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = Mm(28)  # the number 7 mm below the text block's foot
    section.start_type = WD_SECTION.NEW_PAGE
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch().twips))
    grid.attrib.pop(qn("w:charSpace"), None)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, alignment) -> None:
    """ "— 1 —" in 4号, one character in from the outside edge."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
    else:
        paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
    _font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    run = paragraph.add_run()
    _font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    _font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _styles(document) -> None:
    """The document's defaults and Normal: 仿宋_GB2312 3号, Chinese (the grid's character pitch is
    reckoned from the default size), no space between paragraphs."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    _no_hanging(document.styles["Normal"].element.get_or_add_pPr())
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    _condense(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)


def _fonts(rpr, east_asian: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), LATIN_FONT)


def _condense(rpr) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(char_spacing()))
    rpr.insert_element_before(spacing, *RPR_AFTER_SPACING)


def _font(run, east_asian: str, size) -> None:
    run.font.size = size
    _fonts(run._r.get_or_add_rPr(), east_asian)


def _exact(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line_pitch()


def _free_spacing(paragraph) -> None:
    """A picture or a table cell: single spacing, off the grid (an exact line would clip a picture)."""
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(snap, *PPR_AFTER_SNAP)


def _no_hanging(ppr) -> None:
    """No punctuation hanging past the right margin (Word's 允许标点溢出边界 is on by default);
    LibreOffice reads it only on the paragraph itself."""
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "0")
    ppr.insert_element_before(
        overflow,
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        *PPR_AFTER_SNAP,
    )


def _paragraph(document, text: str, font: str, size, indent: bool):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _no_hanging(paragraph._p.get_or_add_pPr())
    _exact(paragraph)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
    paragraph.paragraph_format.widow_control = True
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _title(document, report: Report) -> None:
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(35)
    # a title longer than a line breaks where the meaning does (after 规划), not where the line ends
    lines = [report.title]
    if len(report.title) * TITLE_SIZE.pt > text_width().pt and "规划" in report.title:
        cut = report.title.index("规划") + 2
        lines = [report.title[:cut], report.title[cut:]]
    run = title.add_run(lines[0])
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)
    _font(run, TITLE_FONT, TITLE_SIZE)
    subtitle = _paragraph(document, report.subtitle, SUBHEADING_FONT, BODY_SIZE, indent=False)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.demo:
        note = _paragraph(
            document,
            "示例数据：本报告的企业与数值均为程序生成的模拟数据，仅用于演示。",
            SUBHEADING_FONT,
            BODY_SIZE,
            indent=False,
        )
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, "", BODY_FONT, BODY_SIZE, indent=False)


def _table(document, columns: list[str], rows: list[list[str]], size) -> None:
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # a little inside the text width: LibreOffice draws the cell padding outside the columns
    widths = column_widths(columns, rows, size.pt, int(text_width() * 0.96))
    for line, values in enumerate([columns, *rows]):
        row = table.rows[0] if line == 0 else table.add_row()
        # a row never split across pages; the header row repeated on each page
        properties = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if line == 0 else ("w:cantSplit",):
            properties.append(OxmlElement(tag))
        cells = row.cells
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            _free_spacing(paragraph)
            run = paragraph.add_run(str(value))
            _font(run, HEADING_FONT if line == 0 else BODY_FONT, size)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    _paragraph(document, "", BODY_FONT, BODY_SIZE, indent=False)


def _appendix(document, report: Report) -> None:
    """附表: every recorded number of the text, with its source in plain words."""
    breaker = document.add_paragraph()
    breaker.add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, "附表", HEADING_FONT, BODY_SIZE, indent=False)
    title = _paragraph(document, "正文数字来源", TITLE_FONT, Pt(18), indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = [
        [str(index), fact.section, fact.figure, fact.source]
        for index, fact in enumerate(report.facts, start=1)
    ]
    _table(
        document, ["序号", "所在部分", "正文中的数字", "来源（数据与筛选）"], rows, APPENDIX_SIZE
    )
