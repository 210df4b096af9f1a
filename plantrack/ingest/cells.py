"""One cell at a time: the choices, aliases and checks a bureau file's values must pass (the
Validator), shared by every column of every file kind."""

from __future__ import annotations

import datetime as dt
import re

from plantrack.ingest import creditcode
from plantrack.ingest.parsing import (
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

    def cell(self, column: Column, raw: object, factor: float):
        kind = column.type
        if isinstance(raw, str) and len(raw) > MAX_CELL:
            raise CellError(f"单元格内容过长（{len(raw)}字）")
        if kind in ("number", "integer"):
            number = parse_number(raw)
            if number is None:
                if column.required:
                    raise CellError("必填，不能为空")
                return None
            number *= factor
            if column.minimum is not None and number < column.minimum:
                raise CellError(
                    "不能为负数" if column.minimum == 0 else f"不能小于{column.minimum:g}"
                )
            if column.maximum is not None and number > column.maximum:
                raise CellError(f"超过上限{column.maximum:g}{column.unit or ''}")
            return int(round(number)) if kind == "integer" else number
        text = clean_text(raw)
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
            return text
        if kind == "year":
            try:
                number = parse_number(raw)
            except CellError:
                match = re.fullmatch(r"(\d{4})\s*年(度)?", text)
                if not match:
                    raise
                number = float(match.group(1))
            if (
                number is None
                or not number.is_integer()
                or not 2000 <= number <= self.this_year + 1
            ):
                raise CellError(f"年度应为2000—{self.this_year + 1}之间的整数")
            return int(number)
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
            return _choice(text, TOWN_NAMES, "镇街")
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
