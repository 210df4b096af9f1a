"""A rejected file, given back with its problems marked: a copy of the user's own workbook (every
sheet, every cell, merged cells kept) in which each bad cell is filled red and carries the problem in a
comment, plus a sheet 问题清单 listing them all. A data clerk fixes the file where it is."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict
from pathlib import Path

from plantrack.ingest.problems import Problem
from plantrack.ingest.read import UNCALCULATED, read_sheets
from plantrack.report.excel import safe_workbook, sheet_title

LIST_SHEET = "问题清单"


def marked_workbook(name: str, data: bytes, problems: list[Problem]) -> bytes | None:
    """The workbook `name` (its bytes `data`) with `problems` marked; None when the file cannot be
    read at all (not a spreadsheet, too big): then the list of problems is all there is."""
    sheets, unreadable = read_sheets(Path(name), data)
    if unreadable or not sheets:
        return None
    notes: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for problem in problems:
        if problem.row:
            text = problem.text().split("：", 1)[-1] if problem.sheet else problem.text()
            notes[problem.sheet][(problem.row - 1, problem.col or 0)].append(text)
    buffer = io.BytesIO()
    workbook = safe_workbook(buffer)
    bad = workbook.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    used: set[str] = set()
    for sheet in sheets:
        rows = sheet.all_rows()
        title = sheet_title(sheet.name or Path(name).stem or "数据", used)
        worksheet = workbook.add_worksheet(title)
        marked = notes.get(sheet.name, {})
        covered = set()
        for r0, c0, r1, c1 in sheet.merged:
            if (r0, c0) != (r1, c1):
                value = _cell(rows, r0, c0, sheet.errors)
                worksheet.merge_range(r0, c0, r1, c1, "" if value is None else value)
                covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(rows):
            for c in range(len(row)):
                if (r, c) in covered and (r, c) not in marked:
                    continue
                _write(worksheet, r, c, _cell(rows, r, c, sheet.errors), None, when)
        for (r, c), texts in marked.items():
            value = _cell(rows, r, c, sheet.errors) if r < len(rows) else None
            _write(worksheet, r, c, value, bad, when)
            worksheet.write_comment(
                r,
                c,
                "\n".join(texts)[:30000],
                {"x_scale": 2.5, "y_scale": 2, "author": "plantrack"},
            )
        worksheet.set_column(0, max((len(row) for row in rows), default=1), 14)
    listing = workbook.add_worksheet(sheet_title(LIST_SHEET, used))
    head = workbook.add_format({"bold": True, "bg_color": "#DDE7F3", "border": 1})
    for c, header in enumerate(["工作表", "行", "列", "值", "问题"]):
        listing.write_string(0, c, header, head)
    for r, problem in enumerate(problems, start=1):
        listing.write_string(r, 0, problem.sheet or "")
        if problem.row:
            listing.write_number(r, 1, problem.row)
        listing.write_string(r, 2, problem.column or "")
        listing.write_string(r, 3, problem.value or "")
        listing.write_string(r, 4, problem.reason)
    listing.set_column(0, 3, 16)
    listing.set_column(4, 4, 80)
    workbook.close()
    return buffer.getvalue()


def _cell(rows: list[list], r: int, c: int, errors: dict):
    if (r, c) in errors:
        return None if errors[(r, c)] == UNCALCULATED else errors[(r, c)]
    if r >= len(rows) or c >= len(rows[r]):
        return None
    return rows[r][c]


def _write(worksheet, r: int, c: int, value, fmt, when) -> None:
    if value is None or value == "":
        worksheet.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            worksheet.write_string(r, c, str(value), fmt)
        else:
            worksheet.write_number(r, c, value, fmt)
    elif isinstance(value, dt.datetime | dt.date):
        worksheet.write_datetime(r, c, value, fmt or when)
    else:
        worksheet.write_string(r, c, str(value)[:32767], fmt)
