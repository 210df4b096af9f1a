"""Number formatting, in one place: 万元/亿元/%, sensible decimals, the unit always written."""

from __future__ import annotations

import math
import re

import pandas as pd

DECIMALS = {
    "万元/亩": 2,
    "万元/人": 2,
    "%": 1,
    "百分点": 1,
    "亿元": 2,
    "万元": 0,
    "亩": 1,
    "家": 0,
    "个": 0,
    "项": 0,
    "人": 0,
    "吨标准煤/万元": 3,
    "万元/吨标准煤": 2,
}


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def number(value: float | None, unit: str, decimals: int | None = None) -> str:
    """`12.3 万元/亩`, `45.6%`, `3 家`; `—` for missing. 万元 above 1亿 is shown in 亿元."""
    if is_missing(value):
        return "—"
    if unit == "万元" and abs(value) >= 10000:
        return number(value / 10000, "亿元", decimals)
    places = DECIMALS.get(unit, 2) if decimals is None else decimals
    text = f"{value:,.{places}f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def percent(value: float | None, decimals: int = 1) -> str:
    return number(value, "%", decimals)


def share(value: float | None, decimals: int = 0) -> str:
    """A share (1.0 = 100 %) as a percentage: 完成率, 序时进度."""
    return "—" if is_missing(value) else f"{value * 100:,.{decimals}f}%"


def axis_title(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit else label


_MARKDOWN_MARKS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&^])")
_LINK_STARTS = re.compile(r"(?i)(https?(?=:)|www(?=\.)|ftp(?=:)|@)")


def plain(value: object) -> str:
    """Text from outside (a URL, a file, the database) made safe to put into Markdown: shown as it is,
    never as a link, image, HTML, formatting, colour or formula. Every Markdown mark is escaped, lines
    are joined, and a word joiner (invisible) breaks what a renderer would turn into a link by itself
    (http://…, www.…, a@b.c)."""
    text = _SPACES_AND_BREAKS.sub(" ", str(value))
    text = _LINK_STARTS.sub("\\1\u2060", text)
    return _MARKDOWN_MARKS.sub(r"\\\1", text)


_SPACES_AND_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")
