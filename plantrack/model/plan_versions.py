"""Plan versions. A seeded plan of targets.toml is version 1 of its plan; every plan published from the
Excel template, and every revision of any plan, is a stored version (read by plantrack.store.plans).

A version is in force from its 生效年度 until a later version's: the plans as of a year are each plan in
the version in force for that year. The catalogue is targets.toml's metrics plus the reported
indicators that published versions declare.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from plantrack.model.plan_sheets import AGGREGATE_LABELS, NATURE_LABELS, ROLE_LABELS
from plantrack.model.targets import DIRECTION_LABELS, Config, Metric, Plan


@dataclass(frozen=True)
class PlanVersion:
    plan: Plan
    version: int
    effective_year: int
    metrics: dict[str, Metric] = field(default_factory=dict)  # reported indicators it declares
    seeded: bool = False  # version 1 of a plan of targets.toml
    import_id: int | None = None  # its entry in the ledger (imports)
    published_at: dt.datetime | None = None
    published_by: str = ""
    file_name: str = ""
    reason: str = ""  # 调整原因
    undone: bool = False

    @property
    def plan_id(self) -> str:
        return self.plan.id

    def describe(self) -> str:
        """第2版（2025年起生效，2025-03-01 发布）"""
        when = (
            "随系统预置"
            if self.seeded
            else f"{self.published_at:%Y-%m-%d} 发布"
            if self.published_at
            else "已发布"
        )
        return f"第{self.version}版（{self.effective_year}年起生效，{when}）"


def seeded(plan: Plan) -> PlanVersion:
    return PlanVersion(plan=plan, version=1, effective_year=plan.start, seeded=True)


def histories(config: Config, stored: list[PlanVersion]) -> dict[str, list[PlanVersion]]:
    """Every plan's versions, oldest first: a seeded plan's version 1, then the stored ones in the
    order they were published. Seeded plans come first, in targets.toml's order."""
    found: dict[str, list[PlanVersion]] = {plan.id: [seeded(plan)] for plan in config.plans}
    for version in sorted(stored, key=lambda v: (v.import_id or 0, v.version)):
        found.setdefault(version.plan_id, []).append(version)
    return found


def active(versions: list[PlanVersion]) -> list[PlanVersion]:
    return [version for version in versions if not version.undone]


def in_force(versions: list[PlanVersion], year: int | None = None) -> PlanVersion | None:
    """The version in force for `year` (None: the latest, 现行): the latest one effective by then; before
    the first one's year, the first one (a plan is evaluated on its first version until revised)."""
    live = active(versions)
    if not live:
        return None
    if year is None:
        return live[-1]
    effective = [version for version in live if version.effective_year <= year]
    return effective[-1] if effective else live[0]


def catalogue(config: Config, stored: list[PlanVersion]) -> dict[str, Metric]:
    """targets.toml's metrics, plus the reported indicators declared by versions still in effect."""
    metrics = dict(config.metrics)
    for version in sorted(stored, key=lambda v: v.import_id or 0):
        if not version.undone:
            metrics.update(version.metrics)
    return metrics


def as_of(
    config: Config,
    stored: list[PlanVersion],
    year: int | None = None,
    replace: PlanVersion | None = None,
) -> Config:
    """The config with every plan in its version in force for `year` (None: the latest) and the
    catalogue extended. `replace`: a candidate version that stands for its plan (the preview)."""
    if not stored and replace is None:
        return config
    plans = []
    found = histories(config, stored)
    if replace is not None and replace.plan_id not in found:
        found[replace.plan_id] = []
    for plan_id, versions in found.items():
        if replace is not None and plan_id == replace.plan_id:
            plans.append(replace.plan)
            continue
        chosen = in_force(versions, year)
        if chosen is None:
            continue
        if year is not None and not chosen.seeded and chosen.effective_year > year:
            continue  # a published plan shows from its first version's 生效年度 (seeded ones: always)
        plans.append(chosen.plan)
    metrics = catalogue(config, stored)
    if replace is not None:
        metrics.update(replace.metrics)
    return config.model_copy(update={"plans": plans, "metrics": metrics})


@dataclass(frozen=True)
class Change:
    part: str  # 规划 | 目标 | 镇街任务 | 新增指标
    item: str  # what changed: 目标 mu-tax「规上工业亩均税收」
    field: str  # which field: 目标值
    before: str
    after: str

    def text(self) -> str:
        return f"{self.part} › {self.item} › {self.field}：{self.before} → {self.after}"


PLAN_FIELD_LABELS = {
    "title": "规划名称",
    "short": "简称",
    "doc_no": "文号",
    "issuer": "发文单位",
    "start": "起始年",
    "end": "结束年",
    "jurisdiction": "地区",
    "role": "规划类型",
    "source": "来源",
}
TARGET_FIELD_LABELS = {
    "label": "名称",
    "metric": "指标",
    "params": "参数",
    "target": "目标值",
    "unit": "单位",
    "year": "年度",
    "direction": "方向",
    "aggregate": "口径",
    "base_year": "基期年",
    "clause": "条款",
    "quote": "原文",
    "note": "备注",
}
METRIC_FIELD_LABELS = {
    "label": "指标名称",
    "unit": "单位",
    "nature": "性质",
    "minimum": "下限",
    "maximum": "上限",
    "description": "含义",
}
ABSENT = "（无）"


