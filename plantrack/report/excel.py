"""Downloads for briefings: Excel tables (numbers as numbers, formatted by unit, formula-safe)."""

from __future__ import annotations

import io
import math
import re
from datetime import datetime

import pandas as pd
import xlsxwriter

from plantrack.model.quantities import QUANTITIES

# a catalogued quantity's header → its number format, at the catalogue's decimals
CATALOGUE_FORMATS = {
    entry.header: "#,##0" + ("." + "0" * entry.decimals if entry.decimals else "")
    for entry in QUANTITIES.values()
    if entry.unit
}
UNIT_FORMATS = [
    (re.compile(r"（%）|（百分点）|率|占比"), "0.0"),
    (re.compile(r"（家）|（人）|（个）|（项）|（名）|年度|排名"), "0"),
    (re.compile(r"（万元/亩）|（万元/人）|（亿元）"), "#,##0.00"),
    (re.compile(r"（万元）"), "#,##0.0"),
    (re.compile(r"（亩）"), "#,##0.00"),
]
FORMULA_START = ("=", "+", "-", "@")
MAX_TEXT = 32767  # Excel's limit for one cell


def _number_format(header: str) -> str:
    if header in CATALOGUE_FORMATS:
        return CATALOGUE_FORMATS[header]
    for pattern, fmt in UNIT_FORMATS:
        if pattern.search(header):
            return fmt
    return "#,##0.00"


def _display_width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def xlsx_bytes(sheets: dict[str, pd.DataFrame], notes: dict[str, str]) -> bytes:
    """One sheet per frame (Chinese headers with units), plus a 说明 sheet with the filters, as-of
    date and data source. Text that looks like a formula is written as text."""
    buffer = io.BytesIO()
    workbook = safe_workbook(buffer)
    header_format = workbook.add_format(
        {"bold": True, "bg_color": "#DDE7F3", "border": 1, "text_wrap": True}
    )
    number_formats: dict[str, xlsxwriter.format.Format] = {}
    used: set[str] = set()
    for sheet_name, frame in sheets.items():
        sheet = workbook.add_worksheet(sheet_title(sheet_name, used))
        for column_index, header in enumerate(frame.columns):
            sheet.write_string(0, column_index, str(header), header_format)
            fmt_text = _number_format(str(header))
            fmt = number_formats.setdefault(fmt_text, workbook.add_format({"num_format": fmt_text}))
            width = _display_width(str(header))
            for row_index, value in enumerate(frame.iloc[:, column_index].tolist(), start=1):
                if (
                    value is None
                    or (isinstance(value, float) and math.isnan(value))
                    or value is pd.NA
                ):
                    continue
                if isinstance(value, bool):
                    sheet.write_string(row_index, column_index, "是" if value else "否")
                    width = max(width, 2)
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(row_index, column_index, float(value), fmt)
                    width = max(width, len(f"{value:,.2f}"))
                else:
                    text = str(value)[:MAX_TEXT]
                    sheet.write_string(row_index, column_index, text)
                    width = max(width, _display_width(text))
            sheet.set_column(column_index, column_index, min(max(width + 2, 6), 60))
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    info = workbook.add_worksheet("说明")
    info.set_column(0, 0, 16)
    info.set_column(1, 1, 80)
    rows = {**notes, "导出时间": datetime.now().strftime("%Y-%m-%d %H:%M")}
    for index, (key, value) in enumerate(rows.items()):
        info.write_string(index, 0, key, header_format)
        info.write_string(index, 1, str(value)[:MAX_TEXT])
    workbook.close()
    return buffer.getvalue()


def safe_workbook(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    """A workbook that writes every value as the value it is: text that looks like a formula, a URL or a
    number stays text, and ±inf or NaN never fails the write (written as #DIV/0!, #NUM!). Every workbook
    plantrack writes (downloads, templates, marked files) starts here."""
    return xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
        },
    )


def sheet_title(name: str, used: set[str]) -> str:
    """A worksheet name Excel accepts, made from any text (an enterprise's name may hold [ ] : * ? / \\
    or start with an apostrophe), at most 31 characters, unique in `used` (which it extends)."""
    title = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", str(name)).strip("'").strip() or "数据"
    title = title[:31].strip("'") or "数据"
    number = 2
    while title.lower() in used:
        suffix = f"_{number}"
        title = title[: 31 - len(suffix)] + suffix
        number += 1
    used.add(title.lower())
    return title


def failure_bytes(reason: str) -> bytes:
    """A workbook that says why the download could not be made (a download never fails silently)."""
    return xlsx_bytes({}, {"导出失败": reason})


def safe_filename(*parts: str | int) -> str:
    """`镇街三大工厂完成情况_2024`: parts joined by _, characters a file system rejects removed."""
    text = "_".join(str(part) for part in parts if str(part))
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)
