"""targets.toml: the plans, their targets and town quotas, the metric catalogue, the grading method.

Loading never raises on a bad file: it returns the problems (in Chinese, by plan and target) so the app can
show them. `load_config()` raises only when the file cannot be used at all.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from plantrack.model.quantities import GRADED
from plantrack.model.reference import STATUSES, THREE_FACTORIES, TOWN_NAMES
from plantrack.settings import QUERIES_DIR, targets_path

Direction = Literal["at_least", "at_most", "growth_at_least", "decline_at_least"]
Aggregate = Literal["level", "cumulative", "annual"]
ParamValue = str | int | float | bool | list[str]

DIRECTION_LABELS = {
    "at_least": "不低于",
    "at_most": "不高于",
    "growth_at_least": "增长不低于",
    "decline_at_least": "下降不低于",
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Metric(Strict):
    label: str
    unit: str = Field(min_length=1)
    kind: Literal["query", "reported"]
    # one year's figure: a "level" (stock at year end, ratio, rate, rank) or a "flow" (that year's amount);
    # for a query metric, of <column> (what other jurisdictions report). 新增 on a level = end − base.
    nature: Literal["level", "flow"]
    query: str | None = None  # the named query in queries/ that computes it (kind = "query")
    column: str | None = None  # the query's column holding the metric's value for a year
    new_column: str | None = None  # the yearly flow (new firms, …) for cumulative/annual targets
    population: str | None = None  # the column counting the firms it is about; 0 = 不适用 there
    growth_rate: bool = False  # the figure is a growth rate (增速): due in full every year
    params: dict[str, ParamValue] = Field(default_factory=dict)
    description: str = ""
    # plausible values: counts are whole numbers and not negative, a share is at most 100 %, a rank is
    # from 1; unset, they follow from the unit (UNIT_BOUNDS). An import rejects a figure outside them.
    minimum: float | None = None
    maximum: float | None = None
    integer: bool | None = None

    def bounds(self) -> Bounds:
        low, high, whole = UNIT_BOUNDS.get(self.unit, (None, None, False))
        return Bounds(
            low if self.minimum is None else self.minimum,
            high if self.maximum is None else self.maximum,
            whole if self.integer is None else self.integer,
        )


@dataclass(frozen=True)
class Bounds:
    minimum: float | None
    maximum: float | None
    integer: bool

    def problem(self, value: float, unit: str) -> str | None:
        """Why `value` cannot be a figure of this metric, in Chinese; None when it can."""
        if self.integer and not float(value).is_integer():
            return f"应为整数（{unit}），不能是 {value:g}"
        if self.minimum is not None and value < self.minimum:
            return f"不能小于 {self.minimum:g}{unit}"
        if self.maximum is not None and value > self.maximum:
            return f"不能大于 {self.maximum:g}{unit}"
        return None


# unit → (minimum, maximum, whole numbers): what a figure in that unit can be unless the metric says
# otherwise (a growth rate in % may be negative or above 100: only shares declare maximum = 100)
UNIT_BOUNDS: dict[str, tuple[float | None, float | None, bool]] = {
    **dict.fromkeys(("家", "个", "项", "台", "件"), (0, None, True)),  # counts
    "名": (1, None, True),  # a rank
    **dict.fromkeys(
        ("亩", "亿元", "万元", "万元/亩", "万元/人", "吨标准煤/万元", "比值"), (0, None, False)
    ),  # amounts and ratios
}


class Target(Strict):
    id: str
    metric: str
    params: dict[str, ParamValue] = Field(default_factory=dict)
    label: str
    target: float
    unit: str = Field(min_length=1)
    year: int
    direction: Direction
    aggregate: Aggregate = "level"
    base_year: int | None = None
    # a cumulative growth target compares the plan's running total with this earlier period's total
    # (e.g. 2021—2025 against 十三五 2016—2020): [first year, last year]
    base_period: tuple[int, int] | None = None
    clause: str = Field(min_length=1)
    quote: str = ""
    note: str = ""
    # 年内序时进度 by month from monthly data: linear (N/12) or seasonal (earlier years' monthly shares);
    # None: the preset, [status] in_year_pace
    pace: Literal["linear", "seasonal"] | None = None


class Quota(Strict):
    award: str
    town: str
    year: int
    count: int = Field(ge=0)


class QuotaTotal(Strict):
    """A total the plan's text or table states, to check the town cells against."""

    award: str
    year: int | None = None  # None: the whole period
    count: int = Field(ge=0)
    clause: str


