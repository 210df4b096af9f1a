"""Writes the import corpus: tests/corpus/good/ (valid, messy like real exports) and tests/corpus/bad/
(each broken in one way). Run from the repository root: python tests/corpus/make_corpus.py
The expected message of each bad file is in EXPECTED below (tests/test_import_corpus.py reads it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from plantrack.ingest import creditcode  # noqa: E402
from tests.corpus.biff import xls_bytes  # noqa: E402

HERE = Path(__file__).resolve().parent
GOOD, BAD = HERE / "good", HERE / "bad"

CODES = [
    creditcode.make("330902", body)
    for body in ("10000001", "10000002", "MA2B0003", "MA2B0004", "20000005")
]
HEADER = ["统一社会信用代码", "企业名称", "所属镇街", "所属行业", "年度", "是否规上", "用地面积（亩）", "税收实际贡献（万元）",
          "工业增加值（万元）", "营业收入（万元）", "研发经费支出（万元）", "年平均职工人数（人）", "亩均评价档次"]  # fmt: skip
ROWS = [
    [
        CODES[0],
        "舟山测试螺杆有限公司",
        "金塘镇",
        "机械制造",
        2024,
        "是",
        30,
        360,
        2100,
        8000,
        160,
        80,
        "B类",
    ],
    [
        CODES[1],
        "舟山测试船舶修造有限公司",
        "岑港街道",
        "船舶修造",
        2024,
        "是",
        120,
        300,
        5200,
        21000,
        300,
        260,
        "C",
    ],
    [
        CODES[2],
        "舟山测试水产有限公司",
        "干览镇",
        "水产品加工",
        2024,
        "否",
        8,
        40,
        260,
        1500,
        None,
        30,
        "不参评",
    ],
    [
        CODES[3],
        "舟山测试新材料有限公司",
        "定海工业园区",
        "新材料",
        2024,
        "是",
        40,
        900,
        4000,
        16000,
        640,
        120,
        "A",
    ],
]


def xlsx(
    path: Path,
    rows: list[list],
    title: str | None = None,
    errors: dict | None = None,
    sheet: str = "Sheet1",
) -> None:
    workbook = _workbook(path)
    worksheet = workbook.add_worksheet(sheet)
    start = 0
    if title:
        worksheet.merge_range(0, 0, 0, max(len(rows[0]) - 1, 1), title)
        worksheet.write(1, 0, "填报单位：定海区经信局")
        start = 3
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            worksheet.write(start + r, c, value)
    for (r, c), error in (errors or {}).items():
        worksheet.write_formula(start + r, c, "=1/0", None, error)
    workbook.close()


def _workbook(path: Path) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    workbook.set_properties({"created": dt.datetime(2025, 1, 1)})  # the same bytes on every run
    return workbook


def grid(path: Path, sheets: dict[str, list[list]], merges=(), formulas=()) -> None:
    """An xlsx of several sheets written cell by cell; `merges` are (sheet, r0, c0, r1, c1, text),
    `formulas` (sheet, row, col, formula) saved without a result, as by a program that never
    calculated them."""
    workbook = _workbook(path)
    for name, rows in sheets.items():
        worksheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    worksheet.write(r, c, value)
        for sheet, r0, c0, r1, c1, text in merges:
            if sheet == name:
                worksheet.merge_range(r0, c0, r1, c1, text)
        for sheet, r, c, formula in formulas:
            if sheet == name:
                worksheet.write_formula(r, c, formula, None, "")
    workbook.close()
    if (
        formulas
    ):  # xlsxwriter always saves a result (<v>); a program that never calculated saves none
        _rewrite(path, lambda xml: re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1", xml))


def _rewrite(path: Path, change) -> None:
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/sheet"):
                data = change(data)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def with_cell(row_index: int, column: str, value) -> list[list]:
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[row_index][HEADER.index(column)] = value
    return rows


# file name → substrings the report must contain
EXPECTED: dict[str, list[str]] = {}


def bad(name: str, expected: list[str], writer) -> None:
    writer(BAD / name)
    EXPECTED[name] = expected


def main() -> None:
    GOOD.mkdir(parents=True, exist_ok=True)
    BAD.mkdir(parents=True, exist_ok=True)
    for folder in (GOOD, BAD):
        for old in folder.iterdir():
            old.unlink()

    # --- good files, messy like real exports -------------------------------------------------------
    messy = [HEADER[:6] + ["实际用地面积（平方米）", "实缴税金（元）", "工业增加值（万元）", "主营业务收入（万元）",
                           "研发经费支出（万元）", "年平均职工人数（人）", "亩均评价档次"]]  # fmt: skip
    for row in ROWS:
        converted = list(row)
        converted[6] = f"{row[6] * 666.6667:,.1f}"  # 平方米 as text with thousands separators
        converted[7] = f"{row[7] * 10000:,.0f}"  # 元
        converted[10] = "—" if row[10] is None else row[10]
        messy.append(converted)
    messy.append([None] * len(HEADER))
    messy.append(
        ["合计", None, None, None, None, None, None, "1,600,0000", None, None, None, None, None]
    )
    xlsx(
        GOOD / "企业年度数据_2024_标题行与合计行.xlsx",
        messy,
        title="2024年度定海区工业企业亩均效益评价数据",
    )
    (GOOD / "企业年度数据_2024_GBK.csv").write_bytes(csv_bytes([HEADER] + ROWS, "gb18030"))
    # Excel's 另存为「Unicode 文本」: UTF-16 with its byte-order mark, tab-separated, .txt
    unicode_text = "\r\n".join(
        "\t".join("" if v is None else str(v) for v in row) for row in [HEADER] + ROWS
    )
    (GOOD / "企业年度数据_2024_Unicode文本.txt").write_bytes(unicode_text.encode("utf-16"))
    awards = [["统一社会信用代码", "企业名称", "荣誉名称", "级别", "认定年度", "文号"],
              [CODES[0], "舟山测试螺杆有限公司", "专精特新中小企业", "省级", 2024, "浙经信〔2024〕1号"],
              [CODES[3], "舟山测试新材料有限公司", "高新技术企业", "国家级", 2023, ""]]  # fmt: skip
    xlsx(GOOD / "荣誉认定_2024.xlsx", awards)
    applications = [["统一社会信用代码", "企业名称", "申报年度", "申报类别", "基础管理", "绿色制造", "数智赋能", "科技创新",
                     "品牌建设", "加分", "一票否决", "信用评价", "环节"],
                    [CODES[0], "舟山测试螺杆有限公司", 2024, "品质工厂", 25, 12, 16, 19, 8, 3, "否", "良", "认定"]]  # fmt: skip
    xlsx(GOOD / "申报记录_2024.xlsx", applications)
    indicators = [["地区", "指标", "年度", "数值", "单位", "来源"],
                  ["定海区", "tech_renovation_investment_growth", 2024, "8.6", "%", "区统计局"],
                  ["慈溪市", "规上工业亩均税收", 2024, 36.5, "万元/亩", "慈溪市经信局"]]  # fmt: skip
    (GOOD / "上报指标_2024.csv").write_bytes(csv_bytes(indicators, "utf-8-sig"))

    # --- bad files ---------------------------------------------------------------------------------
    bad("空文件.xlsx", ["文件为空"], lambda p: p.write_bytes(b""))
    bad("空文件.csv", ["文件为空"], lambda p: p.write_bytes(b""))
    bad(
        "其实是文本.xlsx",
        ["不是有效的 Excel"],
        lambda p: p.write_bytes("统一社会信用代码,企业名称\n".encode()),
    )
    bad(
        "其实是PDF.xlsx",
        ["不是有效的 Excel"],
        lambda p: p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    )
    bad(
        "坏的压缩包.xlsx", ["无法读取 Excel"], lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    )
    bad(
        "坏的旧格式.xls",
        ["无法读取旧版 Excel"],
        lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    )
    bad(
        "图片.csv",
        ["不是文本 CSV"],
        lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    )
    bad("数据.docx", ["不支持的文件类型"], lambda p: p.write_bytes(b"PK\x03\x04"))
    bad("乱码编码.csv", ["无法识别文件编码"], lambda p: p.write_bytes(b"\x80\x80\xff\xfe\xff" * 20))
    bad("只有表头.xlsx", ["只有表头"], lambda p: xlsx(p, [HEADER]))
    bad("只有表头.csv", ["只有表头"], lambda p: p.write_bytes(csv_bytes([HEADER])))
    bad("没有表头.xlsx", ["找不到"], lambda p: xlsx(p, [["a", "b"], [1, 2]]))
    bad("缺必填列.xlsx", ["缺少必填列", "税收实际贡献"], lambda p: xlsx(p, [[h for h in HEADER if not h.startswith("税收")]]
                                                             + [[v for h, v in zip(HEADER, r, strict=True) if not h.startswith("税收")] for r in ROWS]))  # fmt: skip
    bad(
        "重复列.xlsx",
        ["重复"],
        lambda p: xlsx(p, [HEADER + ["用地面积"]] + [r + [1] for r in ROWS]),
    )
    bad(
        "校验位错误.xlsx",
        ["第3行", "统一社会信用代码", CODES[1][:-1] + "0", "校验位错误"],
        lambda p: xlsx(p, with_cell(2, "统一社会信用代码", CODES[1][:-1] + "0")),
    )
    bad(
        "代码位数不对.csv",
        ["应为18位"],
        lambda p: p.write_bytes(csv_bytes(with_cell(1, "统一社会信用代码", "91330902MA2B"))),
    )
    bad(
        "代码非法字符.xlsx",
        ["非法字符"],
        lambda p: xlsx(p, with_cell(1, "统一社会信用代码", "91330902MA2BIO03X1")),
    )
    bad(
        "用地为负.xlsx",
        ["第4行", "用地面积（亩）", "-8", "不能为负数"],
        lambda p: xlsx(p, with_cell(3, "用地面积（亩）", -8)),
    )
    bad(
        "税收为负.csv",
        ["不能为负数"],
        lambda p: p.write_bytes(csv_bytes(with_cell(2, "税收实际贡献（万元）", "-12.5"))),
    )
    bad(
        "数字写成汉字.xlsx",
        ["十二", "不是数字"],
        lambda p: xlsx(p, with_cell(1, "用地面积（亩）", "十二")),
    )
    bad(
        "公式错误.xlsx",
        ["#DIV/0!", "公式错误"],
        lambda p: xlsx(p, with_cell(1, "工业增加值（万元）", None), errors={(1, 8): "#DIV/0!"}),
    )
    bad("年度超范围.xlsx", ["1999", "年度应为"], lambda p: xlsx(p, with_cell(1, "年度", 1999)))
    bad("年度带小数.xlsx", ["年度应为"], lambda p: xlsx(p, with_cell(1, "年度", 2023.5)))
    bad(
        "未知镇街.xlsx",
        ["火星镇", "不是已知的镇街"],
        lambda p: xlsx(p, with_cell(1, "所属镇街", "火星镇")),
    )
    bad(
        "未知行业.xlsx",
        ["造火箭", "不是已知的行业"],
        lambda p: xlsx(p, with_cell(1, "所属行业", "造火箭")),
    )
    bad(
        "规上填错.xlsx",
        ["也许", "应为“是”或“否”"],
        lambda p: xlsx(p, with_cell(1, "是否规上", "也许")),
    )
    bad("档次填错.xlsx", ["应为 A、B、C、D"], lambda p: xlsx(p, with_cell(1, "亩均评价档次", "E")))
    bad("必填为空.xlsx", ["企业名称", "必填"], lambda p: xlsx(p, with_cell(2, "企业名称", None)))
    bad("同企同年重复.xlsx", ["与第2行重复"], lambda p: xlsx(p, [HEADER] + ROWS + [ROWS[0]]))
    bad(
        "超长单元格.xlsx",
        ["单元格内容过长"],
        lambda p: xlsx(p, with_cell(1, "企业名称", "长" * 5000)),
    )
    bad(
        "单位无法换算.xlsx",
        ["公里", "无法换算"],
        lambda p: xlsx(p, [[h.replace("（亩）", "（公里）") for h in HEADER]] + ROWS),
    )
    bad(
        "GBK编码且镇街错误.csv",
        ["火星镇"],
        lambda p: p.write_bytes(csv_bytes(with_cell(1, "所属镇街", "火星镇"), "gb18030")),
    )
    bad(
        "多个错误.xlsx",
        ["用地面积", "年度", "镇街"],
        lambda p: xlsx(
            p, [HEADER, [CODES[0], "甲", "火星镇", "机械制造", 1900, "是", -1, 1, 1, 1, 1, 1, "A"]]
        ),
    )
    honours = ["统一社会信用代码", "企业名称", "荣誉名称", "级别", "认定年度", "文号"]
    bad(
        "荣誉名称未知.xlsx",
        ["不是已知的荣誉名称"],
        lambda p: xlsx(
            p, [honours, [CODES[0], "舟山测试螺杆有限公司", "宇宙第一", "省级", 2024, ""]]
        ),
    )
    bad(
        "荣誉企业不存在.xlsx",
        ["数据库中没有该企业"],
        lambda p: xlsx(
            p, [honours, [CODES[4], "不存在的公司", "高新技术企业", "国家级", 2024, ""]]
        ),
    )
    bad(
        "荣誉级别错误.csv",
        ["不是已知的级别"],
        lambda p: p.write_bytes(
            csv_bytes(
                [honours, [CODES[0], "舟山测试螺杆有限公司", "高新技术企业", "宇宙级", 2024, ""]]
            )
        ),
    )
    apply_header = [
        "统一社会信用代码",
        "企业名称",
        "申报年度",
        "申报类别",
        "基础管理",
        "绿色制造",
        "数智赋能",
        "科技创新",
        "品牌建设",
        "环节",
    ]
    bad(
        "分数超上限.xlsx",
        ["基础管理", "35", "超过上限30"],
        lambda p: xlsx(
            p, [apply_header, [CODES[0], "甲", 2024, "洁美工厂", 35, 10, 15, 10, 5, "申报"]]
        ),
    )
    bad(
        "环节错误.xlsx",
        ["不是已知的环节"],
        lambda p: xlsx(
            p, [apply_header, [CODES[0], "甲", 2024, "洁美工厂", 25, 10, 15, 10, 5, "已完成"]]
        ),
    )
    bad(
        "申报类别错误.xlsx",
        ["不是已知的申报类别"],
        lambda p: xlsx(
            p, [apply_header, [CODES[0], "甲", 2024, "黄金工厂", 25, 10, 15, 10, 5, "申报"]]
        ),
    )
    indicator_header = ["地区", "指标", "年度", "数值", "单位", "来源"]
    bad(
        "指标未知.csv",
        ["不是 targets.toml 指标目录中的指标"],
        lambda p: p.write_bytes(
            csv_bytes([indicator_header, ["定海区", "幸福指数", 2024, 99, "%", ""]])
        ),
    )
    bad(
        "地区未知.csv",
        ["不是已知的地区"],
        lambda p: p.write_bytes(
            csv_bytes(
                [
                    indicator_header,
                    ["火星市", "tech_renovation_investment_growth", 2024, 9, "%", ""],
                ]
            )
        ),
    )
    bad(
        "指标数值空.csv",
        ["数值", "必填"],
        lambda p: p.write_bytes(
            csv_bytes(
                [
                    indicator_header,
                    ["定海区", "tech_renovation_investment_growth", 2024, "—", "%", ""],
                ]
            )
        ),
    )
    for name, metric, value, unit, reason in [
        ("覆盖率超过100.csv", "digital_transformation_coverage", 128.2, "%", "不能大于 100%"),
        ("个数带小数.csv", "first_set_product_application_count", 4.75, "项", "应为整数（项）"),
        (
            "排名小于1.csv",
            "digital_economy_core_gdp_share_rank_in_city",
            0.95,
            "名",
            "应为整数（名）",
        ),
    ]:
        bad(
            name,
            ["数值", f"{value:g}", reason],
            lambda p, metric=metric, value=value, unit=unit: p.write_bytes(
                csv_bytes([indicator_header, ["定海区", metric, 2024, value, unit, ""]])
            ),
        )
    bad(
        "别的表格.xlsx",
        ["找不到"],
        lambda p: xlsx(
            p, [["序号", "会议", "时间"], [1, "专班会议", "2024-03-01"]], sheet="会议记录"
        ),
    )
    wrong_figures()

    lines = ["# Generated by make_corpus.py: file → substrings its import report must contain.", ""]
    for name, parts in EXPECTED.items():
        quoted = ", ".join(
            '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"' for part in parts
        )
        lines.append(f'"{name}" = [{quoted}]')
    (HERE / "expected.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"good: {len(list(GOOD.iterdir()))} files, bad: {len(EXPECTED)} files")


MONEY = [7, 8, 9, 10]  # the 万元 columns of HEADER
IDENTITY = 6  # HEADER[:6]: code, name, town, industry, year, 规上


def in_yuan(row: list) -> list:
    return [value * 10000 if index in MONEY and value is not None else value
            for index, value in enumerate(row)]  # fmt: skip


def bare(header: str) -> str:
    return header.split("（")[0]


def two_row(group: str) -> tuple[list[list], list]:
    """A two-row header as statistics systems export it: every column but the money ones merged down
    over both rows, the money columns under one group cell `group` (their names in the second row)."""
    top = [None] * len(HEADER)
    below = [None] * len(HEADER)
    merges = []
    for index, name in enumerate(HEADER):
        if index in MONEY:
            below[index] = bare(name) if "单位" in group else name
        else:
            merges.append(("Sheet1", 0, index, 1, index, name))
    merges.append(("Sheet1", 0, MONEY[0], 0, MONEY[-1], group))
    return [top, below], merges


def bomb(path: Path) -> None:
    """0.3 MB that unpacks to 260 MB: one sheet padded with a comment, as a zip bomb would be."""
    xlsx(path, [HEADER] + ROWS)
    padding = b"<!--" + b" " * (260 * 1024 * 1024) + b"-->"
    _rewrite(path, lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>", 1))


def far_cell(path: Path) -> None:
    """A few bytes whose grid reaches the last cell of a sheet (XFD1048576): 17 billion cells."""
    workbook = _workbook(path)
    worksheet = workbook.add_worksheet("Sheet1")
    worksheet.write_row(0, 0, HEADER)
    worksheet.write_row(1, 0, ROWS[0])
    worksheet.write(1048575, 16383, 1)
    workbook.close()


def mixed_encoding(path: Path, row: int = 3) -> None:
    """A GBK file in which one name was pasted in as UTF-8: its bytes read as GBK give mojibake
    (row 3's name), or cannot be read as GBK at all (row 2's)."""
    lines = csv_bytes([HEADER] + ROWS, "gb18030").split(b"\r\n")
    name = ROWS[row - 1][1]
    utf8 = name.encode("utf-8")
    lines[row] = lines[row].replace(name.encode("gb18030"), utf8)
    path.write_bytes(b"\r\n".join(lines))


def wrong_figures() -> None:
    """Files that were imported wrong without a word (issue 13): each is now read right (good/) or
    refused with a message saying what to fix (bad/)."""
    # a unit stated outside the header cell: under the title, or in a group cell over the columns
    xlsx(
        GOOD / "企业年度数据_2024_标题下写金额单位.xlsx",
        [[bare(h) if i in MONEY else h for i, h in enumerate(HEADER)]]
        + [in_yuan(row) for row in ROWS],
        title="2024年度定海区工业企业亩均效益评价数据（金额单位：元）",
    )
    header, merges = two_row("经济效益（单位：元）")
    grid(GOOD / "企业年度数据_2024_分组单元格写单位.xlsx",
         {"Sheet1": header + [in_yuan(row) for row in ROWS]}, merges)  # fmt: skip
    header, merges = two_row("经济指标")
    grid(GOOD / "企业年度数据_2024_两行表头.xlsx", {"Sheet1": header + ROWS}, merges)
    (GOOD / "企业年度数据_2024_旧格式.xls").write_bytes(xls_bytes({"Sheet1": [HEADER] + ROWS}))
    bad(
        "标题写明单位无法换算.xlsx",
        ["万美元", "无法换算"],
        lambda p: xlsx(
            p,
            [[bare(h) if i in MONEY else h for i, h in enumerate(HEADER)]] + ROWS,
            title="2024年度亩均数据 金额单位：万美元",
        ),
    )
    group_over_land = [("Sheet1", 0, 6, 0, 7, "用地与税收（单位：元）")] + [
        ("Sheet1", 0, i, 1, i, name) for i, name in enumerate(HEADER) if i not in (6, 7)
    ]
    bad(
        "分组单位与列不符.xlsx",
        ["用地面积", "无法换算为亩"],
        lambda p: grid(p, {"Sheet1": [[None] * 13, [None] * 6 + ["用地面积", "税收实际贡献"]
                                      + [None] * 5] + ROWS}, group_over_land),
    )  # fmt: skip
    # "12，5" typed with the IME comma, "1.234,5", "1_000", an unquoted "2,551.75", "1e309"
    bad(
        "输入法逗号.csv",
        ["第2行", "用地面积（亩）", "12，5", "千位分隔符应每三位一组"],
        lambda p: p.write_bytes(csv_bytes(with_cell(1, "用地面积（亩）", "12，5"))),
    )
    bad(
        "逗号作小数点.xlsx",
        ["第3行", "1.234,5", "以逗号作小数点"],
        lambda p: xlsx(p, with_cell(2, "税收实际贡献（万元）", "1.234,5")),
    )
    bad(
        "下划线数字.csv",
        ["1_000", "下划线"],
        lambda p: p.write_bytes(csv_bytes(with_cell(3, "营业收入（万元）", "1_000"))),
    )
    unquoted = csv_bytes([HEADER] + ROWS).decode("utf-8-sig").split("\r\n")
    unquoted[2] = unquoted[2].replace(",300,", ",2,551.75,", 1)  # 税收 of the second firm
    bad(
        "未加引号的千分位.csv",
        ["第3行", "比表头的 13 列多", "2,551.75"],
        lambda p: p.write_text("\r\n".join(unquoted), encoding="utf-8"),
    )
    bad(
        "数值无穷大.csv",
        ["1e309", "超出可表示的范围"],
        lambda p: p.write_bytes(csv_bytes(with_cell(1, "工业增加值（万元）", "1e309"))),
    )
    bad("GBK混入UTF8名称.csv", ["第4行", "企业名称", "疑似乱码", ROWS[2][1]], mixed_encoding)
    bad(
        "GBK混入UTF8无法解码.csv",
        ["无法识别文件编码", "第3行混有两种编码"],
        lambda p: mixed_encoding(p, row=2),
    )
    # two sheets that both look like data
    revised = [list(row) for row in ROWS]
    revised[0][7] = 365
    bad(
        "两个工作表都像数据.xlsx",
        ["「2023年」", "「2023年（修订）」", "指定要导入的工作表"],
        lambda p: grid(p, {"2023年": [HEADER] + ROWS, "2023年（修订）": [HEADER] + revised}),
    )
    # formulas never calculated (no cached value), in a required and in an optional column
    bad(
        "必填列公式未计算.xlsx",
        ["第2行", "税收实际贡献（万元）", "公式未计算", "在 Excel 中打开并保存"],
        lambda p: grid(p, {"Sheet1": with_cell(1, "税收实际贡献（万元）", None)},
                       formulas=[("Sheet1", 1, 7, "=300+60")]),
    )  # fmt: skip
    bad(
        "选填列公式未计算.xlsx",
        ["第4行", "营业收入（万元）", "公式未计算"],
        lambda p: grid(p, {"Sheet1": with_cell(3, "营业收入（万元）", None)},
                       formulas=[("Sheet1", 3, 9, "=1000+500")]),
    )  # fmt: skip
    # what one file may cost
    bad("解压后过大.xlsx", ["文件过大", "解压后"], bomb)
    bad("数据区域过大.xlsx", ["文件过大", "数据区域超过"], far_cell)
    far = [HEADER] + ROWS + [[]] * (65535 - len(ROWS) - 1) + [[None] * 255 + [1]]
    bad(
        "旧格式数据区域过大.xls",
        ["文件过大", "数据区域超过"],
        lambda p: p.write_bytes(xls_bytes({"Sheet1": far})),
    )


if __name__ == "__main__":
    main()
