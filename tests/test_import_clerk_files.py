"""Issue 26, points 1–7: the clerk's files as they come (percent cells, encrypted workbooks, the 镇街
summary layout, merged towns, WPS .et, year and amount spellings, forced-text codes, UTF-16 text,
wide sheets, CSV quoting, formula names). Each file is written here; each is read right, or refused
for the right reason with the database unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
from pathlib import Path

import duckdb
import pytest
import xlsxwriter

from plantrack.ingest import header, parsing, read, write
from tests.corpus.biff import compound, xls_bytes
from tests.corpus.make_corpus import CODES, HEADER, ROWS
from tests.test_import_corpus import ENTERPRISE_FILE, fingerprint

INDICATORS = ["地区", "指标", "年度", "数值", "单位", "来源"]
HONOURS = ["统一社会信用代码", "企业名称", "荣誉名称", "级别", "认定年度", "文号"]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory, config):
    path = tmp_path_factory.mktemp("clerk") / "real.duckdb"
    assert write.import_file(ENTERPRISE_FILE, path, config).ok
    return path


@pytest.fixture
def real_db(base_db, tmp_path):
    path = tmp_path / "db" / "real.duckdb"
    path.parent.mkdir()
    shutil.copyfile(base_db, path)
    shutil.copytree(base_db.parent / "archive", path.parent / "archive")
    return path


def refused(path: Path, db: Path, config, *expected: str) -> str:
    """Import `path`: it must be refused, the report must say each of `expected`, and the database
    must be byte for byte what it was."""
    before, before_bytes = fingerprint(db), hashlib.sha256(db.read_bytes()).hexdigest()
    report = write.import_file(path, db, config)
    text = "\n".join(report.lines())
    assert not report.ok and not report.written, text
    for part in expected:
        assert part in text, f"「{part}」 not in\n{text}"
    assert fingerprint(db) == before
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before_bytes
    return text


def imported(path: Path, db: Path, config):
    report = write.import_file(path, db, config)
    assert report.ok and report.written, "\n".join(report.lines())
    return report


def one(db: Path, sql: str, *params):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()


def workbook(path: Path, rows: list[list], formats: dict | None = None, build=None) -> Path:
    """An .xlsx of `rows`; `formats` maps (row, col) to a number format; `build(workbook, sheet)`
    adds anything else (merges, formulas)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Sheet1")
    styles = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            fmt = (formats or {}).get((r, c))
            if fmt and fmt not in styles:
                styles[fmt] = book.add_format({"num_format": fmt})
            if value is not None:
                sheet.write(r, c, value, styles.get(fmt))
    if build:
        build(book, sheet)
    book.close()
    return path


