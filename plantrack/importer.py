"""Import the bureau's files: read (xlsx/csv), find the header, validate every cell, then write all rows
or none. The write goes to a copy of the database that replaces the original atomically, so readers
never see half an import; the ledger keeps the file's sha256 and the rows it replaced (undo), and the
original file is archived untouched (rebuild).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import fcntl
import getpass
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine
from pyarrow import csv as pa_csv

from plantrack import creditcode, db, derived
from plantrack.kinds import KIND_BY_LABEL, KINDS, Column, Kind
from plantrack.parsing import CellError, clean_text, conversion, parse_number, split_header
from plantrack.reference import (
    APPLICATION_STAGES,
    CREDIT_RATINGS,
    GRADES,
    HONOURS,
    INDUSTRIES,
    LEVELS,
    NOT_GRADED,
    REJECTED_STAGE,
    THREE_FACTORIES,
    TOWN_NAMES,
)
from plantrack.targets import Config

MAX_CELL = 1000
HEADER_SCAN_ROWS = 15
TOTAL_MARKS = ("合计", "总计", "小计", "合 计", "总 计")
NOTE_MARKS = ("注", "备注", "说明", "填报说明", "数据来源", "制表", "填报人", "审核人")


@dataclass
class Problem:
    sheet: str
    row: int | None  # as the user sees it in Excel (1-based), None for the whole file
    column: str | None
    value: str | None
    reason: str

    def text(self) -> str:
        where = [f"工作表「{self.sheet}」"] if self.sheet else []
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"「{self.column}」列")
        value = f"值「{self.value}」" if self.value not in (None, "") else ""
        return (
            "".join(where) + ("：" if where else "") + value + ("，" if value else "") + self.reason
        )


@dataclass
class Report:
    file_name: str
    sha256: str = ""
    kind: Kind | None = None
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    written: bool = False
    import_id: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self, limit: int = 200) -> list[str]:
        head = f"文件：{self.file_name}" + (f"（{self.kind.label}）" if self.kind else "")
        lines = [head]
        if self.problems:
            lines.append(f"发现 {len(self.problems)} 个问题，未写入任何数据：")
            lines += [f"  {problem.text()}" for problem in self.problems[:limit]]
            if len(self.problems) > limit:
                lines.append(f"  …… 另有 {len(self.problems) - limit} 个问题")
        if self.message:
            lines.append(self.message)
        return lines


# --- reading ---------------------------------------------------------------------------------------


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


# --- header ----------------------------------------------------------------------------------------


def _match(kind: Kind, cell: object) -> tuple[Column, str | None] | None:
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
                matched = {m[0].name for cell in row if (m := _match(candidate, cell))}
                required = {c.name for c in candidate.columns if c.required}
                score = (len(matched & required), len(matched))
                if len(matched) >= 2 and (best is None or score > best[0]):
                    best = (score, sheet, row_index, candidate)
    if best is None:
        return None
    return best[1], best[2], best[3]


# --- cells -----------------------------------------------------------------------------------------

TRUE = {"是", "规上", "规模以上", "y", "yes", "true", "1", "√", "✓", "有"}
FALSE = {"否", "规下", "规模以下", "n", "no", "false", "0", "×", "✗", "无"}
LEVEL_ALIASES = {
    "国家": "国家级",
    "省": "省级",
    "市": "市级",
    "区": "区级",
    "县级": "区级",
    "区县级": "区级",
}
RATING_ALIASES = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差", "一般": "中"}
AWARD_ALIASES = {
    "专精特新": "专精特新中小企业",
    "小巨人": '专精特新"小巨人"',
    "国家高新技术企业": "高新技术企业",
    "高企": "高新技术企业",
    "科小": "科技型中小企业",
}


def _choice(text: str, options: list[str], what: str) -> str:
    if text in options:
        return text
    shown = "、".join(options[:12]) + ("等" if len(options) > 12 else "")
    raise CellError(f"不是已知的{what}（可选：{shown}）")


class Validator:
    def __init__(self, config: Config, existing_codes: set[str]):
        self.config = config
        self.existing_codes = existing_codes
        jurisdictions = {config.district} | {plan.jurisdiction for plan in config.plans}
        self.jurisdictions = sorted(jurisdictions)
        self.metric_ids = set(config.metrics)
        self.metric_labels = {metric.label: key for key, metric in config.metrics.items()}
        self.this_year = dt.date.today().year

    def cell(self, column: Column, raw: object, factor: float):
        kind = column.type
        if isinstance(raw, str) and len(raw) > MAX_CELL:
            raise CellError(f"单元格内容过长（{len(raw)}字）")
        if kind in ("number", "integer"):
            number = parse_number(raw)
            if number is None:
                if column.required:
                    raise CellError("必填，不能为空")
                return None
            number *= factor
            if column.minimum is not None and number < column.minimum:
                raise CellError(
                    "不能为负数" if column.minimum == 0 else f"不能小于{column.minimum:g}"
                )
            if column.maximum is not None and number > column.maximum:
                raise CellError(f"超过上限{column.maximum:g}{column.unit or ''}")
            return int(round(number)) if kind == "integer" else number
        text = clean_text(raw)
        if not text:
            if column.required:
                raise CellError("必填，不能为空")
            return None
        if kind == "code":
            code = text.upper().replace(" ", "")
            problem = creditcode.problem(code)
            if problem:
                raise CellError(problem)
            return code
        if kind == "text":
            return text
        if kind == "year":
            try:
                number = parse_number(raw)
            except CellError:
                match = re.fullmatch(r"(\d{4})\s*年(度)?", text)
                if not match:
                    raise
                number = float(match.group(1))
            if (
                number is None
                or not number.is_integer()
                or not 2000 <= number <= self.this_year + 1
            ):
                raise CellError(f"年度应为2000—{self.this_year + 1}之间的整数")
            return int(number)
        if kind == "bool":
            lowered = text.lower()
            if lowered in TRUE:
                return True
            if lowered in FALSE:
                return False
            raise CellError("应为“是”或“否”")
        if kind == "town":
            if text in TOWN_NAMES:
                return text
            for suffix in ("镇", "街道"):
                if text + suffix in TOWN_NAMES:
                    return text + suffix
            if text in ("园区", "工业园区", "定海园区"):
                return "定海工业园区"
            return _choice(text, TOWN_NAMES, "镇街")
        if kind == "industry":
            return _choice(text, INDUSTRIES, "行业")
        if kind == "grade":
            grade = text.upper().replace("类", "").replace("档", "")
            if grade in GRADES or text == NOT_GRADED:
                return grade if grade in GRADES else NOT_GRADED
            raise CellError("应为 A、B、C、D 或 不参评")
        if kind == "award":
            name = re.sub(r"[“”「」『』‘’]", '"', text)
            name = AWARD_ALIASES.get(name, name)
            return _choice(name, list(HONOURS), "荣誉名称")
        if kind == "level":
            return _choice(LEVEL_ALIASES.get(text, text), LEVELS, "级别")
        if kind == "category":
            return _choice(text, THREE_FACTORIES, "申报类别")
        if kind == "stage":
            return _choice(text, [*APPLICATION_STAGES, REJECTED_STAGE], "环节")
        if kind == "rating":
            return _choice(RATING_ALIASES.get(text, text), CREDIT_RATINGS, "信用评价")
        if kind == "jurisdiction":
            return _choice(text, self.jurisdictions, "地区")
        if kind == "metric":
            base = text.split("[", 1)[0]
            if base in self.metric_ids:
                return text
            if text in self.metric_labels:
                return self.metric_labels[text]
            raise CellError("不是 targets.toml 指标目录中的指标（可填指标编号或名称）")
        raise AssertionError(kind)


def _is_skippable(row: list) -> bool:
    first = row[0] if row else None
    if (
        isinstance(first, str)
        and first.strip()
        and not first.lstrip().startswith((*TOTAL_MARKS, *NOTE_MARKS, "合", "总", "小"))
    ):
        return False  # the common case: a data row starting with its code or name
    texts = [clean_text(cell) for cell in row]
    filled = [text for text in texts if text]
    if not filled:
        return True
    first = filled[0].replace(" ", "")
    if first.startswith(tuple(mark.replace(" ", "") for mark in TOTAL_MARKS)):
        return True
    return len(filled) == 1 and first.startswith(NOTE_MARKS)


@dataclass
class Parsed:
    kind: Kind
    frame: pd.DataFrame
    present: list[str]  # warehouse fields the file has


def parse(
    path: Path, data: bytes, config: Config, kind: Kind | None, existing_codes: set[str]
) -> tuple[Parsed | None, list[Problem]]:
    sheets, problems = read_sheets(path, data)
    if problems:
        return None, problems
    found = find_header(sheets, kind)
    if found is None:
        what = kind.label if kind else "任何一种数据（企业年度数据、荣誉认定、申报记录、上报指标）"
        return None, [
            Problem(
                "",
                None,
                None,
                None,
                f"前{HEADER_SCAN_ROWS}行中找不到{what}的表头，请对照模板检查列名",
            )
        ]
    sheet, header_index, kind = found
    header = sheet.rows[header_index]
    mapping: dict[int, tuple[Column, float]] = {}
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        matched = _match(kind, cell)
        if not matched:
            continue
        column, unit = matched
        shown = _as_shown(cell)
        if column.name in seen:
            problems.append(
                Problem(
                    sheet.name,
                    header_index + 1,
                    shown,
                    None,
                    f"与第{seen[column.name] + 1}列重复（都对应“{column.name}”）",
                )
            )
            continue
        seen[column.name] = index
        try:
            factor = (
                conversion(unit, column.unit)
                if column.unit
                else (1.0 if unit is None else _unit_for_unitless(column, unit))
            )
        except CellError as exc:
            problems.append(Problem(sheet.name, header_index + 1, shown, None, str(exc)))
            continue
        mapping[index] = (column, factor)
    for column in kind.columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem(sheet.name, header_index + 1, kind.header(column), None, "缺少必填列")
            )
    if problems:
        return None, problems

    validator = Validator(config, existing_codes)
    columnar = None if sheet.complete else _csv_columns(sheet, header_index, len(header))
    if columnar is not None:
        data_rows, by_column = columnar
    else:
        rows = sheet.all_rows()
        data_rows = [
            index for index in range(header_index + 1, len(rows)) if not _is_skippable(rows[index])
        ]
        by_column = list(itertools.zip_longest(*(rows[index] for index in data_rows)))
    if not data_rows:
        return None, [Problem(sheet.name, header_index + 1, None, None, "只有表头，没有数据行")]
    # Problems are sorted at the end into the order a person reads the sheet: by row, then column.
    found: list[tuple[int, int, Problem]] = []
    columns: dict[str, list | np.ndarray] = {}
    for col_index, (column, factor) in mapping.items():
        raws = by_column[col_index] if col_index < len(by_column) else [None] * len(data_rows)
        if isinstance(raws, tuple):
            raws = list(raws)
        values, errors = _column_values(validator, column, factor, raws)
        shown_header = _as_shown(header[col_index])
        formula = {
            row_index: text for (row_index, col), text in sheet.errors.items() if col == col_index
        }
        if formula:
            for pos, row_index in enumerate(data_rows):
                if row_index in formula:
                    errors[pos] = None  # the formula error replaces whatever the empty cell gave
                    found.append(
                        (
                            row_index + 1,
                            col_index,
                            Problem(
                                sheet.name,
                                row_index + 1,
                                shown_header,
                                formula[row_index],
                                "公式错误，请填入数值",
                            ),
                        )
                    )
        for pos, reason in errors.items():
            if reason is None:
                continue
            value = _as_shown(raws[pos].as_py() if isinstance(raws, pa.Array) else raws[pos])
            found.append(
                (
                    data_rows[pos] + 1,
                    col_index,
                    Problem(
                        sheet.name,
                        data_rows[pos] + 1,
                        shown_header,
                        value[:50] + ("…" if len(value) > 50 else ""),
                        reason,
                    ),
                )
            )
        columns[column.field] = values
    last = len(header) + 1  # sorts row-level problems after the row's cell problems
    if all(name in columns for name in kind.keys) and _has_duplicates(columns, kind.keys):
        key_label = "、".join(c.name for c in kind.columns if c.field in kind.keys)
        first_row: dict[tuple, int] = {}
        for pos, key in enumerate(zip(*(columns[name] for name in kind.keys), strict=True)):
            if any(part is None or part != part for part in key):
                continue
            excel_row = data_rows[pos] + 1
            seen_at = first_row.setdefault(key, excel_row)
            if seen_at != excel_row:
                shown_key = " / ".join(map(str, key))
                found.append(
                    (
                        excel_row,
                        last,
                        Problem(
                            sheet.name, excel_row, key_label, shown_key, f"与第{seen_at}行重复"
                        ),
                    )
                )
    if kind.key in ("awards", "applications") and "credit_code" in columns:
        for pos, code in enumerate(columns["credit_code"]):
            if code and code not in existing_codes:
                found.append(
                    (
                        data_rows[pos] + 1,
                        last + 1,
                        Problem(
                            sheet.name,
                            data_rows[pos] + 1,
                            "统一社会信用代码",
                            code,
                            "数据库中没有该企业，请先导入其企业年度数据",
                        ),
                    )
                )
    if found:
        found.sort(key=lambda item: (item[0], item[1]))
        return None, [problem for _, _, problem in found]
    present = [column.field for column, _ in mapping.values()]
    frame = pd.DataFrame({name: columns[name] for name in present})
    return Parsed(kind, frame, present), []


def _has_duplicates(columns: dict, keys: tuple[str, ...]) -> bool:
    frame = pd.DataFrame({name: columns[name] for name in keys})
    return bool(frame.dropna().duplicated().any())


def _column_values(
    validator: Validator, column: Column, factor: float, raws: list | pa.Array
) -> tuple[list | np.ndarray, dict[int, str | None]]:
    """One column's values and its bad cells ({position: reason}). Column by column, not cell by cell:
    each distinct cell value is validated once (a town name, a code repeated over six years), and plain
    numbers are converted in bulk, with the unit factor and the bounds checked on the whole column."""
    if isinstance(raws, pa.Array):
        return _arrow_values(validator, column, factor, raws)
    if column.type in ("number", "integer"):
        return _number_values(validator, column, factor, raws)
    cache: dict = {}
    values: list = []
    errors: dict[int, str | None] = {}
    for pos, raw in enumerate(raws):
        key = (raw.__class__, raw)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _checked(validator, column, raw, factor)
        values.append(hit[0])
        if hit[1] is not None:
            errors[pos] = hit[1]
    return values, errors


PLAIN_NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"


def _arrow_values(
    validator: Validator, column: Column, factor: float, raws: pa.Array
) -> tuple[list | np.ndarray, dict[int, str | None]]:
    """As _column_values, for a CSV column read by pyarrow as text: plain numbers are converted by
    pyarrow, other values are validated once per distinct text."""
    if column.type in ("number", "integer"):
        try:  # the usual column: every filled cell a plain number, cast in one go
            cast = pc.cast(pc.if_else(pc.equal(raws, ""), None, raws), pa.float64())
            numbers = cast.to_numpy(zero_copy_only=False).astype(float)
            slow = ~np.isfinite(numbers) | (pc.utf8_length(raws).to_numpy() > MAX_CELL)
        except pa.ArrowInvalid:  # some text that is not a plain number: find which cells
            plain = pc.and_(
                pc.match_substring_regex(raws, PLAIN_NUMBER),
                pc.less_equal(pc.utf8_length(raws), MAX_CELL),
            )
            numbers = pc.cast(pc.utf8_trim_whitespace(pc.if_else(plain, raws, None)), pa.float64())
            numbers = numbers.to_numpy(zero_copy_only=False).astype(float)
            slow = ~plain.to_numpy(zero_copy_only=False)
        empty = pc.equal(raws, "").to_numpy(zero_copy_only=False)
        if empty.any():  # an empty cell means the same everywhere: check it once
            value, reason = _checked(validator, column, "", factor)
            numbers[empty] = np.nan if value is None else value
            slow &= ~empty
        numbers, errors = _checked_numbers(
            validator, column, factor, numbers, slow, lambda pos: raws[pos].as_py()
        )
        if empty.any() and reason is not None:
            errors.update(dict.fromkeys(np.flatnonzero(empty).tolist(), reason))
        return numbers, errors
    encoded = pc.dictionary_encode(raws)
    distinct = encoded.dictionary.to_pylist()
    if column.type == "code":
        checked = _checked_codes(validator, column, factor, encoded.dictionary, distinct)
    else:
        checked = [_checked(validator, column, raw, factor) for raw in distinct]
    lookup = np.empty(len(distinct) + 1, dtype=object)
    lookup[:-1] = [value for value, _ in checked]
    lookup[-1] = None
    indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    kinds = {value.__class__ for value in lookup if value is not None}
    if kinds == {str}:
        # text stays in Arrow: no Python string per cell, and DuckDB reads it without conversion
        values = pd.arrays.ArrowStringArray(pa.array(lookup, type=pa.string()).take(indices))
    elif kinds in ({int}, {bool}):  # years, 是/否: typed columns, not Python objects
        values = pd.array(list(lookup), dtype="Int64" if kinds == {int} else "boolean")
        values = values.take(indices)
    else:
        values = lookup[indices]
    bad = np.array([reason is not None for _, reason in checked] + [False])
    errors: dict[int, str | None] = {
        int(pos): checked[indices[pos]][1] for pos in np.flatnonzero(bad[indices])
    }
    return values, errors


def _csv_columns(
    sheet: Sheet, header_index: int, width: int
) -> tuple[list[int], list[pa.Array]] | None:
    """The data rows below the header of a CSV, column by column, read by pyarrow: (0-based row
    numbers kept, one text array per column). None when the file is irregular (rows of different
    lengths, blank lines, unusual quoting): the caller then reads it row by row, as before."""
    dialect = sheet.dialect
    if dialect is None or dialect.skipinitialspace or dialect.quoting != csv.QUOTE_MINIMAL:
        return None
    names = [f"c{index}" for index in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(sheet.utf8),
            read_options=pa_csv.ReadOptions(skip_rows=header_index + 1, column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=dialect.delimiter,
                quote_char=dialect.quotechar or False,
                double_quote=dialect.doublequote,
                escape_char=dialect.escapechar or False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    columns = [table.column(name).combine_chunks() for name in names]
    if not columns or not len(columns[0]):
        return [], columns
    # The first rows must read as the row-by-row reader read them, or the row numbers would be wrong.
    for offset, row in enumerate(sheet.rows[header_index + 1 :]):
        if offset >= len(columns[0]) or [c[offset].as_py() for c in columns] != row:
            return None
    first = pc.utf8_trim_whitespace(columns[0])
    marks = (*TOTAL_MARKS, *NOTE_MARKS, "合", "总", "小")
    flagged = pc.equal(first, "")
    for mark in marks:
        flagged = pc.or_(flagged, pc.starts_with(first, mark))
    flagged_rows = np.flatnonzero(flagged.to_numpy(zero_copy_only=False))
    keep = np.ones(len(first), dtype=bool)
    for pos in flagged_rows.tolist():
        if _is_skippable([column[pos].as_py() for column in columns]):
            keep[pos] = False
    if not keep.all():
        mask = pa.array(keep)
        columns = [column.filter(mask) for column in columns]
    data_rows = (np.flatnonzero(keep) + header_index + 1).tolist()
    return data_rows, columns


def _checked_codes(
    validator: Validator, column: Column, factor: float, texts: pa.Array, distinct: list
) -> list[tuple]:
    """统一社会信用代码 checked in bulk: written exactly (18 allowed characters) with a right check
    character, a code is accepted as it is; any other text gets the full check and its message."""
    well_formed = pc.match_substring_regex(texts, f"^[{creditcode.CHARSET}]{{18}}$")
    shaped = well_formed.to_numpy(zero_copy_only=False)
    checked: list[tuple | None] = [None] * len(distinct)
    if shaped.any():
        codes = pc.filter(texts, well_formed)
        raw = np.frombuffer(codes.buffers()[2], dtype=np.uint8)
        start = codes.offset * 18  # every one of these codes is 18 one-byte characters
        chars = raw[start : start + 18 * len(codes)].reshape(-1, 18)
        value_of = np.zeros(256, dtype=np.int64)
        for index, char in enumerate(creditcode.CHARSET):
            value_of[ord(char)] = index
        total = value_of[chars[:, :17]] @ np.array(creditcode.WEIGHTS, dtype=np.int64)
        expected = np.frombuffer(creditcode.CHARSET.encode(), dtype=np.uint8)[
            (31 - total % 31) % 31
        ]
        right = expected == chars[:, 17]
        for position, ok in zip(np.flatnonzero(shaped).tolist(), right.tolist(), strict=True):
            if ok:
                checked[position] = (distinct[position], None)
    return [
        done if done is not None else _checked(validator, column, raw, factor)
        for done, raw in zip(checked, distinct, strict=True)
    ]


def _checked(validator: Validator, column: Column, raw: object, factor: float) -> tuple:
    try:
        return validator.cell(column, raw, factor), None
    except CellError as exc:
        return None, str(exc)


def _number_values(
    validator: Validator, column: Column, factor: float, raws: list
) -> tuple[np.ndarray, dict[int, str | None]]:
    plain: list[float] = []  # nan where the cell needs the full check
    for raw in raws:
        kind = raw.__class__
        if kind is float or kind is int:
            plain.append(raw)
        elif kind is str and len(raw) <= MAX_CELL:
            try:
                plain.append(float(raw))
            except ValueError:
                plain.append(np.nan)
        else:
            plain.append(np.nan)
    numbers = np.asarray(plain, dtype=float)
    slow = ~np.isfinite(
        numbers
    )  # empty, text like 1,234 or 12%, nan/inf, None, bool: the full check
    return _checked_numbers(validator, column, factor, numbers, slow, raws.__getitem__)


def _checked_numbers(
    validator: Validator,
    column: Column,
    factor: float,
    numbers: np.ndarray,
    slow: np.ndarray,
    raw_at,
) -> tuple[np.ndarray, dict[int, str | None]]:
    """Unit factor and bounds on the plain numbers at once; the cells marked `slow` get the full
    cell check, once per distinct value."""
    numbers = numbers * factor
    errors: dict[int, str | None] = {}
    if column.minimum is not None:
        for pos in np.flatnonzero(~slow & (numbers < column.minimum)):
            errors[int(pos)] = (
                "不能为负数" if column.minimum == 0 else f"不能小于{column.minimum:g}"
            )
    if column.maximum is not None:
        for pos in np.flatnonzero(~slow & (numbers > column.maximum)):
            errors[int(pos)] = f"超过上限{column.maximum:g}{column.unit or ''}"
    if column.type == "integer":
        numbers = np.round(numbers)
    cache: dict = {}
    for pos in np.flatnonzero(slow).tolist():
        raw = raw_at(pos)
        key = (raw.__class__, raw)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _checked(validator, column, raw, factor)
        value, reason = hit
        numbers[pos] = np.nan if value is None else value
        if reason is not None:
            errors[pos] = reason
    return numbers, errors


def _as_shown(cell: object) -> str:
    """A cell as the user sees it in Excel (no normalisation), for messages."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _unit_for_unitless(column: Column, unit: str) -> float:
    raise CellError(f"“{column.name}”不应带单位（{unit}）")


