"""Validate every cell of a bureau file against its kind (plantrack.model.kinds): units converted,
codes checked, choices matched; all problems collected, none fatal until the end."""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from plantrack.ingest.cells import Validator
from plantrack.ingest.columns import column_values
from plantrack.ingest.header import Header, StatedUnit, find_header, match_column, stated_units
from plantrack.ingest.layout import (
    SUBTOTAL,
    TOTAL,
    TRIGGER,
    Skipped,
    fill_merged,
    short,
    skip_reason,
    skipped_note,
    split_records,
)
from plantrack.ingest.parsing import (
    UNIT_CONVERSIONS,
    CellError,
    as_written,
    clean_text,
    conversion,
    utf8_read_as_gbk,
)
from plantrack.ingest.problems import Problem
from plantrack.ingest.read import HEADER_SCAN_ROWS, UNCALCULATED, Sheet, read_sheets
from plantrack.model.kinds import KINDS, Column, Kind
from plantrack.model.targets import Config


@dataclass
class Parsed:
    kind: Kind
    frame: pd.DataFrame
    present: list[str]  # warehouse fields the file has
    sheet: str = ""  # the sheet read ("" for a CSV)
    notes: list[str] = field(default_factory=list)  # what the reading assumed, for the report


Mapping = dict[int, tuple[Column, float]]  # sheet column → its column of the kind, unit factor
Found = list[tuple[int, int, Problem]]  # (row, col) to sort by, the problem


@dataclass
class Records:
    """What the rows below the header decide: which are records (0-based sheet rows), their cells
    column by column, the rows skipped, and what was read other than as written."""

    positions: list[int]
    by_column: list
    skipped: list[Skipped]
    notes: list[str] = field(default_factory=list)


@dataclass
class Values:
    """The records' values by warehouse field, and the problems of their cells."""

    columns: dict[str, list | np.ndarray]
    found: Found
    percent: dict[str, set[int]]  # field → positions of cells written as a percentage


def parse(
    path: Path,
    data: bytes,
    config: Config,
    kind: Kind | None,
    existing_codes: set[str],
    sheet_name: str | None = None,
) -> tuple[Parsed | None, list[Problem]]:
    """Read the file, find its header, map its columns, keep its records, check every cell and then
    every row: the parsed records, or every problem found (nothing is written on any problem)."""
    sheets, problems = read_sheets(path, data)
    if problems:
        return None, problems
    header, problems = find_header(sheets, kind, sheet_name)
    if problems:
        return None, problems
    if header is None:
        labels = "、".join(known.label for known in KINDS.values())
        what = kind.label if kind else f"任何一种数据（{labels}）"
        return None, [
            Problem.about_file(f"前{HEADER_SCAN_ROWS}行中找不到{what}的表头，请对照模板检查列名")
        ]
    mapping, notes, problems = _map_columns(header)
    if problems:
        return None, problems
    sheet = header.sheet
    if sheet.encoding == "gb18030":
        problems = _mojibake(sheet, header, mapping)
        if problems:
            return None, problems
    records = _records(header, mapping)
    if not records.positions:
        return None, [Problem(sheet.name, header.index + 1, None, None, "只有表头，没有数据行")]
    validator = Validator(config, existing_codes)
    values = _values(header, mapping, records, validator)
    found = values.found + _row_problems(header, mapping, records, values, config, existing_codes)
    if found:
        found.sort(key=lambda item: (item[0], item[1]))
        return None, [problem for _, _, problem in found]
    notes = [sheet.note, *notes, *records.notes, *validator.notes()]
    notes += _total_checks(header, mapping, records, values, validator)
    present = [column.field for column, _ in mapping.values()]
    frame = pd.DataFrame({name: values.columns[name] for name in present})
    return Parsed(header.kind, frame, present, sheet.name, [note for note in notes if note]), []