def text_file(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --- 1. percent cells -----------------------------------------------------------------------------


def test_a_percent_formatted_cell_is_stored_as_the_clerk_sees_it(real_db, config, tmp_path):
    rows = [INDICATORS, ["定海区", "digital_transformation_coverage", 2024, 0.685, "%", "区经信局"]]
    report = imported(workbook(tmp_path / "覆盖率.xlsx", rows, {(1, 3): "0.0%"}), real_db, config)
    value = one(
        real_db, "select value from indicators where metric = 'digital_transformation_coverage'"
    )
    assert value[0] == pytest.approx(68.5)  # 0.685 shown as 68.5 %
    assert any("百分数" in note for note in report.notes)


def test_a_percent_in_a_csv_is_read_the_same_way(real_db, config, tmp_path):
    rows = [INDICATORS, ["定海区", "digital_transformation_coverage", 2024, "68.5%", "%", ""]]
    imported(text_file(tmp_path / "覆盖率.csv", rows), real_db, config)
    value = one(
        real_db, "select value from indicators where metric = 'digital_transformation_coverage'"
    )
    assert value[0] == pytest.approx(68.5)


def test_a_percent_in_an_old_xls_is_read_as_shown(real_db, config, tmp_path):
    rows = [INDICATORS, ["定海区", "digital_transformation_coverage", "2024", 0.685, "%", ""]]
    path = tmp_path / "覆盖率.xls"
    path.write_bytes(xls_bytes({"Sheet1": rows}, cell_format=10))  # 10: Excel's 0.00%
    imported(path, real_db, config)
    value = one(
        real_db, "select value from indicators where metric = 'digital_transformation_coverage'"
    )
    assert value[0] == pytest.approx(68.5)


def test_a_percentage_under_another_unit_is_refused(real_db, config, tmp_path):
    money = [HEADER] + [list(row) for row in ROWS]
    refused(
        workbook(tmp_path / "税收百分比.xlsx", money, {(1, 7): "0%"}),
        real_db,
        config,
        "第2行",
        "税收实际贡献（万元）",
        "是百分数，而本列单位是万元",
    )
    rows = [INDICATORS, ["定海区", "first_set_product_application_count", 2024, "45%", "项", ""]]
    refused(text_file(tmp_path / "个数百分比.csv", rows), real_db, config, "该行单位是「项」")


# --- 2. encrypted workbooks -----------------------------------------------------------------------


def test_an_encrypted_xlsx_is_named_as_such(real_db, config, tmp_path):
    path = tmp_path / "加密.xlsx"
    path.write_bytes(compound({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"x"}))
    text = refused(path, real_db, config, "打开密码", "另存时取消打开密码")
    assert "不是有效的" not in text and "文件过大" not in text


def test_an_encrypted_xls_is_named_as_such(real_db, config, tmp_path):
    path = tmp_path / "加密.xls"
    path.write_bytes(xls_bytes({"Sheet1": [HEADER] + ROWS}, encrypted=True))
    text = refused(path, real_db, config, "打开密码", "另存时取消打开密码")
    assert "文件过大" not in text and "4,000,000" not in text


def test_a_small_encrypted_xls_is_named_as_such(real_db, config, tmp_path, monkeypatch):
    """A workbook small enough to sit in the compound file's mini stream is not walked record by
    record: its FILEPASS is found right after the first BOF."""
    monkeypatch.setattr(read, "_xls_stream", lambda data: None)
    path = tmp_path / "小文件加密.xls"
    path.write_bytes(xls_bytes({"Sheet1": [HEADER] + ROWS}, encrypted=True))
    refused(path, real_db, config, "打开密码")


def test_sheet_protection_without_a_password_to_open_still_reads(real_db, config, tmp_path):
    path = workbook(
        tmp_path / "保护工作表.xlsx",
        [HEADER] + ROWS,
        build=lambda book, sheet: sheet.protect("123"),
    )
    imported(path, real_db, config)


# --- 3. the 镇街 summary layout ---------------------------------------------------------------------

SUMMARY_HEADER = ["序号", "所属镇街", "统一社会信用代码", "企业名称", "所属行业", "年度", "是否规上",
                  "用地面积（亩）", "税收实际贡献（万元）"]  # fmt: skip


def summary_rows(subtotal_tax: float = 660) -> tuple[list[list], list[tuple]]:
    """A town's summary sheet: title, header, firms under a town merged down, 小计, 合计, 其中,
    a continued page with its header repeated, and the lines under the table. Returns the rows and
    the merges (r0, c0, r1, c1, text)."""
    firm = lambda n, code, name, town_industry, land, tax: [n, None, code, name, town_industry, 2024,  # noqa: E731
                                                            "是", land, tax]  # fmt: skip
    rows = [
        ["2024年度定海区工业企业亩均效益评价汇总表"] + [None] * 8,
        SUMMARY_HEADER,
        firm(1, CODES[0], "舟山测试螺杆有限公司", "机械制造", 30, 360),  # row 3
        firm(2, CODES[4], "舟山测试机械有限公司", "机械制造", 20, 300),  # row 4
        [None, None, None, "金塘镇小计", None, None, None, 50, subtotal_tax],  # row 5
        firm(3, CODES[1], "舟山测试船舶修造有限公司", "船舶修造", 120, 300),  # row 6
        [None, None, None, "岑港街道小计", None, None, None, 120, 300],  # row 7
        ["合计", None, None, None, None, None, None, 170, 960],  # row 8
        ["其中：规上工业企业", None, None, None, None, None, None, 170, 960],  # row 9
        ["2024年度定海区工业企业亩均效益评价汇总表（续1）"] + [None] * 8,  # row 10
        SUMMARY_HEADER,  # row 11
        firm(4, CODES[3], "舟山测试新材料有限公司", "新材料", 40, 900),  # row 12
        ["填表说明：金额单位为万元，面积单位为亩。"] + [None] * 8,  # row 13
        ["单位负责人：张三", None, None, "填表人：李四", None, None, "日期：2025年1月10日", None, None],
    ]  # fmt: skip
    merges = [(2, 1, 3, 1, "金塘镇"), (5, 1, 5, 1, "岑港街道"), (11, 1, 11, 1, "定海工业园区")]
    return rows, merges


def summary_workbook(path: Path, subtotal_tax: float = 660) -> Path:
    rows, merges = summary_rows(subtotal_tax)

    def merge(book, sheet):
        for r0, c0, r1, c1, text in merges:
            if (r0, c0) != (r1, c1):
                sheet.merge_range(r0, c0, r1, c1, text)
            else:
                sheet.write(r0, c0, text)

    return workbook(path, rows, build=merge)


def test_the_town_summary_layout_imports_its_firms_and_lists_what_it_skipped(
    real_db, config, tmp_path
):
    report = imported(summary_workbook(tmp_path / "镇街汇总.xlsx"), real_db, config)
    assert report.rows == 4
    notes = "\n".join(report.notes)
    for row, what in [(5, "小计行"), (7, "小计行"), (8, "合计行"), (9, "「其中」分项行"),
                      (10, "续表标题"), (11, "重复的表头"), (13, "表尾说明"), (14, "表尾说明")]:  # fmt: skip
        assert f"第{row}行（{what}" in notes, (row, what, notes)
    assert "第5行小计行「金塘镇小计」与其上 2 行企业记录之和一致" in notes
    assert "第8行合计行「合计」与其上 3 行企业记录之和一致" in notes
    towns = dict(
        duckdb.connect(str(real_db), read_only=True)
        .execute("select name, town from enterprises")
        .fetchall()
    )
    assert towns["舟山测试机械有限公司"] == "金塘镇"  # the merged town, filled down
    assert towns["舟山测试新材料有限公司"] == "定海工业园区"
    assert "合并单元格已按合并区域填入" in notes


def test_a_subtotal_that_does_not_add_up_is_reported(real_db, config, tmp_path):
    report = imported(
        summary_workbook(tmp_path / "小计不符.xlsx", subtotal_tax=700), real_db, config
    )
    notes = "\n".join(report.notes)
    assert "第5行小计行「金塘镇小计」与其上 2 行企业记录不一致" in notes
    assert "「税收实际贡献」为 700.00，其上各行之和为 660.00" in notes


def test_the_summary_layout_in_a_csv_is_read_the_same_way(real_db, config, tmp_path):
    rows, merges = summary_rows()
    for r0, c0, r1, _, text in merges:  # a CSV has no merges: the town on every row
        for r in range(r0, r1 + 1):
            rows[r][c0] = text
    report = imported(text_file(tmp_path / "镇街汇总.csv", rows), real_db, config)
    assert report.rows == 4
    notes = "\n".join(report.notes)
    assert "第11行（重复的表头" in notes and "第14行（表尾说明" in notes


def test_a_two_row_header_repeated_on_a_continued_page_is_skipped(real_db, config, tmp_path):
    """Statistics exports: identity columns merged down over two header rows, money columns under a
    group cell; the continued page repeats both rows."""
    from tests.corpus.make_corpus import grid, two_row

    header, merges = two_row("经济指标")
    again = [("Sheet1", r0 + 5, c0, r1 + 5, c1, text) for _, r0, c0, r1, c1, text in merges]
    rows = header + ROWS[:2] + [["（续）"] + [None] * 12] + header + ROWS[2:]
    path = tmp_path / "两行表头续表.xlsx"
    grid(path, {"Sheet1": rows}, merges + again)
    report = imported(path, real_db, config)
    assert report.rows == 4
    notes = "\n".join(report.notes)
    assert "第5行（续表标题" in notes
    assert "第6行（重复的表头" in notes and "第7行（重复的表头" in notes


def test_a_blank_town_without_a_merge_stays_an_error(real_db, config, tmp_path):
    rows, merges = summary_rows()
    rows[3][1] = None  # row 4: blank, and no merge over it
    refused(
        workbook(tmp_path / "镇街空白.xlsx", rows, build=lambda b, s: s.write(2, 1, "金塘镇")),
        real_db,
        config,
        "第4行",
        "所属镇街",
        "必填",
    )


# --- 4. read where no one could doubt it ----------------------------------------------------------


def test_an_et_file_that_is_xlsx_or_xls_inside_is_read_and_said_so(real_db, config, tmp_path):
    xlsx_inside = tmp_path / "企业数据.et"
    workbook(tmp_path / "x.xlsx", [HEADER] + ROWS)
    shutil.copyfile(tmp_path / "x.xlsx", xlsx_inside)
    report = imported(xlsx_inside, real_db, config)
    assert any(".et（WPS 表格），内容是 Excel .xlsx 格式" in note for note in report.notes)
    xls_inside = tmp_path / "企业数据2.et"
    changed = [HEADER] + [list(row) for row in ROWS]
    changed[1][7] = 361
    xls_inside.write_bytes(xls_bytes({"Sheet1": changed}))
    report = imported(xls_inside, real_db, config)
    assert any("内容是 Excel .xls 格式" in note for note in report.notes)
    own = tmp_path / "专有格式.et"
    own.write_bytes(b"\x00ET-file" * 100)
    refused(own, real_db, config, "WPS 中另存为 .xlsx")


def test_years_written_as_dates_are_read_as_their_year(real_db, config, tmp_path):
    spellings = ["2024年3月", "2024.03", "2024/6/20", dt.date(2024, 6, 20), 45383]
    rows = [HONOURS] + [
        [CODES[0], "舟山测试螺杆有限公司", honour, "省级" if i != 2 else "国家级", year, ""]
        for i, (honour, year) in enumerate(
            zip(["专精特新中小企业", "科技型中小企业", "高新技术企业", "绿色工厂", "隐形冠军"],
                spellings, strict=True)
        )
    ]  # fmt: skip
    report = imported(workbook(tmp_path / "荣誉.xlsx", rows, {(4, 4): "yyyy/m/d"}), real_db, config)
    assert one(real_db, "select count(*), min(year), max(year) from awards") == (5, 2024, 2024)
    notes = "\n".join(report.notes)
    assert "「认定年度」列写成日期，已取其年份" in notes and "Excel 日期序号" in notes


def test_amounts_with_a_unit_in_the_cell_are_converted_and_reported(real_db, config, tmp_path):
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[1][7] = "1.58亿"
    rows[2][7] = "1,580万"
    report = imported(text_file(tmp_path / "金额带单位.csv", rows), real_db, config)
    taxes = dict(
        duckdb.connect(str(real_db), read_only=True)
        .execute("select credit_code, tax_wan from enterprise_years where year = 2024")
        .fetchall()
    )
    assert taxes[CODES[0]] == pytest.approx(15800)
    assert taxes[CODES[1]] == pytest.approx(1580)
    assert any("单元格中写有单位，已换算为万元" in note for note in report.notes)


def test_codes_forced_to_text_are_read_as_codes(real_db, config, tmp_path):
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[1][0] = f'="{CODES[0]}"'
    rows[2][0] = f"'{CODES[1]}"
    report = imported(text_file(tmp_path / "代码加引号.csv", rows), real_db, config)
    assert report.added == 0 and report.rows == 4  # the same firms as before, not new ones


def test_unicode_text_exports_are_read(real_db, config):
    good = Path(__file__).resolve().parent / "corpus" / "good" / "企业年度数据_2024_Unicode文本.txt"
    report = write.import_file(good, real_db, config)
    assert report.ok and report.rows == 4, report.lines()
    assert any("UTF-16" in note for note in report.notes)


def test_years_as_columns_are_refused_with_the_reason(real_db, config, tmp_path):
    rows = [["统一社会信用代码", "企业名称", "所属镇街", "所属行业", "是否规上", "用地面积（亩）",
             "税收实际贡献（万元）", "2023年", "2024年"], [CODES[0], "甲", "金塘镇", "机械制造", "是", 1, 2, 3, 4]]  # fmt: skip
    refused(
        workbook(tmp_path / "年度在列上.xlsx", rows),
        real_db,
        config,
        "年度写在了列上",
        "「2023年」",
    )


# --- 5. a wide sheet --------------------------------------------------------------------------------


def test_a_wide_sheet_is_matched_by_lookup_not_by_search(real_db, config, tmp_path, monkeypatch):
    """Header matching looks each cell up once (it searched every alias of every column for every
    cell of the first rows: 6–13 s for 340 columns)."""
    wide = HEADER + [f"其他指标{i}" for i in range(340 - len(HEADER))]
    rows = [wide] + [list(row) + [i] * (340 - len(HEADER)) for i, row in enumerate(ROWS)]
    path = workbook(tmp_path / "宽表.xlsx", rows)
    calls = []
    original = parsing.split_header
    monkeypatch.setattr(header, "split_header", lambda cell: calls.append(cell) or original(cell))
    header._split.cache_clear()
    header._column_names.cache_clear()
    report = imported(path, real_db, config)
    assert report.rows == 4
    names = sum(1 + len(c.aliases) for kind in header.KINDS.values() for c in kind.columns)
    distinct_cells = len({str(cell) for row in rows for cell in row})
    assert len(calls) <= names + distinct_cells


# --- 6. CSV quoting -----------------------------------------------------------------------------------


def test_doubled_quotes_are_always_an_escaped_quote(real_db, config, tmp_path):
    """The first 4 KB hold no quote (the sniffer then turns doubled quotes off); the name is read
    as Excel, pandas and Python wrote it."""
    lines = [",".join(HEADER)]
    for index in range(80):  # over 4 KB of plain rows (other firms, other years)
        row = list(ROWS[index % 4])
        row[4] = 2000 + index // 4
        lines.append(",".join("" if v is None else str(v) for v in row))
    row = list(ROWS[0])
    row[1] = '"舟山""海星110""有限公司"'
    row[4] = 2025
    lines.append(",".join("" if v is None else str(v) for v in row))
    path = tmp_path / "引号.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert b'"' not in path.read_bytes()[:4096]
    imported(path, real_db, config)
    assert one(real_db, "select name from enterprises where credit_code = ?", CODES[0]) == (
        '舟山"海星110"有限公司',
    )


def test_a_quoted_honour_name_is_accepted(real_db, config, tmp_path):
    rows = [HONOURS, [CODES[0], "舟山测试螺杆有限公司", '专精特新"小巨人"', "国家级", 2024, ""]]
    imported(text_file(tmp_path / "小巨人.csv", rows), real_db, config)
    assert one(real_db, "select award from awards") == ('专精特新"小巨人"',)


# --- 7. formula cells and numbers in the name column --------------------------------------------


@pytest.mark.parametrize(
    ("cached", "expected"),
    [(0, "不能是纯数字"), ("", "公式未计算"), ("#REF!", "公式错误")],
    ids=["cached 0", "no cached value", "cached error"],
)
def test_a_formula_name_without_a_name_is_refused(real_db, config, tmp_path, cached, expected):
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[2][1] = None

    def formula(book, sheet):
        if cached == "#REF!":
            sheet.write_formula(2, 1, "=#REF!", None, "#REF!")
        else:
            sheet.write_formula(2, 1, "=VLOOKUP(A3,名录!A:B,2,0)", None, cached)

    path = workbook(tmp_path / "名称公式.xlsx", rows, build=formula)
    if cached == "":  # xlsxwriter always saves a result; a program that never calculated saves none
        _drop_cached_values(path)
    refused(path, real_db, config, "第3行", "企业名称", expected)


def _drop_cached_values(path: Path) -> None:
    from tests.corpus.make_corpus import _rewrite

    _rewrite(path, lambda xml: re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1", xml))


def test_a_purely_numeric_name_is_refused(real_db, config, tmp_path):
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[1][1] = "12345"
    refused(text_file(tmp_path / "名称是数字.csv", rows), real_db, config, "第2行", "不能是纯数字")