def shown(value: object, key: str = "") -> str:
    """A field's value as the template shows it."""
    if value is None or value == "" or value == {}:
        return ABSENT
    labels = {
        "direction": DIRECTION_LABELS,
        "aggregate": AGGREGATE_LABELS,
        "role": ROLE_LABELS,
        "nature": NATURE_LABELS,
    }.get(key)
    if labels:
        return labels.get(str(value), str(value))
    if key == "params" and isinstance(value, dict):
        return params_text(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def params_text(params: dict) -> str:
    """Target parameters written as the template's 参数 cell: TOML, e.g. awards = ["洁美工厂"]."""
    parts = []
    for key, value in params.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list):
            text = "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
        elif isinstance(value, str):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = repr(value)
        parts.append(f"{key} = {text}")
    return ", ".join(parts)


def changes(old: PlanVersion | None, new: PlanVersion) -> list[Change]:
    """What `new` changes against `old`, field by field (old None: a new plan, nothing to compare)."""
    if old is None:
        return []
    found: list[Change] = []
    for key, label in PLAN_FIELD_LABELS.items():
        before, after = getattr(old.plan, key), getattr(new.plan, key)
        if before != after:
            found.append(
                Change("规划", new.plan.short, label, shown(before, key), shown(after, key))
            )
    old_targets = {target.id: target for target in old.plan.targets}
    new_targets = {target.id: target for target in new.plan.targets}
    for target_id, target in new_targets.items():
        item = f"目标 {target_id}「{target.label}」"
        before = old_targets.get(target_id)
        if before is None:
            found.append(Change("目标", item, "新增", ABSENT, _target_summary(target)))
            continue
        for key, label in TARGET_FIELD_LABELS.items():
            was, now = getattr(before, key), getattr(target, key)
            if was != now:
                found.append(Change("目标", item, label, shown(was, key), shown(now, key)))
    for target_id, target in old_targets.items():
        if target_id not in new_targets:
            item = f"目标 {target_id}「{target.label}」"
            found.append(Change("目标", item, "删除", _target_summary(target), ABSENT))
    old_cells = {(q.award, q.town, q.year): q.count for q in old.plan.quotas}
    new_cells = {(q.award, q.town, q.year): q.count for q in new.plan.quotas}
    for cell in [*new_cells, *(k for k in old_cells if k not in new_cells)]:
        was, now = old_cells.get(cell), new_cells.get(cell)
        if was != now:
            award, town, year = cell
            found.append(
                Change("镇街任务", f"{town} {award} {year}年", "任务数", _count(was), _count(now))
            )
    old_totals = {(t.award, t.year): t.count for t in old.plan.quota_totals}
    new_totals = {(t.award, t.year): t.count for t in new.plan.quota_totals}
    for total in [*new_totals, *(k for k in old_totals if k not in new_totals)]:
        was, now = old_totals.get(total), new_totals.get(total)
        if was != now:
            award, total_year = total
            period = f"{total_year}年" if total_year else "规划期"
            found.append(
                Change("镇街任务", f"合计 {award} {period}", "任务数", _count(was), _count(now))
            )
    for metric_id, metric in new.metrics.items():
        before = old.metrics.get(metric_id)
        item = f"{metric_id}「{metric.label}」"
        if before is None:
            found.append(
                Change("新增指标", item, "新增", ABSENT, f"{metric.label}（{metric.unit}）")
            )
            continue
        for key, label in METRIC_FIELD_LABELS.items():
            was, now = getattr(before, key), getattr(metric, key)
            if was != now:
                found.append(Change("新增指标", item, label, shown(was, key), shown(now, key)))
    for metric_id, metric in old.metrics.items():
        if metric_id not in new.metrics:
            item = f"{metric_id}「{metric.label}」"
            found.append(
                Change("新增指标", item, "删除", f"{metric.label}（{metric.unit}）", ABSENT)
            )
    return found


def _count(value: int | None) -> str:
    return ABSENT if value is None else f"{value} 家"


def _target_summary(target) -> str:
    return (
        f"{DIRECTION_LABELS[target.direction]} {target.target:g} {target.unit}"
        f"（{target.year}年，{AGGREGATE_LABELS[target.aggregate]}）"
    )


def summary(found: list[Change]) -> str:
    """One line: 目标 修改2项、新增1项；镇街任务 修改2格."""
    if not found:
        return "无变动"
    parts = []
    for part, unit in (("规划", "项"), ("目标", "项"), ("镇街任务", "格"), ("新增指标", "项")):
        mine = [change for change in found if change.part == part]
        if not mine:
            continue
        added = {c.item for c in mine if c.field == "新增"}
        removed = {c.item for c in mine if c.field == "删除"}
        edited = {c.item for c in mine} - added - removed
        words = [
            f"{verb}{len(items)}{unit}"
            for verb, items in (("修改", edited), ("新增", added), ("删除", removed))
            if items
        ]
        parts.append(f"{part} " + "、".join(words))
    return "；".join(parts)


@dataclass(frozen=True)
class Entry:
    """One version in a plan's history, with what it changed against the version before it."""

    version: PlanVersion
    previous: PlanVersion | None
    changes: list[Change]
    status: str  # 现行 | 已被第n版取代 | 已撤销


def timeline(versions: list[PlanVersion]) -> list[Entry]:
    """A plan's history, oldest first: each version against the version in effect before it."""
    live = active(versions)
    latest = live[-1] if live else None
    entries = []
    previous: PlanVersion | None = None
    for version in versions:
        if version.undone:
            status = "已撤销"
        elif version is latest:
            status = "现行"
        else:
            later = live[next(i for i, v in enumerate(live) if v is version) + 1]
            status = f"{later.effective_year}年起由第{later.version}版取代"
        entries.append(Entry(version, previous, changes(previous, version), status))
        if not version.undone:
            previous = version
    return entries