def _map_columns(header: Header) -> tuple[Mapping, list[str], list[Problem]]:
    """Which sheet column is which column of the kind, and the factor from the unit its header (or a
    statement above it) names to the warehouse's; duplicate, unconvertible and missing columns."""
    sheet, kind = header.sheet, header.kind
    stated = stated_units(header)
    converted: dict[StatedUnit, list[str]] = {}
    mapping: Mapping = {}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(header.cells):
        matched = match_column(kind, cell)
        if not matched:
            continue
        column, unit = matched
        shown = as_written(cell)
        where = header.rows[index] + 1
        if column.name in seen:
            problems.append(
                Problem(
                    sheet.name,
                    where,
                    shown,
                    None,
                    f"与第{seen[column.name] + 1}列重复（都对应“{column.name}”）",
                    col=index,
                )
            )
            continue
        seen[column.name] = index
        statement = stated.get(index) if unit is None and column.unit else None
        try:
            if statement is not None:
                factor = _stated_factor(statement, column)
                if factor is not None:
                    converted.setdefault(statement, []).append(column.name)
                else:
                    factor = 1.0
            elif column.unit:
                factor = conversion(unit, column.unit)
            else:
                factor = 1.0 if unit is None else _unit_for_unitless(column, unit)
        except CellError as exc:
            problems.append(Problem(sheet.name, where, shown, None, str(exc), col=index))
            continue
        mapping[index] = (column, factor)
    for column in kind.columns:
        if column.required and column.name not in seen:
            problems.append(_missing_column(header, column))
    notes = [
        f"按第{statement.row + 1}行“{statement.text}”，{'、'.join(names)}的单位取“{statement.unit}”并已换算"
        for statement, names in converted.items()
    ]
    return mapping, notes, problems


_YEAR_AS_COLUMN = re.compile(r"(20\d{2})\s*年?度?")


def _missing_column(header: Header, column: Column) -> Problem:
    """A required column the header lacks; when the missing one is the year and the header has years
    as columns (2023年, 2024年, …), the file is laid out the other way round: say so."""
    where = header.index + 1
    years = [
        as_written(cell)
        for cell in header.cells
        if _YEAR_AS_COLUMN.match(clean_text(cell).replace(" ", ""))
    ]
    if column.type == "year" and len(years) >= 2:
        return Problem(
            header.sheet.name,
            where,
            header.kind.header(column),
            None,
            f"年度写在了列上（{'、'.join(f'「{y}」' for y in years[:5])}），无法确定每个数字属于哪一项："
            f"请改为每行一条记录、用「{column.name}」列写明年度（可下载模板对照）",
        )
    reason = (
        f"缺少必填列（表头在第{header.shown_rows()}行）"
        if header.first != header.index
        else "缺少必填列"
    )
    return Problem(header.sheet.name, where, header.kind.header(column), None, reason)


def _records(header: Header, mapping: Mapping) -> Records:
    """The rows below the header that are records. In a workbook, a merged range over read columns
    is filled down first and a cell shown as a percentage is taken as shown (68.5%, not 0.685)."""
    sheet = header.sheet
    header_texts = [clean_text(cell) for cell in header.cells]
    columnar = None if sheet.complete else _csv_columns(sheet, header.index, header_texts)
    if columnar is not None:
        positions, by_column, skipped = columnar
        return Records(positions, by_column, skipped, _skipped_notes(skipped))
    rows = sheet.all_rows()
    notes = []
    filled = fill_merged(rows, sheet.merged, header.index + 1, set(mapping))
    if filled:
        shown = "、".join(
            f"第{r0 + 1}—{r1 + 1}行「{mapping[col][0].name}」为「{as_written(value)}」"
            for r0, r1, col, value in filled[:10]
        )
        more = f" 等 {len(filled)} 处" if len(filled) > 10 else ""
        notes.append(f"合并单元格已按合并区域填入其中每一行：{shown}{more}")
    for r, c in sheet.percent:
        if c in mapping and r > header.index and r < len(rows) and c < len(rows[r]):
            value = rows[r][c]
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows[r][c] = _as_percent(value)
    positions, skipped = split_records(rows, header.index + 1, header.cells)
    by_column = list(itertools.zip_longest(*(rows[index] for index in positions)))
    return Records(positions, by_column, skipped, notes + _skipped_notes(skipped))


def _as_percent(value: float) -> str:
    """A cell shown as a percentage, as the clerk sees it: 0.685 → "68.5%"."""
    return f"{value * 100:.10f}".rstrip("0").rstrip(".") + "%"


def _skipped_notes(skipped: list[Skipped]) -> list[str]:
    note = skipped_note(skipped)
    return [note] if note else []