class Plan(Strict):
    id: str
    title: str
    short: str
    jurisdiction: str
    doc_no: str
    start: int
    end: int
    role: Literal["own", "peer"] = (
        "own"  # 本区 (定海's own, tracked) or 对标 (another city's, compared)
    )
    sample: bool = False  # 示例: the invented example plan of the demo (data/examples/)
    source: str = ""
    issuer: str = ""  # 发文单位
    targets: list[Target] = Field(default_factory=list)
    quotas: list[Quota] = Field(default_factory=list)
    quota_totals: list[QuotaTotal] = Field(default_factory=list)


class GradingIndicator(Strict):
    grp: Literal["规上", "规下"]
    indicator: str  # a column the catalogue of quantities marks graded (quantities.GRADED)
    label: str
    unit: str = Field(min_length=1)
    benchmark: float = Field(gt=0)
    weight: float = Field(ge=0)

    @field_validator("indicator")
    @classmethod
    def _graded(cls, indicator: str) -> str:
        if indicator not in GRADED:
            raise ValueError(f"{indicator} 不是可评价的指标（可用：{'、'.join(GRADED)}）")
        return indicator


class Grading(Strict):
    name: str
    is_default: bool
    source: str
    cap: float = Field(gt=0)
    shares: dict[Literal["A", "B", "C", "D"], float]
    min_land_below_scale: float = Field(ge=0)
    min_age_years: int = Field(ge=0)
    indicators: list[GradingIndicator]

    def fingerprint(self) -> str:
        """Names this method: stored grades are stamped with it (plantrack.store.derived)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    def query_params(self) -> dict:
        cumulative = 0.0
        cut = {}
        for grade in ("A", "B", "C"):
            cumulative += self.shares[grade]
            cut[f"share_{grade.lower()}"] = cumulative
        return {
            "indicators": [
                {
                    "grp": item.grp,
                    "indicator": item.indicator,
                    "benchmark": item.benchmark,
                    "weight": item.weight,
                }
                for item in self.indicators
            ],
            "cap": self.cap,
            "min_land_below_scale": self.min_land_below_scale,
            "min_age_years": self.min_age_years,
            **cut,
        }


class StatusRules(Strict):
    lag_points: float = Field(gt=0)  # 滞后 within this many percentage points below 序时进度
    in_year_pace: Literal["linear", "seasonal"] = "seasonal"  # 年内序时进度's preset (Target.pace)
    labels: dict[str, str]
    colors: dict[str, str]


class Config(Strict):
    district: str
    metrics: dict[str, Metric]
    plans: list[Plan]
    grading: Grading
    status: StatusRules
    low_efficiency_lines: list[LowEfficiencyLine] = Field(default_factory=list)

    @property
    def low_efficiency_line(self) -> tuple[float, bool]:
        """The 低效 line reports use: the first of `low_efficiency_lines` (亩均税收 万元/亩, whether it
        applies to park firms only), or 5 万元/亩 for every firm (seeds/002, 2021—2023)."""
        if not self.low_efficiency_lines:
            return 5.0, False
        first = self.low_efficiency_lines[0]
        return first.line, first.park_only

    def plan(self, plan_id: str) -> Plan:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        raise KeyError(f"没有编号为 {plan_id} 的规划")

    def plans_in_view(self, plan_id: str | None = None, town: str | None = None) -> list[Plan]:
        """One plan (`plan_id`) or all; a town's view holds only the district's own plans (a peer
        city's targets are never a town's)."""
        return [
            plan
            for plan in self.plans
            if (plan_id is None or plan.id == plan_id)
            and (town is None or plan.jurisdiction == self.district)
        ]


class LowEfficiencyLine(Strict):
    label: str
    line: float
    park_only: bool = False
    source: str


Config.model_rebuild()


@dataclass
class Problems:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # 数据口径提示: shown, never fatal


@dataclass
class Loaded:
    config: Config | None
    problems: Problems


FIELD_NAMES = {
    "id": "编号",
    "metric": "指标",
    "label": "名称",
    "target": "目标值",
    "unit": "单位",
    "year": "年度",
    "direction": "方向",
    "aggregate": "口径",
    "clause": "条款",
    "count": "数量",
    "town": "镇街",
    "award": "类别",
}


def _where(raw: dict, loc: tuple) -> str:
    """A Chinese description of where in targets.toml a pydantic error points."""
    parts = []
    node = raw
    for key in loc:
        if isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
            label = (
                node.get("id") or node.get("town") or node.get("name")
                if isinstance(node, dict)
                else None
            )
            parts.append(f"第{key + 1}项" + (f"（{label}）" if label else ""))
        elif isinstance(node, dict) and key in node:
            node = node[key]
            parts.append(
                {"plans": "规划", "targets": "目标", "quotas": "任务分解"}.get(
                    str(key), FIELD_NAMES.get(str(key), str(key))
                )
            )
        else:
            parts.append(FIELD_NAMES.get(str(key), str(key)))
    return " › ".join(parts)


PYDANTIC_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段",
    "string_too_short": "不能为空",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "literal_error": "取值不在允许范围内",
    "greater_than": "应大于0",
    "greater_than_equal": "不能为负数",
}


def validation_problem(
    error: ErrorDetails, source: str, where: str, messages: dict[str, str] = PYDANTIC_MESSAGES
) -> str:
    """One pydantic error as the user reads it: the file, where in it, why, and the value given."""
    reason = messages.get(error["type"], error["msg"])
    value = error.get("input")
    shown = (
        "" if isinstance(value, dict | list) or error["type"] == "missing" else f"（值：{value!r}）"
    )
    return f"{source}：{where}：{reason}{shown}"


def parse(raw: dict, source: str = "targets.toml") -> Loaded:
    problems = Problems()
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            problems.errors.append(validation_problem(error, source, _where(raw, error["loc"])))
        return Loaded(None, problems)
    check(config, problems)
    return Loaded(config if not problems.errors else None, problems)


def load(path: Path | None = None) -> Loaded:
    path = path or targets_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Loaded(None, Problems(errors=[f"找不到规划目标文件 {path}"]))
    except tomllib.TOMLDecodeError as exc:
        return Loaded(None, Problems(errors=[f"{path.name} 不是合法的 TOML：{exc}"]))
    return parse(raw, path.name)


def load_config(path: Path | None = None) -> Config:
    loaded = load(path)
    if loaded.config is None:
        raise ValueError("规划目标文件有错误：\n" + "\n".join(loaded.problems.errors))
    return loaded.config


def indicator_key(target: Target) -> str:
    """The indicators-table key of a target's metric: parameterised ones carry their parameters,
    e.g. award_count[awards=品字标] — how other jurisdictions report what 定海 computes."""
    if not target.params:
        return target.metric
    inside = ",".join(
        f"{key}={'|'.join(value) if isinstance(value, list) else value}"
        for key, value in sorted(target.params.items())
    )
    return f"{target.metric}[{inside}]"


def query_parameters(name: str) -> set[str]:
    """The $named parameters a query file uses."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        return set()
    return set(re.findall(r"\$([a-z_][a-z0-9_]*)", path.read_text(encoding="utf-8")))


