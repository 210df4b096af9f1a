"""One cell at a time: the choices, aliases and checks a bureau file's values must pass (the
Validator), shared by every column of every file kind."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict

from plantrack.ingest import creditcode
from plantrack.ingest.parsing import (
    UNIT_CONVERSIONS,
    CellError,
    clean_text,
    parse_number,
)
from plantrack.ingest.read import (
    MAX_CELL,
)
from plantrack.model.kinds import Column
from plantrack.model.reference import (
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
from plantrack.model.targets import Config

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


_TOWN_SUFFIXES = ("街道", "街", "镇", "乡", "社区", "办事处")


def _town_core(name: str) -> str:
    core = name.removeprefix("定海区").removeprefix("定海")
    for suffix in _TOWN_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            return core[: -len(suffix)]
    return core


def town_suggestion(text: str) -> str | None:
    """The 镇街 a name that does not match most likely means: the same place under another suffix
    (「盐仓镇」 for 盐仓街道), or the closest spelling."""
    core = _town_core(text)
    same = [name for name in TOWN_NAMES if _town_core(name) == core and core]
    if len(same) == 1:
        return same[0]
    close = difflib.get_close_matches(core, [_town_core(name) for name in TOWN_NAMES], 1, 0.5)
    if close:
        return next(name for name in TOWN_NAMES if _town_core(name) == close[0])
    return None


def _unwrapped(text: str) -> str:
    """A value as Excel users force text: ="0571…" (a formula of a text), or a leading apostrophe."""
    quoted = re.fullmatch(r'=\s*"(.*)"', text)
    if quoted:
        return quoted.group(1).strip()
    return text[1:].strip() if text.startswith(("'", "‘", "’")) else text


# "2024年3月", "2024年3月5日", "2024.03", "2024/6/20", "2024-06": the year is not in doubt
_YEAR_IN_DATE = re.compile(
    r"(?P<year>\d{4})\s*(?:年\s*(?P<m1>\d{1,2})\s*月(?:\s*(?P<d1>\d{1,2})\s*日)?"
    r"|[./-](?P<m2>\d{1,2})(?:[./-](?P<d2>\d{1,2}))?)"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_AMOUNT = re.compile(r"(?P<number>[+-]?[\d,，.\s]*\d)\s*(?P<unit>亿元|亿|万元|万|千元|元)")


class Validator:
    def __init__(self, config: Config, existing_codes: set[str]):
        self.config = config
        self.existing_codes = existing_codes
        jurisdictions = {config.district} | {plan.jurisdiction for plan in config.plans}
        self.jurisdictions = sorted(jurisdictions)
        self.metric_ids = set(config.metrics)
        # names as the cells are read (NFKC: a name's full-width brackets read as half-width)
        self.metric_labels = {
            clean_text(metric.label): key for key, metric in config.metrics.items()
        }
        self.this_year = dt.date.today().year
        # what was read other than as written, for the report: (column, how) → examples
        self.readings: dict[tuple[str, str], list[str]] = defaultdict(list)

    def _read_as(self, column: Column, how: str, raw: object) -> None:
        examples = self.readings[(column.name, how)]
        if len(examples) < 3:
            examples.append(str(raw).strip())

    def notes(self) -> list[str]:
        """What was read other than as written, one line per column and way, with examples."""
        return [
            f"「{column}」列{how}（如「{'」「'.join(examples)}」）"
            for (column, how), examples in self.readings.items()
        ]

    def cell(self, column: Column, raw: object, factor: float):
        kind = column.type
        if isinstance(raw, str) and len(raw) > MAX_CELL:
            raise CellError(f"单元格内容过长（{len(raw)}字）")
        if kind in ("number", "integer"):
            number = self._number(column, raw, factor)
            if number is None:
                if column.required:
                    raise CellError("必填，不能为空")
                return None
            if column.minimum is not None and number < column.minimum:
                raise CellError(
                    "不能为负数" if column.minimum == 0 else f"不能小于{column.minimum:g}"
                )
            if column.maximum is not None and number > column.maximum:
                raise CellError(f"超过上限{column.maximum:g}{column.unit or ''}")
            return int(round(number)) if kind == "integer" else number
        if kind == "year" and isinstance(raw, dt.date):
            return self._year(column, raw.year, raw)
        if kind == "year" and isinstance(raw, int | float) and not isinstance(raw, bool):
            return self._year_of_number(column, float(raw), raw)
        text = _unwrapped(clean_text(raw))
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
            if column.field == "name" and re.fullmatch(r"[\d\s.,+%-]+", text):
                raise CellError(
                    f"{column.name}不能是纯数字（若单元格是公式，它的结果是数字），请填入名称"
                )
            return text
        if kind == "year":
            return self._year_of_text(column, text)
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
            suggestion = town_suggestion(text)
            ask = (
                f"「{text}」是否指 {suggestion}？" if suggestion else f"「{text}」不是已知的镇街。"
            )
            raise CellError(f"{ask}镇街应为：{'、'.join(TOWN_NAMES)}")
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

    def _number(self, column: Column, raw: object, factor: float) -> float | None:
        """A number cell in the column's unit: as written × the header's unit factor; "68.5%" (a
        percentage, as shown) in a column of % or without a unit; "1.58亿" or "1,580万" (a unit in the
        cell, instead of the header's) where that unit converts to the column's."""
        try:
            number = parse_number(_unwrapped(raw) if isinstance(raw, str) else raw)
            return None if number is None else number * factor
        except CellError:
            if not isinstance(raw, str):
                raise
            text = _unwrapped(clean_text(raw))
            if text.endswith("%"):
                if column.unit not in (None, "%"):
                    raise CellError(f"是百分数，而本列单位是{column.unit}") from None
                number = parse_number(text[:-1])
                if number is None:
                    raise
                self._read_as(column, "写成百分数，已按所示读入（不除以 100）", raw)
                return number
            amount = _AMOUNT.fullmatch(text)
            if amount is None:
                raise
            unit = amount.group("unit")
            unit = unit + "元" if unit in ("亿", "万") else unit
            known = UNIT_CONVERSIONS.get(unit)
            if known is None or known[0] != column.unit:
                raise CellError(f"单元格中写明的单位“{unit}”无法换算为{column.unit}") from None
            number = parse_number(amount.group("number").replace("，", ",").replace(" ", ""))
            if number is None:
                raise
            number *= known[1]
            self._read_as(column, f"单元格中写有单位，已换算为{column.unit}", raw)
            return number

    def _year(self, column: Column, year: int, raw: object) -> int:
        if not 2000 <= year <= self.this_year + 1:
            raise CellError(f"年度应为2000—{self.this_year + 1}之间的整数")
        if raw is not None:
            self._read_as(column, "写成日期，已取其年份", raw)
        return year

    def _year_of_text(self, column: Column, text: str) -> int:
        """A year as written: 2024, "2024年(度)", a date whose year is plain (2024年3月, 2024.03,
        2024/6/20), or an Excel date serial (a date cell that lost its format)."""
        written = re.fullmatch(r"(\d{4})\s*年(度)?", text)
        if written:
            return self._year(column, int(written.group(1)), None)
        date = _YEAR_IN_DATE.fullmatch(text)
        if date:
            month = int(date.group("m1") or date.group("m2"))
            day = int(date.group("d1") or date.group("d2") or 1)
            if 1 <= month <= 12 and 1 <= day <= 31:
                return self._year(column, int(date.group("year")), text)
        return self._year_of_number(column, parse_number(text), text)

    def _year_of_number(self, column: Column, number: float | None, raw: object) -> int:
        last_serial = (dt.date(self.this_year + 1, 12, 31) - _EXCEL_EPOCH).days
        if number is not None and number.is_integer() and 36526 <= number <= last_serial:
            year = (_EXCEL_EPOCH + dt.timedelta(days=int(number))).year
            self._read_as(column, "是 Excel 日期序号，已按日期取其年份", raw)
            return self._year(column, year, None)
        if number is None or not number.is_integer():
            raise CellError(f"年度应为2000—{self.this_year + 1}之间的整数")
        return self._year(column, int(number), None)