def _values(header: Header, mapping: Mapping, records: Records, validator: Validator) -> Values:
    """Every read cell checked and converted, column by column; formula errors and uncalculated
    formulas as problems; CSV rows longer than the header."""
    sheet, positions = header.sheet, records.positions
    found: Found = []
    if sheet.is_csv and sheet.complete:
        found += _longer_than_header(sheet, positions, len(header.cells))
    columns: dict[str, list | np.ndarray] = {}
    percent: dict[str, set[int]] = {}
    for col_index, (column, factor) in mapping.items():
        raws = (
            records.by_column[col_index]
            if col_index < len(records.by_column)
            else [None] * len(positions)
        )
        if isinstance(raws, tuple):
            raws = list(raws)
        values, errors = column_values(validator, column, factor, raws)
        shown_header = as_written(header.cells[col_index])
        formula = {row: text for (row, col), text in sheet.errors.items() if col == col_index}
        for pos, row_index in enumerate(positions) if formula else ():
            if row_index in formula:
                errors[pos] = None  # the formula error replaces whatever the empty cell gave
                uncalculated = formula[row_index] == UNCALCULATED
                found.append(
                    (
                        row_index + 1,
                        col_index,
                        Problem(
                            sheet.name,
                            row_index + 1,
                            shown_header,
                            None if uncalculated else formula[row_index],
                            "公式未计算（文件中没有保存计算结果），请在 Excel 中打开并保存后重新导入"
                            if uncalculated
                            else "公式错误，请填入数值",
                            col=col_index,
                        ),
                    )
                )
        for pos, reason in errors.items():
            if reason is None:
                continue
            value = as_written(raws[pos].as_py() if isinstance(raws, pa.Array) else raws[pos])
            found.append(
                (
                    positions[pos] + 1,
                    col_index,
                    Problem(
                        sheet.name,
                        positions[pos] + 1,
                        shown_header,
                        value[:50] + ("…" if len(value) > 50 else ""),
                        reason,
                        col=col_index,
                    ),
                )
            )
        columns[column.field] = values
        if column.type in ("number", "integer") and column.unit is None:
            percent[column.field] = _written_as_percent(raws)  # the row's own unit decides
    return Values(columns, found, percent)


def _written_as_percent(raws: list | pa.Array) -> set[int]:
    """Positions of the cells written (or shown) as a percentage: "68.5%"."""
    if isinstance(raws, pa.Array):
        marked = pc.ends_with(pc.utf8_trim_whitespace(raws), "%").to_numpy(zero_copy_only=False)
        return set(np.flatnonzero(marked).tolist())
    return {
        pos for pos, raw in enumerate(raws) if isinstance(raw, str) and raw.strip().endswith("%")
    }


def _row_problems(
    header: Header,
    mapping: Mapping,
    records: Records,
    values: Values,
    config: Config,
    existing_codes: set[str],
) -> Found:
    """What only a whole row shows: a key given twice, a firm not in the warehouse, a reported figure
    outside its metric's range or written as a percentage under another unit."""
    kind, columns, positions = header.kind, values.columns, records.positions
    sheet = header.sheet.name
    last = len(header.cells) + 1  # sorts row-level problems after the row's cell problems
    found: Found = []
    if all(name in columns for name in kind.keys) and _has_duplicates(columns, kind.keys):
        key_label = "、".join(c.name for c in kind.columns if c.field in kind.keys)
        first_row: dict[tuple, int] = {}
        for pos, key in enumerate(zip(*(columns[name] for name in kind.keys), strict=True)):
            if any(part is None or part != part for part in key):
                continue
            excel_row = positions[pos] + 1
            seen_at = first_row.setdefault(key, excel_row)
            if seen_at != excel_row:
                shown_key = " / ".join(map(str, key))
                found.append(
                    (
                        excel_row,
                        last,
                        Problem(sheet, excel_row, key_label, shown_key, f"与第{seen_at}行重复"),
                    )
                )
    if kind.key in ("awards", "applications", "monthly") and "credit_code" in columns:
        for pos, code in enumerate(columns["credit_code"]):
            if code and code not in existing_codes:
                found.append(
                    (
                        positions[pos] + 1,
                        last + 1,
                        Problem(
                            sheet,
                            positions[pos] + 1,
                            "统一社会信用代码",
                            code,
                            "数据库中没有该企业，请先导入其企业年度数据",
                        ),
                    )
                )
    if kind.key == "indicators" and "metric" in columns and "value" in columns:
        found += _indicator_problems(header, mapping, records, values, config)
    return found