def check(config: Config, problems: Problems) -> None:
    """The rules pydantic cannot express: references, ranges, and the plans against themselves."""
    err = problems.errors.append
    for status in STATUSES:
        if status not in config.status.labels or status not in config.status.colors:
            err(f"状态规则 [status]：缺少状态 {status} 的名称（labels）或颜色（colors）")
    for metric_id, metric in config.metrics.items():
        if metric.kind != "query":
            continue
        if not metric.query or not metric.column:
            err(f"指标目录 › {metric_id}：计算类指标须写明 query（queries/ 中的查询名）和 column")
        elif not (QUERIES_DIR / f"{metric.query}.sql").is_file():
            err(f"指标目录 › {metric_id}：找不到查询文件 queries/{metric.query}.sql")
    pairs = Counter((item.grp, item.indicator) for item in config.grading.indicators)
    for (grp, indicator), count in pairs.items():
        if count > 1:
            err(
                f"亩均评价办法 › {grp} {indicator}：同一组指标重复（出现{count}次），每组每项指标只能有一行"
            )
    plan_ids = Counter(plan.id for plan in config.plans)
    for plan_id, count in plan_ids.items():
        if count > 1:
            err(f"规划编号重复：{plan_id}（出现{count}次）")
    for plan in config.plans:
        where = f"规划「{plan.short}」({plan.id})"
        if plan.start > plan.end:
            err(f"{where}：起始年 {plan.start} 晚于结束年 {plan.end}")
        for target_id, count in Counter(t.id for t in plan.targets).items():
            if count > 1:
                err(f"{where} › 目标 {target_id}：编号重复（出现{count}次）")
        for target in plan.targets:
            at = f"{where} › 目标 {target.id}「{target.label}」"
            named = config.metrics.get(target.metric)
            if named is None:
                err(f"{at}：未知指标 {target.metric}（须先在 [metrics] 目录中定义）")
            elif named.kind == "query" and named.query:
                declared = query_parameters(named.query)
                unknown = sorted((set(named.params) | set(target.params)) - declared)
                if declared and unknown:
                    err(
                        f"{at}：参数 {', '.join(unknown)} 不是查询 {named.query} 的参数（可用：{', '.join(sorted(declared))}）"
                    )
            elif target.params and named.kind == "reported":
                err(f"{at}：上报类指标不接受 params")
            if not plan.start - 1 <= target.year <= plan.end:
                err(f"{at}：年度 {target.year} 不在规划期 {plan.start}—{plan.end} 内")
            if target.direction == "decline_at_least" and target.base_year is None:
                err(f"{at}：“下降”类目标须写明基期年 base_year")
            if target.base_year is not None and target.base_year >= target.year:
                err(f"{at}：基期年 {target.base_year} 应早于目标年 {target.year}")
            if target.base_period is not None:
                first, last = target.base_period
                if target.direction != "growth_at_least" or target.aggregate != "cumulative":
                    err(
                        f"{at}：基期段 base_period 只用于累计增长目标（growth_at_least + cumulative）"
                    )
                if not first <= last < plan.start:
                    err(f"{at}：基期段 {first}—{last} 应在规划起始年 {plan.start} 之前")
        for quota in plan.quotas:
            at = f"{where} › 任务分解 {quota.town} {quota.award} {quota.year}年"
            if quota.town not in TOWN_NAMES:
                err(f"{at}：未知镇街 {quota.town}")
            if quota.award not in THREE_FACTORIES:
                err(f"{at}：未知类别 {quota.award}")
            if not plan.start <= quota.year <= plan.end:
                err(f"{at}：年度不在规划期 {plan.start}—{plan.end} 内")
        check_quota_totals(plan, problems)


def check_quota_totals(plan: Plan, problems: Problems) -> None:
    """Town cells against the totals the plan states. Disagreement is a warning: the source stands."""
    cells: dict[tuple[str, int | None], int] = defaultdict(int)
    for quota in plan.quotas:
        cells[(quota.award, quota.year)] += quota.count
        cells[(quota.award, None)] += quota.count
    for total in plan.quota_totals:
        summed = cells.get((total.award, total.year), 0)
        if summed != total.count:
            period = f"{total.year}年" if total.year else f"{plan.start}—{plan.end}年合计"
            problems.warnings.append(
                f"规划「{plan.short}」{total.award}{period}：各镇街任务相加为 {summed} 个，"
                f"而原文（{total.clause}）为 {total.count} 个，相差 {summed - total.count:+d}。"
                "看板按镇街分解数计算镇街完成率，按原文总数计算全区完成率。"
            )
