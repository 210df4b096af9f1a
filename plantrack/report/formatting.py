"""Number formatting, in one place: 万元/亿元/%, sensible decimals, the unit always written.

Rounding never makes a lagging target look met: beside a target it did not reach, an actual is rounded
away from the target (down for 不低于, up for 不高于) and a 完成率 below 100 % never shows as 100 %."""

from __future__ import annotations

import math
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

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
    "件": 0,
    "台": 0,
    "名": 0,
    "个百分点": 1,
    "个月": 0,
    "人": 0,
    "吨标准煤/万元": 3,
    "万元/吨标准煤": 2,
}
ROUNDING = {None: ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def bare(
    value: float | None, unit: str, decimals: int | None = None, toward: str | None = None
) -> str:
    """The number alone, at the unit's precision (`12.35`, `4`, `1,234`); `—` for missing.
    `toward`: "down" or "up" to round that way instead of to the nearest."""
    if is_missing(value):
        return "—"
    places = DECIMALS.get(unit, 2) if decimals is None else decimals
    step = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUNDING[toward])
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0"
    return f"{rounded:,.{places}f}"


def number(
    value: float | None, unit: str, decimals: int | None = None, toward: str | None = None
) -> str:
    """`12.3 万元/亩`, `45.6%`, `3 家`; `—` for missing. 万元 above 1亿 is shown in 亿元."""
    if is_missing(value):
        return "—"
    if unit == "万元" and abs(value) >= 10000:
        return number(value / 10000, "亿元", decimals, toward)
    text = bare(value, unit, decimals, toward)
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def actual(value: float | None, unit: str, direction: str, met: bool) -> str:
    """An actual shown beside its target: when the target is not met, rounded away from it."""
    toward = None if met else ("up" if direction == "at_most" else "down")
    return number(value, unit, toward=toward)


def warning_value(value: float | str | None, unit: str) -> str:
    """A 预警's value or threshold: a grade as `D档`, a number with its unit."""
    if isinstance(value, str):
        return f"{value}档"
    if unit == "名" and not is_missing(value):
        return f"第{bare(value, unit)}名"
    return number(value, unit)


def percent(value: float | None, decimals: int = 1) -> str:
    return number(value, "%", decimals)


def share(value: float | None, decimals: int = 0, met: bool | None = None) -> str:
    """A share (1.0 = 100 %) as a percentage: 完成率, 序时进度. With `met=False` (a 完成率 of a target
    not met) rounded down, so 99.6 % shows as 99 %, never 100 %."""
    if is_missing(value):
        return "—"
    return bare(value * 100, "%", decimals, toward="down" if met is False else None) + "%"


def delta(value: float | None, unit: str) -> str | None:
    """A change from the year before: a ratio in % changes in 百分点; None when there is no change to show."""
    if is_missing(value):
        return None
    return number(value, "百分点" if unit == "%" else unit)


def d3(unit: str) -> str:
    """The unit's precision as a plotly (d3) number format, for hover labels."""
    return f",.{DECIMALS.get(unit, 2)}f"


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