def _indicator_problems(
    header: Header, mapping: Mapping, records: Records, values: Values, config: Config
) -> Found:
    columns = values.columns
    value_index = next(i for i, (c, _) in mapping.items() if c.field == "value")
    shown_header = as_written(header.cells[value_index])
    percent = values.percent.get("value", set())
    units = columns.get("unit")
    found: Found = []

    def flag(excel_row: int, shown: str, reason: str, col: int | None = None) -> None:
        problem = Problem(header.sheet.name, excel_row, shown_header, shown, reason, col=col)
        found.append((excel_row, value_index, problem))

    for pos, (metric, value) in enumerate(zip(columns["metric"], columns["value"], strict=True)):
        excel_row = records.positions[pos] + 1
        if pos in percent and units is not None and units[pos] != "%":
            wrong = f"写成了百分数，而该行单位是「{units[pos]}」：请核对单位或数值"
            flag(excel_row, f"{value:g}%", wrong, col=value_index)
            continue
        definition = config.metrics.get((metric or "").split("[", 1)[0])
        if definition is None or value is None or value != value:
            continue
        reason = definition.bounds().problem(float(value), definition.unit)
        if reason:
            flag(excel_row, f"{value:g}", f"“{definition.label}”{reason}（指标目录的合理范围）")
    return found


def _total_checks(
    header: Header, mapping: Mapping, records: Records, values: Values, validator: Validator
) -> list[str]:
    """A 小计 row against the records since the previous 小计, a 合计 row against all records above
    it: each number column whose sum differs from the row's figure is named (a note, not a refusal:
    a total may leave out what the file lists)."""
    notes = []
    rows = np.asarray(records.positions)
    previous = -1
    for item in records.skipped:
        if item.reason not in (SUBTOTAL, TOTAL):
            continue
        since = previous if item.reason == SUBTOTAL else -1
        inside = np.flatnonzero((rows > since) & (rows < item.row))
        if item.reason == SUBTOTAL:
            previous = item.row
        if not len(inside):
            continue
        differ, checked = [], 0
        for col_index, (column, factor) in mapping.items():
            if column.type not in ("number", "integer") or col_index >= len(item.cells):
                continue
            try:
                total = validator.cell(column, item.cells[col_index], factor)
            except CellError:
                continue
            if total is None:
                continue
            checked += 1
            added = float(np.nansum(np.asarray(values.columns[column.field], dtype=float)[inside]))
            if abs(added - total) > max(0.05, abs(total) * 1e-4):
                differ.append(f"「{column.name}」为 {total:,.2f}，其上各行之和为 {added:,.2f}")
        if differ:
            notes.append(
                f"第{item.row + 1}行{item.reason}「{short(item.label)}」与其上 {len(inside)} 行企业记录"
                f"不一致：{'；'.join(differ)}。请核对是否漏行、多行或填错"
            )
        elif checked:
            notes.append(
                f"第{item.row + 1}行{item.reason}「{short(item.label)}」与其上 {len(inside)} 行企业记录之和一致"
            )
    return notes


def _stated_factor(statement: StatedUnit, column: Column) -> float | None:
    """The factor for a unit stated above the header; None when a title line's unit is not meant for
    this column ("金额单位：元" says nothing about 亩). A group cell's unit must fit every column under it."""
    known = UNIT_CONVERSIONS.get(statement.unit)
    if known is None:
        raise CellError(
            f"第{statement.row + 1}行写明的单位“{statement.unit}”无法换算为{column.unit}"
        )
    if known[0] != column.unit:
        if statement.everywhere:
            return None
        raise CellError(
            f"第{statement.row + 1}行“{statement.text}”写明的单位“{statement.unit}”无法换算为{column.unit}"
        )
    return known[1]