# --- writing ---------------------------------------------------------------------------------------

TABLE_KEYS = {
    "enterprises": ("credit_code",),
    "enterprise_years": ("credit_code", "year"),
    "awards": ("credit_code", "award", "year"),
    "applications": ("credit_code", "year", "category"),
    "indicators": ("jurisdiction", "metric", "year"),
}


def archive_dir(db_path: Path) -> Path:
    return db_path.parent / "archive"


@contextmanager
def writer_lock(db_path: Path, wait_seconds: float = 120) -> Iterator[None]:
    """One writer at a time (readers never wait: they keep reading the old file)."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("另一个导入正在进行，请稍后再试") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def replacing(db_path: Path, fresh: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the database (or a fresh one) that replaces it atomically on success."""
    tmp = db_path.with_name(f".{db_path.name}.import-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        if db_path.exists() and not fresh:
            shutil.copy2(db_path, tmp)
        con = duckdb.connect(str(tmp))
        try:
            db.create_schema(con)
            con.execute("begin transaction")
            yield con
            con.execute("commit")
            con.execute("checkpoint")
        except BaseException:
            con.execute("rollback") if con else None
            raise
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def _upsert(
    con: duckdb.DuckDBPyConnection, table: str, incoming: pd.DataFrame, import_id: int
) -> tuple[int, int, int]:
    """Insert or replace rows; columns the file does not have keep their old values. Returns
    (added, replaced, unchanged) and records in the ledger what import `import_id` added and replaced.

    New keys are handled in bulk (their ledger entry is just the key, written by DuckDB); only rows whose
    key already exists are compared one by one, to tell replaced from unchanged and keep the old row."""
    keys = list(TABLE_KEYS[table])
    current = db.run_query(con, f"write/current_{table}", relations={"incoming": incoming[keys]})
    full_columns = list(db.run_query(con, "table_columns", table_name=table)["column_name"])
    merged = incoming.copy()
    if not current.empty:
        merged = incoming.merge(current, on=keys, how="left", suffixes=("", "__old"))
        for column in full_columns:
            if column in keys:
                continue
            if column in incoming.columns:
                continue
            merged[column] = merged[column] if column in merged.columns else None
        merged = merged[[c for c in merged.columns if not c.endswith("__old")]]
    for column in full_columns:
        if column not in merged.columns:
            merged[column] = None
    merged = merged[full_columns]
    if current.empty:
        exists = pd.Series(False, index=merged.index)
    else:
        exists = (
            merged[keys]
            .merge(current[keys].assign(__exists=True), on=keys, how="left")["__exists"]
            .fillna(False)
            .astype(bool)
            .set_axis(merged.index)
        )
    added = int((~exists).sum())
    if added:
        db.run_query(
            con,
            "write/record_added",
            relations={"new_keys": merged.loc[~exists, keys]},
            import_id=import_id,
            table_name=table,
        )
    old_by_key = {tuple(row[k] for k in keys): row for row in current.to_dict("records")}
    replaced = unchanged = 0
    kept = []
    for row in merged[exists].to_dict("records"):
        key = tuple(row[k] for k in keys)
        old = old_by_key[key]
        if _same(old, row):
            unchanged += 1
        else:
            replaced += 1
            kept.append(
                {
                    "table_name": table,
                    "key_json": json.dumps(
                        dict(zip(keys, key, strict=True)), ensure_ascii=False, default=str
                    ),
                    "old_json": json.dumps(old, ensure_ascii=False, default=str),
                }
            )
    if kept:
        db.run_query(
            con,
            "write/record_changes",
            relations={"changes": pd.DataFrame(kept)},
            import_id=import_id,
        )
    if added:
        db.run_query(con, f"write/insert_{table}", relations={"incoming": merged[~exists]})
    if added < len(merged):
        db.run_query(con, f"write/upsert_{table}", relations={"incoming": merged[exists]})
    return added, replaced, unchanged


def _same(old: dict, new: dict) -> bool:
    for key, value in new.items():
        before = old.get(key)
        if pd.isna(value) and pd.isna(before):
            continue
        if isinstance(value, float) and isinstance(before, float):
            if abs(value - before) > 1e-9 * max(1.0, abs(value)):
                return False
        elif value != before:
            return False
    return True


def _enterprise_rows(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
    """enterprises from an 企业年度数据 file: the latest year's name, town and industry per code."""
    return db.run_query(
        con, "write/enterprises_from_years", relations={"incoming": frame}, park="定海工业园区"
    )


def import_file(
    path: Path,
    db_path: Path,
    config: Config,
    kind: str | None = None,
    dry_run: bool = False,
    replace_demo: bool = False,
    imported_by: str | None = None,
    original_name: str | None = None,
) -> Report:
    """Validate `path`; unless `dry_run`, write all its rows (or none) into `db_path`."""
    name = original_name or path.name
    report = Report(file_name=name)
    chosen = None
    if kind:
        chosen = KINDS.get(kind) or KIND_BY_LABEL.get(kind)
        if chosen is None:
            report.problems.append(
                Problem(
                    "",
                    None,
                    None,
                    kind,
                    f"未知的数据类型（可选：{'、'.join(f'{k.key}（{k.label}）' for k in KINDS.values())}）",
                )
            )
            return report
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.problems.append(
            Problem("", None, None, None, f"无法读取文件：{exc.strerror or exc}")
        )
        return report
    report.sha256 = hashlib.sha256(data).hexdigest()

    meta, existing, previous = {}, set(), None
    if db_path.exists():
        with duckdb.connect(str(db_path), read_only=True) as con:
            meta = db.read_meta(con)
            existing = set(db.run_query(con, "enterprise_codes")["credit_code"])
            ledger = db.run_query(con, "import_ledger")
            done = ledger[(ledger["sha256"] == report.sha256) & (ledger["outcome"] == "成功")]
            previous = done.iloc[-1] if not done.empty else None
    demo = meta.get("data_kind") == "demo"
    if demo and not replace_demo and not dry_run:
        report.problems.append(
            Problem(
                "",
                None,
                None,
                None,
                f"目标数据库 {db_path} 是示例数据，不能与真实数据混在一起。请用 --db 指定新的数据库，或加 --replace-demo 以空库替换示例数据",
            )
        )
        return report
    if demo and replace_demo:
        existing, previous = set(), None

    parsed, problems = parse(path, data, config, chosen, existing)
    if problems:
        report.problems = problems
        return report
    report.kind = parsed.kind
    report.rows = len(parsed.frame)
    if previous is not None:
        report.message = f"该文件（sha256 {report.sha256[:12]}…）已于 {previous['imported_at']:%Y-%m-%d %H:%M} 导入（第{previous['import_id']}次导入），本次未作改动。"
        return report
    if dry_run:
        report.message = f"校验通过：{report.rows} 行（试运行，未写入）。"
        return report

    with writer_lock(db_path), replacing(db_path, fresh=demo and replace_demo) as con:
        import_id = int(db.run_query(con, "write/next_import_id").iloc[0, 0])
        frame = parsed.frame
        if parsed.kind.key == "enterprise_years":
            _upsert(con, "enterprises", _enterprise_rows(con, frame), import_id)
            frame = frame.drop(columns=["name", "town", "industry"])
        elif parsed.kind.key in ("awards", "applications"):
            frame = frame.drop(columns=["name"])
            if parsed.kind.key == "applications":
                frame = frame.assign(
                    veto=frame.get("veto", pd.Series(False, index=frame.index))
                    .fillna(False)
                    .astype(bool),
                    score_bonus=frame.get("score_bonus", pd.Series(0.0, index=frame.index)).fillna(
                        0.0
                    ),
                )
        report.added, report.replaced, report.unchanged = _upsert(
            con, parsed.kind.table, frame, import_id
        )
        detail = json.dumps(
            {"新增": report.added, "替换": report.replaced, "不变": report.unchanged},
            ensure_ascii=False,
        )
        db.run_query(
            con,
            "write/record_import",
            import_id=import_id,
            file_name=name,
            sha256=report.sha256,
            kind=parsed.kind.key,
            row_count=report.rows,
            imported_by=imported_by or getpass.getuser(),
            outcome="成功",
            detail=detail,
        )
        db.set_meta(con, "data_kind", "real")
        changed = {parsed.kind.table}
        if parsed.kind.key == "enterprise_years":
            changed.add("enterprises")
        derived.refresh(con, config, changed)
        archived = _archive(path, db_path, report.sha256, parsed.kind.key, name)
        report.import_id = import_id
    report.written = True
    report.message = (
        f"已导入 {report.rows} 行：新增 {report.added}，替换 {report.replaced}，不变 {report.unchanged}。"
        f"原文件已存档：{archived.name}（第{import_id}次导入，可用 python -m plantrack undo {import_id} 撤销）"
    )
    return report


def _archive(path: Path, db_path: Path, sha: str, kind: str, name: str) -> Path:
    folder = archive_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    safe_name = re.sub(r'[\\/:*?"<>|]', "_", name)
    target = folder / f"{stamp}__{sha[:12]}__{kind}__{safe_name}"
    shutil.copyfile(path, target)
    return target


def undo(import_id: int, db_path: Path, config: Config) -> str:
    """Restore the rows an import replaced and remove the rows it added. Only the latest import that is
    still in effect can be undone (a later one may have changed the same rows)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        ledger = db.run_query(con, "import_ledger")
        changes = db.run_query(con, "import_changes_of", import_id=import_id)
    active = ledger[ledger["outcome"] == "成功"]
    if import_id not in set(ledger["import_id"]):
        raise ValueError(f"没有第{import_id}次导入")
    if active.empty or int(active["import_id"].max()) != import_id:
        raise ValueError(
            f"只能撤销最近一次仍有效的导入（当前为第{int(active['import_id'].max())}次）"
            if not active.empty
            else "没有可撤销的导入"
        )
    row = ledger[ledger["import_id"] == import_id].iloc[0]
    with writer_lock(db_path), replacing(db_path, fresh=False) as con:
        for table in ["enterprise_years", "awards", "applications", "indicators", "enterprises"]:
            part = changes[changes["table_name"] == table]
            if part.empty:
                continue
            keys = pd.DataFrame([json.loads(k) for k in part["key_json"]])
            db.run_query(con, f"write/delete_{table}", relations={"doomed": keys})
            old = [json.loads(o) for o in part["old_json"] if o is not None and o == o]
            if old:
                frame = pd.DataFrame(old)
                columns = list(db.run_query(con, "table_columns", table_name=table)["column_name"])
                db.run_query(con, f"write/upsert_{table}", relations={"incoming": frame[columns]})
        db.run_query(con, "write/mark_import", import_id=import_id, outcome="已撤销")
        derived.refresh(con, config, set(changes["table_name"]))
    for archived in archive_dir(db_path).glob(f"*__{row['sha256'][:12]}__*"):
        if not archived.name.endswith(".undone"):
            archived.rename(archived.with_name(archived.name + ".undone"))
    return f"已撤销第{import_id}次导入（{row['file_name']}）"


def rebuild(archive: Path, db_path: Path, config: Config) -> list[Report]:
    """A new warehouse from the archived files alone, in the order they were imported."""
    if db_path.exists():
        raise FileExistsError(f"{db_path} 已存在：重建只写入新的数据库文件")
    reports = []
    for archived in sorted(
        p for p in archive.iterdir() if p.is_file() and not p.name.endswith(".undone")
    ):
        parts = archived.name.split("__", 3)
        if len(parts) != 4:
            continue
        _, _, kind, original = parts
        with _staged(archived, original) as staged:
            report = import_file(
                staged, db_path, config, kind=kind, imported_by="rebuild", original_name=original
            )
        reports.append(report)
        if not report.ok:
            break
    return reports


@contextmanager
def _staged(archived: Path, original: str) -> Iterator[Path]:
    """The archived file under its original name (the suffix decides how it is read)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / original
        shutil.copyfile(archived, staged)
        yield staged


def template_bytes(kind_key: str) -> bytes:
    """An .xlsx with the canonical header (units in brackets) and one example row."""
    from plantrack.exports import xlsx_bytes

    kind = KINDS[kind_key]
    headers = [kind.header(column) for column in kind.columns]
    frame = pd.DataFrame([list(kind.example)], columns=headers)
    notes = {
        "用途": f"{kind.label}导入模板：第一行为表头，从第二行起每行一条记录（示例行请替换为真实数据）",
        "必填列": "、".join(kind.header(c) for c in kind.columns if c.required),
        "可选列": "、".join(kind.header(c) for c in kind.columns if not c.required) or "无",
        "说明": "金额可用元、万元、亿元（在表头括号中注明），面积可用亩或平方米；缺失值留空或填“—”",
    }
    return xlsx_bytes({kind.label: frame}, notes)
