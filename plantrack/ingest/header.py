"""Find the row that holds a bureau file's header (the kind of file it is, when not told), match its
cells to the kind's columns by name or alias, and read the units stated above or beside it."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from plantrack.ingest.parsing import clean_text, split_header
from plantrack.ingest.problems import Problem
from plantrack.ingest.read import HEADER_SCAN_ROWS, Sheet
from plantrack.model.kinds import KINDS, Column, Kind


@functools.cache
def _column_names(kind: Kind) -> dict[str, Column]:
    """Every name a column of `kind` may go by (canonical and aliases, as split_header reads them)."""
    names: dict[str, Column] = {}
    for column in kind.columns:
        for name in (column.name, *column.aliases):
            names.setdefault(split_header(name)[0], column)
    return names


@functools.lru_cache(maxsize=8192)
def _split(cell: object) -> tuple[str, str | None]:
    return split_header(cell)


def match_column(kind: Kind, cell: object) -> tuple[Column, str | None] | None:
    """The column of `kind` a header cell names, and the unit written in it. Looked up, not searched:
    a 340-column sheet is matched against every kind on each of its first rows."""
    try:
        base, unit = _split(cell)
    except TypeError:  # a cell that cannot be a key
        base, unit = split_header(cell)
    if not base:
        return None
    column = _column_names(kind).get(base)
    return (column, unit) if column is not None else None


@dataclass
class Header:
    """Where a sheet's header is: its last row (data start below it), the header text of each column,
    and the row each text is in (a two-row header takes a column merged down over both rows from
    the upper one)."""

    sheet: Sheet
    index: int  # 0-based row of the header's last row
    kind: Kind
    cells: list
    rows: list[int]  # 0-based row of each column's header text

    @property
    def first(self) -> int:
        return min(self.rows, default=self.index)

    def shown_rows(self) -> str:
        return (
            f"{self.first + 1}"
            if self.first == self.index
            else f"{self.first + 1}—{self.index + 1}"
        )


def _score(kind: Kind, cells: list) -> tuple[int, int]:
    matched = {m[0].name for cell in cells if (m := match_column(kind, cell))}
    required = {c.name for c in kind.columns if c.required}
    return len(matched & required), len(matched)


def _headers_in(sheet: Sheet, kind: Kind) -> tuple[tuple[int, int], Header] | None:
    """The best header of `kind` in the first rows of `sheet`: one row, or two (upper cells fill the
    empty cells of the lower row, as when the identity columns are merged down over both)."""
    best = None
    rows = sheet.rows[:HEADER_SCAN_ROWS]
    for index, row in enumerate(rows):
        choices = [(list(row), [index] * len(row))]
        if index > 0:
            upper = rows[index - 1]
            cells, where = [], []
            for col in range(max(len(row), len(upper))):
                below = row[col] if col < len(row) else None
                above = upper[col] if col < len(upper) else None
                take_above = clean_text(below) == "" and clean_text(above) != ""
                cells.append(above if take_above else below)
                where.append(index - 1 if take_above else index)
            choices.append((cells, where))
        for cells, where in choices:
            score = _score(kind, cells)
            if score[1] >= 2 and (best is None or score > best[0]):
                best = (score, Header(sheet, index, kind, cells, where))
    return best


def find_header(
    sheets: list[Sheet], kind: Kind | None, sheet_name: str | None = None
) -> tuple[Header | None, list[Problem]]:
    """The header whose rows match the most canonical columns; a problem when no sheet has one, when
    the chosen sheet does not exist, or when two sheets both look like data (the user must choose)."""
    if sheet_name is not None:
        chosen = [sheet for sheet in sheets if sheet.name == sheet_name]
        if not chosen:
            listed = "、".join(f"「{sheet.name}」" for sheet in sheets)
            return None, [
                Problem.about_file(f"没有名为「{sheet_name}」的工作表（文件中有：{listed}）")
            ]
        sheets = chosen
    candidates = [kind] if kind else list(KINDS.values())
    found = []
    for sheet in sheets:
        best = None
        for candidate in candidates:
            header = _headers_in(sheet, candidate)
            if header is not None and (best is None or header[0] > best[0]):
                best = header
        if best is not None:
            found.append(best)
    if not found:
        return None, []
    score, header = max(found, key=lambda item: (item[0], _has_rows(item[1])))
    complete = [
        other
        for other_score, other in found
        if other.kind == header.kind and other_score[0] == score[0] and _has_rows(other)
    ]
    if len(complete) > 1:
        listed = "、".join(f"「{other.sheet.name}」" for other in complete)
        return None, [
            Problem.about_file(
                f"有 {len(complete)} 个工作表都像是{header.kind.label}：{listed}。"
                "请删去不导入的工作表，或指定要导入的工作表（在「工作表」中选择）"
            )
        ]
    return header, []


def _has_rows(header: Header) -> bool:
    """Whether anything is filled below the header (a sheet of instructions repeating the header
    has nothing under it, and is no second candidate)."""
    below = header.sheet.rows[header.index + 1 : header.index + 1 + HEADER_SCAN_ROWS]
    return any(clean_text(cell) for row in below for cell in row)


_UNIT_NOTE = re.compile(
    r"(?<!填报)(?<!报送)(?<!制表)(?<!申报)(?<!统计)(?<!上报)(?<!填表)(?<!主管)(?<!责任)"
    r"单位\s*[:：为]\s*([^\s,，;；)）\]】]{1,8})"
)


@dataclass(frozen=True)
class StatedUnit:
    """A unit written above the header rather than in it: "金额单位：元" under the title (for every
    column), or a group cell "经济效益（单位：元）" (for the columns under it)."""

    unit: str
    row: int  # 0-based
    text: str
    everywhere: bool  # a title line: meant for the columns it fits, not all of them


def stated_units(header: Header) -> dict[int, StatedUnit]:
    """Column index → the unit stated above the header for it (the nearest statement wins)."""
    sheet = header.sheet
    width = len(header.cells)
    found: dict[int, StatedUnit] = {}
    for index in range(header.index):  # a group cell may be the upper row of a two-row header
        row = sheet.rows[index]
        filled = [col for col, cell in enumerate(row) if clean_text(cell)]
        for col in filled:
            text = clean_text(row[col])
            match = _UNIT_NOTE.search(text)
            if not match:
                continue
            unit = match.group(1)
            unit = unit.lower() if unit.isascii() else unit
            span = next(
                (range(c0, c1 + 1) for r0, c0, r1, c1 in sheet.merged if r0 == index and c0 == col),
                None,
            )
            everywhere = len(filled) == 1 and (span is None or len(span) >= width - 1)
            if everywhere:
                scope = range(width)
            elif span is None:  # a group cell without merge information: up to the next one
                following = [c for c in filled if c > col]
                scope = range(col, following[0] if following else width)
            else:
                scope = span
            for target in scope:
                if target < width and header.rows[target] > index:  # the statement is above it
                    found[target] = StatedUnit(unit, index, str(row[col]).strip(), everywhere)
    return found