def _longer_than_header(sheet, data_rows: list[int], width: int) -> list[tuple[int, int, Problem]]:
    """CSV rows with more fields than the header: an unquoted 2,551.75 splits into two fields and
    shifts every later value one column to the right."""
    found = []
    rows = sheet.all_rows()
    for index in data_rows:
        row = rows[index]
        extra = [cell for cell in row[width:] if clean_text(cell)]
        if extra:
            found.append(
                (
                    index + 1,
                    -1,
                    Problem(
                        sheet.name,
                        index + 1,
                        None,
                        "、".join(as_written(cell) for cell in extra)[:50],
                        f"该行有 {len(row)} 个字段，比表头的 {width} 列多"
                        "（可能是没加引号的千位分隔数字，如 2,551.75），之后的值都会错位，请检查",
                    ),
                )
            )
    return found


def _mojibake(sheet, header, mapping: dict) -> list[Problem]:
    """In a GBK file, text pasted in as UTF-8 reads as mojibake ("瀹氭捣" for 定海): refuse it."""
    suspects = {}
    rows = sheet.all_rows()
    for run in set(_NON_ASCII.findall(sheet.utf8.decode("utf-8"))):
        original = utf8_read_as_gbk(run)
        if original:
            suspects[run] = original
    if not suspects:
        return []
    found = []
    pattern = re.compile("|".join(map(re.escape, sorted(suspects, key=len, reverse=True))))
    for index, row in enumerate(rows):
        for col, cell in enumerate(row):
            match = pattern.search(str(cell)) if cell else None
            if match:
                found.append(
                    Problem(
                        sheet.name,
                        index + 1,
                        as_written(header.cells[col]) if col < len(header.cells) else None,
                        str(cell)[:50],
                        f"疑似乱码：这段文字是 UTF-8 编码（原文应为「{suspects[match.group(0)]}」），"
                        "而文件其余部分是 GBK 编码。请统一用一种编码另存（推荐 UTF-8）后重新导入",
                        col=col,
                    )
                )
    return found


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _has_duplicates(columns: dict, keys: tuple[str, ...]) -> bool:
    frame = pd.DataFrame({name: columns[name] for name in keys})
    return bool(frame.dropna().duplicated().any())


def _csv_columns(
    sheet: Sheet, header_index: int, header_texts: list[str]
) -> tuple[list[int], list[pa.Array], list[Skipped]] | None:
    """The records below the header of a CSV, column by column, read by pyarrow: (0-based row
    numbers kept, one text array per column, the rows skipped). None when the file is irregular (rows
    of different lengths, blank lines, unusual quoting): the caller then reads it row by row."""
    dialect = sheet.dialect
    if dialect is None or dialect.skipinitialspace or dialect.quoting != csv.QUOTE_MINIMAL:
        return None
    width = len(header_texts)
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
        return [], columns, []
    # The first rows must read as the row-by-row reader read them, or the row numbers would be wrong.
    for offset, row in enumerate(sheet.rows[header_index + 1 :]):
        if offset >= len(columns[0]) or [c[offset].as_py() for c in columns] != row:
            return None
    # rows that may be no record (layout.skip_reason decides), found in bulk
    flagged = pc.equal(pc.utf8_trim_whitespace(columns[0]), "")
    for index, column in enumerate(columns[:4]):
        flagged = pc.or_(flagged, pc.match_substring_regex(column, TRIGGER.pattern))
        written = sheet.rows[header_index][index] if index < len(sheet.rows[header_index]) else ""
        names = {header_texts[index], str(written or "").strip()} - {""}
        if names:  # the header repeated (as written, or as read)
            repeated = pc.is_in(pc.utf8_trim_whitespace(column), pa.array(sorted(names)))
            flagged = pc.or_(flagged, repeated)
    keep = np.ones(len(columns[0]), dtype=bool)
    skipped = []
    for pos in np.flatnonzero(flagged.to_numpy(zero_copy_only=False)).tolist():
        cells = [column[pos].as_py() for column in columns]
        reason = skip_reason(cells, header_texts)
        if reason is not None:
            keep[pos] = False
            if reason[0]:
                skipped.append(Skipped(pos + header_index + 1, *reason, tuple(cells)))
    if not keep.all():
        mask = pa.array(keep)
        columns = [column.filter(mask) for column in columns]
    data_rows = (np.flatnonzero(keep) + header_index + 1).tolist()
    return data_rows, columns, skipped


def _unit_for_unitless(column: Column, unit: str) -> float:
    raise CellError(f"“{column.name}”不应带单位（{unit}）")
