"""The rows of a sheet that are not records, as the 镇街 and statistics systems lay their tables out:
小计/合计 rows, 「其中」 breakdowns, the header repeated on a continued page (（续1）), and the lines
under the table (填表说明, 单位负责人/填表人/日期). They are skipped, and the report lists them; a 小计
or 合计 row is also a check on the rows above it. A town written once and merged down over its firms
is filled down (an explicit merged range only)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantrack.ingest.parsing import clean_text

SUBTOTAL, TOTAL = "小计行", "合计行"
# words of a row that is no record (a firm whose name has one is only looked at more closely); a
# note line (注：…) fills one cell, and a row of few cells is always looked at closely
TRIGGER = re.compile(
    r"合\s*计|小\s*计|总\s*计|其中|续|说明|负责人|填表|填报|日期|备注|制表|审核|联系"
)
_CODE_LIKE = re.compile(r"[0-9A-Z]{18}")
_NOTE_LINE = re.compile(
    r"(填表说明|填报说明|说明|注|备注|单位负责人|负责人|填表人|填报人|制表人|制表|审核人|联系人"
    r"|联系电话|电话|日期|填报日期|填表日期|数据来源)\s*[:：]"
)
_NOTE_WORDS = ("注", "备注", "说明", "填报说明", "填表说明", "数据来源", "制表", "填报人", "审核人")
_CONTINUED = re.compile(r"[（(]\s*续\s*\d*\s*[）)]|续表")


@dataclass(frozen=True)
class Skipped:
    row: int  # 0-based
    reason: str  # 小计行, 合计行, 「其中」分项行, 重复的表头, 续表标题, 表尾说明
    label: str  # the row's own words, as shown in the report
    cells: tuple = ()  # the row as read (a 小计 row's figures are a check)


def skip_reason(row: list, header_texts: list[str]) -> tuple[str, str] | None:
    """(why, its words) when `row` is no record; ("", "") for a blank row; None for a record."""
    for cell in row[:4]:  # a row with a 统一社会信用代码 is a record, whatever its name says
        if isinstance(cell, str) and _CODE_LIKE.fullmatch(cell.strip().upper()):
            return None
    texts = [clean_text(cell) for cell in row]
    filled = [text for text in texts if text]
    if not filled:
        return "", ""
    first = [text.replace(" ", "") for text in filled[:4]]
    if any(_CODE_LIKE.fullmatch(text.upper()) for text in first):
        return None
    for text in first:
        if text.startswith(("合计", "总计")) or (
            len(text) <= 20 and text.endswith(("合计", "总计"))
        ):
            return TOTAL, text
        if text.startswith("小计") or (len(text) <= 20 and text.endswith("小计")):
            return SUBTOTAL, text
    if first[0].startswith("其中"):
        return "「其中」分项行", first[0]
    same = sum(1 for text, head in zip(texts, header_texts, strict=False) if text and text == head)
    # the header again: most of it, or (the lower row of a two-row header) every cell the row fills
    if (
        same >= max(2, len([head for head in header_texts if head]) // 2)
        or same == len(filled) >= 2
    ):
        return "重复的表头", filled[0]
    if len(filled) <= 2 and _CONTINUED.search("".join(filled)):
        return "续表标题", filled[0]
    if _NOTE_LINE.match(first[0]) or (len(filled) == 1 and first[0].startswith(_NOTE_WORDS)):
        return "表尾说明", filled[0]
    return None


def closer_look(header_cells: list) -> re.Pattern:
    """What makes a row worth a closer look (skip_reason), searched in its first four cells joined by
    NULs: a trigger word, or one of the header's first cells repeated (as written, or as read)."""
    names = {
        re.escape(text)
        for cell in header_cells[:4]
        for text in (str(cell).strip() if isinstance(cell, str) else "", clean_text(cell))
        if text
    }
    repeated = rf"|(?:^|\x00)\s*(?:{'|'.join(sorted(names))})\s*(?:\x00|$)" if names else ""
    return re.compile(TRIGGER.pattern + repeated)


def _may_not_be_a_record(row: list, closer: re.Pattern) -> bool:
    """Cheap first look (most rows are records): a row whose first cells are mostly empty, or that
    `closer` finds something in, is looked at closely."""
    first = row[0] if row else None
    if first.__class__ is str and len(first) == 18 and first.isalnum():
        return False  # the usual record: its 统一社会信用代码 first
    head = row[:4]
    if len(head) - head.count(None) - head.count("") < min(2, len(row)):
        return True
    return closer.search("\x00".join(cell for cell in head if cell.__class__ is str)) is not None


def split_records(
    rows: list[list], start: int, header_cells: list
) -> tuple[list[int], list[Skipped]]:
    """The 0-based rows from `start` on that are records, and those skipped (blank rows not listed)."""
    header_texts = [clean_text(cell) for cell in header_cells]
    closer = closer_look(header_cells)
    kept, skipped = [], []
    for index in range(start, len(rows)):
        row = rows[index]
        reason = skip_reason(row, header_texts) if _may_not_be_a_record(row, closer) else None
        if reason is None:
            kept.append(index)
        elif reason[0]:
            skipped.append(Skipped(index, *reason, tuple(row)))
    return kept, skipped


def skipped_note(skipped: list[Skipped], limit: int = 20) -> str | None:
    if not skipped:
        return None
    shown = "、".join(
        f"第{item.row + 1}行（{item.reason}"
        + (f"「{short(item.label)}」" if item.label else "")
        + "）"
        for item in skipped[:limit]
    )
    more = f" 等 {len(skipped)} 行" if len(skipped) > limit else ""
    return f"已跳过 {len(skipped)} 行不是企业记录的行，未导入：{shown}{more}"


def short(text: str, width: int = 20) -> str:
    """A long label as its start and end (a continued title keeps its （续1）)."""
    return text if len(text) <= width else f"{text[: width - 10]}…{text[-9:]}"


def fill_merged(
    rows: list[list], merged: list[tuple[int, int, int, int]], first_row: int, columns: set[int]
) -> list[tuple[int, int, int, object]]:
    """Fill each merged range below the header (rows from `first_row`) that covers a read column with
    its value, as Excel shows it: (r0, r1, col, value) of each range filled. A blank cell without a
    merge stays blank (and an error where the column is required)."""
    filled = []
    for r0, c0, r1, c1 in merged:
        if r0 < first_row or r1 <= r0:
            continue
        value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
        if value is None or value == "":
            continue
        for col in range(c0, c1 + 1):
            if col not in columns:
                continue
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                row = rows[r]
                if col >= len(row):
                    row.extend([None] * (col + 1 - len(row)))
                if row[col] is None or row[col] == "":
                    row[col] = value
            filled.append((r0, r1, col, value))
    return filled
