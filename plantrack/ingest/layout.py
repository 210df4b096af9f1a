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
# words that start a row that is no record; a firm whose name has one of them is only checked more
TRIGGER = re.compile(r"计|其中|续|说明|负责|填|日期|注|备|制表|审核|联系|来源")
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
    if not _may_not_be_a_record(row, header_texts):
        return None
    texts = [clean_text(cell) for cell in row]
    filled = [text for text in texts if text]
    if not filled:
        return "", ""
    first = [text.replace(" ", "") for text in filled[:4]]
    if any(_CODE_LIKE.fullmatch(text.upper()) for text in first):
        return None  # a row with a 统一社会信用代码 is a record, whatever its name says
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
    if same >= max(2, len([head for head in header_texts if head]) // 2):
        return "重复的表头", filled[0]
    if len(filled) <= 2 and _CONTINUED.search("".join(filled)):
        return "续表标题", filled[0]
    if _NOTE_LINE.match(first[0]) or (len(filled) == 1 and first[0].startswith(_NOTE_WORDS)):
        return "表尾说明", filled[0]
    return None


def _may_not_be_a_record(row: list, header_texts: list[str]) -> bool:
    """Cheap first look (most rows are records): a row whose first cells are mostly empty, hold one of
    the trigger words, or repeat the header's is looked at closely."""
    head = row[:4]
    if sum(1 for cell in head if cell is not None and cell != "") < min(2, len(row)):
        return True
    if TRIGGER.search("".join(cell for cell in head if isinstance(cell, str))):
        return True
    return any(
        isinstance(cell, str) and head_text and cell.strip() == head_text
        for cell, head_text in zip(head, header_texts, strict=False)
    )


def split_records(
    rows: list[list], start: int, header_texts: list[str]
) -> tuple[list[int], list[Skipped]]:
    """The 0-based rows from `start` on that are records, and those skipped (blank rows not listed)."""
    kept, skipped = [], []
    for index in range(start, len(rows)):
        reason = skip_reason(rows[index], header_texts)
        if reason is None:
            kept.append(index)
        elif reason[0]:
            skipped.append(Skipped(index, *reason, tuple(rows[index])))
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
