"""Reading the bureau's files: cells to numbers, headers to canonical columns, units to the warehouse's.

Pure functions, property-tested (tests/test_parsing.py)."""

from __future__ import annotations

import re
import unicodedata

MISSING = {
    "",
    "—",
    "——",
    "-",
    "--",
    "－",
    "/",
    "／",
    "无",
    "空",
    "n/a",
    "N/A",
    "NA",
    "null",
    "NULL",
    "None",
    "…",
    "...",
    "－－",
}
EXCEL_ERRORS = {
    "#DIV/0!",
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}


class CellError(ValueError):
    """A cell that cannot be read as the column needs; the message is the Chinese reason."""


_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Full-width to half-width (NFKC), no surrounding or inner line breaks, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    elif text.isalnum():
        return text
    return _SPACES.sub(" ", text).strip()


def as_written(value: object) -> str:
    """A cell as the user sees it in Excel, only trimmed (no normalisation): for messages, and for
    free text kept as written (a title's full-width brackets stay)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[, '])\d{3}((?P=sep)\d{3})*(\.\d+)?")


def _finite(number: float) -> float:
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("数值超出可表示的范围（不是有限的数）")
    return number


def parse_number(value: object) -> float | None:
    """A number from a cell: numbers as they are; text with thousands separators (groups of three
    digits only: "12，5" typed with the IME comma is not 125), full-width digits; None for the usual
    'missing' marks. Every number is finite. Raises CellError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("应为数字，不是是/否")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("不是有效数字")
        return float(value)
    raw = str(value).strip()
    if _PLAIN.fullmatch(raw):  # the common case: a plain number written as text
        return _finite(float(raw))
    if raw in EXCEL_ERRORS:
        raise CellError(f"公式错误 {raw}")
    text = clean_text(raw)
    if text in MISSING:
        return None
    if text in EXCEL_ERRORS:
        raise CellError(f"公式错误 {text}")
    compact = text.strip().lstrip("'")  # Excel's mark for a number stored as text
    negative = compact.startswith("(") and compact.endswith(")")
    if negative:
        compact = compact[1:-1].strip()
    if _PLAIN.fullmatch(compact):
        number = _finite(float(compact))
    elif _GROUPED.fullmatch(compact):
        number = _finite(float(re.sub(r"[, ']", "", compact)))
    elif "_" in compact and _PLAIN.fullmatch(compact.replace("_", "")):
        raise CellError("数字中不能有下划线，请删去")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+", compact):
        raise CellError("像是以逗号作小数点、以点分隔千位的写法，请改为如 1234.5 的写法")
    elif re.fullmatch(r"[+-]?[\d, ']*\d[\d.]*", compact) and re.search(r"\d[, ']\d", compact):
        raise CellError(
            "逗号（或空格）位置不对：千位分隔符应每三位一组；若是小数请用小数点，如 12.5"
        )
    else:
        raise CellError("不是数字")
    return -number if negative else number


# unit written in a header → (warehouse unit, factor to multiply by)
UNIT_CONVERSIONS = {
    "元": ("万元", 1e-4),
    "千元": ("万元", 0.1),
    "万元": ("万元", 1.0),
    "亿元": ("万元", 1e4),
    "亩": ("亩", 1.0),
    "平方米": ("亩", 1 / 666.6667),
    "m2": ("亩", 1 / 666.6667),
    "m²": ("亩", 1 / 666.6667),
    "㎡": ("亩", 1 / 666.6667),
    "公顷": ("亩", 15.0),
    "吨标准煤": ("吨标准煤", 1.0),
    "吨标煤": ("吨标准煤", 1.0),
    "tce": ("吨标准煤", 1.0),
    "万吨标准煤": ("吨标准煤", 1e4),
    "吨": ("吨", 1.0),
    "千克": ("吨", 1e-3),
    "kg": ("吨", 1e-3),
    "万千瓦时": ("万千瓦时", 1.0),
    "千瓦时": ("万千瓦时", 1e-4),
    "kwh": ("万千瓦时", 1e-4),
    "度": ("万千瓦时", 1e-4),
    "万度": ("万千瓦时", 1.0),
    "人": ("人", 1.0),
    "分": ("分", 1.0),
}


def split_header(header: object) -> tuple[str, str | None]:
    """`用地面积（平方米）` → ('用地面积', '平方米'); spaces, '*' marks and bracket widths ignored."""
    text = clean_text(header).replace("*", "").replace(" ", "")
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    match = re.fullmatch(r"(.*?)\(([^()]*)\)", text)
    if match and match.group(1):
        return match.group(1), match.group(2).lower() if match.group(2).isascii() else match.group(
            2
        )
    return text, None


def conversion(unit: str | None, expected: str) -> float:
    """The factor from a header's unit to the warehouse's; raises CellError for a unit that does not fit."""
    if unit is None or unit == expected:
        return 1.0
    known = UNIT_CONVERSIONS.get(unit)
    if known is None or known[0] != expected:
        raise CellError(f"单位“{unit}”无法换算为{expected}")
    return known[1]


def utf8_read_as_gbk(text: str) -> str | None:
    """The Chinese text that `text` was, when it is UTF-8 bytes read as GBK ("瀹氭捣" → "定海"); else
    None. Real GBK text is almost never also valid UTF-8 of Chinese characters."""
    try:
        original = text.encode("gb18030").decode("utf-8")
    except UnicodeError:
        return None
    chinese = sum("\u4e00" <= char <= "\u9fff" for char in original)
    return (
        original if original != text and chinese and chinese * 3 >= len(original.strip()) else None
    )
