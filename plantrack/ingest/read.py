"""Read a bureau file into sheets of cells (xlsx via python-calamine, CSV in UTF-8/GBK), and find the
row that holds its header."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from plantrack.ingest.parsing import split_header
from plantrack.ingest.problems import Problem
from plantrack.model.kinds import KINDS, Column, Kind

MAX_CELL = 1000
HEADER_SCAN_ROWS = 15
TOTAL_MARKS = ("合计", "总计", "小计", "合 计", "总 计")
NOTE_MARKS = ("注", "备注", "说明", "填报说明", "数据来源", "制表", "填报人", "审核人")


@dataclass
class Sheet:
    name: str
    rows: list[list]
    errors: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # (row, col) 0-based → "#DIV/0!"
    # A CSV is read in two steps: its first rows (to find the header), then the rest column by column
    # from `utf8`; `rows` holds every row only once `complete`.
    utf8: bytes | None = None
    dialect: type[csv.Dialect] | None = None
    complete: bool = True

    def all_rows(self) -> list[list]:
        if not self.complete:
            self.rows = list(csv.reader(io.StringIO(self.utf8.decode("utf-8")), self.dialect))
            self.complete = True
        return self.rows


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Formula error cells per sheet: python-calamine reads them as empty, the XML keeps t="e"."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = (
            archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            if "xl/_rels/workbook.xml.rels" in names
            else ""
        )
        targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets |= {
            k: v
            for v, k in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)
        }
        for tag in re.findall(r"<sheet\b[^>]*>", workbook):
            name = re.search(r'name="([^"]*)"', tag)
            rid = re.search(r'r:id="([^"]*)"', tag)
            if not name or not rid or rid.group(1) not in targets:
                continue
            target = targets[rid.group(1)].lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            if member not in names:
                continue
            xml = archive.read(member)
            if b't="e"' not in xml:
                continue
            cells = {}
            for attrs, body in re.findall(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", xml, flags=re.S):
                if b't="e"' not in attrs:
                    continue
                ref = re.search(rb'r="([A-Z]+)(\d+)"', attrs)
                value = re.search(rb"<v>([^<]*)</v>", body or b"")
                if ref:
                    cells[(int(ref.group(2)) - 1, _column_index(ref.group(1).decode()))] = (
                        value.group(1).decode() if value else "#错误"
                    )
            found[name.group(1).replace("&amp;", "&")] = cells
    return found


def read_sheets(path: Path, data: bytes) -> tuple[list[Sheet], list[Problem]]:
    suffix = path.suffix.lower()
    if not data:
        return [], [Problem("", None, None, None, "文件为空")]
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(b"PK"):
            return [], [
                Problem(
                    "",
                    None,
                    None,
                    None,
                    "不是有效的 Excel（.xlsx）文件：内容不是 Excel 格式，请用 Excel 另存为 .xlsx 后重试",
                )
            ]
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            errors = _error_cells(path) if path.exists() else {}
            sheets = []
            for name in workbook.sheet_names:
                rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                sheets.append(Sheet(name, rows, errors.get(name, {})))
            return sheets, []
        except (python_calamine.CalamineError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            return [], [Problem("", None, None, None, f"无法读取 Excel 文件：{exc}")]
    if suffix == ".xls":
        return [], [
            Problem("", None, None, None, "不支持旧版 .xls 格式，请用 Excel 另存为 .xlsx 后重试")
        ]
    if suffix in (".csv", ".txt"):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return [], [
                Problem("", None, None, None, "文件编码为 UTF-16，请另存为 UTF-8 或 GBK 编码的 CSV")
            ]
        if b"\x00" in data[:4096]:
            return [], [
                Problem(
                    "", None, None, None, "不是文本 CSV 文件（含二进制内容），请另存为 CSV 或 .xlsx"
                )
            ]
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return [], [
                Problem(
                    "", None, None, None, "无法识别文件编码（支持 UTF-8、UTF-8 BOM、GBK/GB18030）"
                )
            ]
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        head = list(itertools.islice(csv.reader(io.StringIO(text), dialect), HEADER_SCAN_ROWS + 1))
        utf8 = data[3:] if data.startswith(codecs.BOM_UTF8) else data
        if encoding != "utf-8-sig":
            utf8 = text.encode("utf-8")
        return [Sheet("", head, utf8=utf8, dialect=dialect, complete=False)], []
    return [], [
        Problem(
            "", None, None, None, f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .xlsx、.csv）"
        )
    ]


def match_column(kind: Kind, cell: object) -> tuple[Column, str | None] | None:
    base, unit = split_header(cell)
    if not base:
        return None
    for column in kind.columns:
        names = {split_header(name)[0] for name in (column.name, *column.aliases)}
        if base in names:
            return column, unit
    return None


def find_header(sheets: list[Sheet], kind: Kind | None) -> tuple[Sheet, int, Kind] | None:
    """The (sheet, row, kind) whose row matches the most canonical headers."""
    best = None
    candidates = [kind] if kind else list(KINDS.values())
    for sheet in sheets:
        for row_index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            for candidate in candidates:
                matched = {m[0].name for cell in row if (m := match_column(candidate, cell))}
                required = {c.name for c in candidate.columns if c.required}
                score = (len(matched & required), len(matched))
                if len(matched) >= 2 and (best is None or score > best[0]):
                    best = (score, sheet, row_index, candidate)
    if best is None:
        return None
    return best[1], best[2], best[3]
