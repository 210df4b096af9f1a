"""warnings.toml: the 预警 rules, as data. Each rule is one kind (threshold, 同比, streak, rank, gap against
序时, peer, projection), about firms or towns, with its figures; plantrack/engine/warnings.py applies them.

Loading never raises on a bad file: it returns the problems in Chinese, rule by rule, as targets.toml's
loading does (plantrack.model.targets)."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from plantrack.model.quantities import QUANTITIES
from plantrack.model.targets import PYDANTIC_MESSAGES, Problems, Strict, validation_problem
from plantrack.settings import warnings_path

Kind = Literal["threshold", "yoy", "streak", "rank", "gap", "peer", "projection"]
KIND_LABELS = {
    "threshold": "阈值",
    "yoy": "同比",
    "streak": "连续下滑",
    "rank": "镇街排名",
    "gap": "落后序时",
    "peer": "低于本镇街均值",
    "projection": "预计档次",
}
SEVERITIES = ("红色", "黄色")


def _catalogued(column: str) -> tuple[str, str]:
    """A figure the catalogue of quantities names: its label and unit there."""
    return QUANTITIES[column].label, QUANTITIES[column].unit


# the figures each kind of rule may judge, by scope: metric → (label, unit)
METRICS: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("threshold", "企业"): {
        "mu_tax_annualised": _catalogued("mu_tax_annualised_wan_per_mu"),
        "ytd_profit": _catalogued("ytd_profit_wan"),
    },
    ("yoy", "企业"): {
        "output": ("累计工业总产值同比", "%"),
        "revenue": ("累计营业收入同比", "%"),
        "tax": ("累计税收同比", "%"),
        "electricity": ("累计用电量同比", "%"),
    },
    ("yoy", "镇街"): {"output": ("累计规上产值同比", "%"), "tax": ("累计规上税收同比", "%")},
    ("streak", "企业"): {
        "output": ("当月工业总产值同比", "个月"),
        "tax": ("当月税收同比", "个月"),
        "electricity": ("当月用电量同比", "个月"),
    },
    ("rank", "镇街"): {
        "output": ("累计规上产值增速排名", "名"),
        "tax": ("累计规上税收增速排名", "名"),
    },
    ("gap", "镇街"): {
        "output": ("规上产值落后序时", "个百分点"),
        "tax": ("规上税收落后序时", "个百分点"),
    },
    ("peer", "企业"): {"mu_tax": ("1—N月亩均税收占本镇街均值", "%")},
    ("projection", "企业"): {"": ("预计全年亩均评价档次", "")},
}
# the figure each kind needs besides metric
NEEDS = {
    "threshold": "below",
    "yoy": "decline_pct",
    "streak": "months",
    "rank": "bottom",
    "gap": "behind_points",
    "peer": "below_share_pct",
    "projection": "grade",
}
FIELD_LABELS = {
    "id": "编号",
    "label": "名称",
    "kind": "类型",
    "scope": "范围",
    "severity": "级别",
    "metric": "指标",
    "below": "阈值",
    "decline_pct": "降幅",
    "months": "月数",
    "bottom": "后几名",
    "behind_points": "落后点数",
    "red_points": "红色点数",
    "target_growth_pct": "全年增长目标",
    "pace": "序时口径",
    "below_share_pct": "占均值比例",
    "grade": "档次",
}


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    kind: Kind
    scope: Literal["企业", "镇街"]
    severity: Literal["红色", "黄色"] = "黄色"
    metric: str = ""
    below: float | None = None  # threshold: fires when the figure is below it
    decline_pct: float | None = Field(default=None, gt=0)  # yoy: fires when 同比 < −decline_pct
    months: int | None = Field(default=None, ge=2, le=12)  # streak: this many months running
    bottom: int | None = Field(default=None, ge=1)  # rank: the last this many towns
    behind_points: float | None = Field(default=None, gt=0)  # gap: 落后序时 at least this much
    red_points: float | None = Field(default=None, gt=0)  # gap: red from this many points
    target_growth_pct: float | None = None  # gap: the year's target over last year's total
    pace: Literal["linear", "seasonal"] = (
        "seasonal"  # gap: 序时 as N/12 or by earlier years' shares
    )
    below_share_pct: float | None = Field(default=None, gt=0, le=100)  # peer
    grade: Literal["A", "B", "C", "D"] | None = None  # projection
    description: str = ""

    @property
    def metric_label(self) -> str:
        return METRICS[(self.kind, self.scope)][self.metric][0]

    @property
    def unit(self) -> str:
        return METRICS[(self.kind, self.scope)][self.metric][1]


class Rules(Strict):
    rules: list[Rule]

    def firm_params(self) -> list[dict]:
        """The firm rules queries/derived/month_warnings.sql judges (阈值, 同比, 连续下滑, 低于本镇街均值) as
        its $rules: below `threshold` fires (同比: −X %); a streak fires when `months` long. 预计档次 is
        graded (plantrack.store.projection)."""
        below = {
            "threshold": lambda rule: given(rule.below),
            "yoy": lambda rule: -given(rule.decline_pct),
            "peer": lambda rule: given(rule.below_share_pct),
            "streak": lambda rule: 0.0,  # not compared: the run's length is
        }
        return [
            {
                "id": rule.id,
                "kind": rule.kind,
                "metric": rule.metric,
                "threshold": below[rule.kind](rule),
                "months": int(given(rule.months)) if rule.kind == "streak" else 0,
            }
            for rule in self.rules
            if rule.scope == "企业" and rule.kind in below
        ]

    def firm_fingerprint(self) -> str:
        """Names the firm rules: the stored firm warnings are stamped with it (plantrack.store.derived)."""
        text = json.dumps(self.firm_params(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def given(value: float | None) -> float:
    """A rule's own figure (its threshold, months, …): present for its kind, checked when loaded."""
    if value is None:
        raise ValueError("预警规则缺少它这一类规则必需的数值")
    return float(value)


def _where(raw: dict, loc: tuple) -> str:
    parts = []
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = raw.get("rules") or []
        rule = rules[loc[1]] if loc[1] < len(rules) and isinstance(rules[loc[1]], dict) else {}
        parts.append(f"第{loc[1] + 1}条规则" + (f"（{rule['id']}）" if rule.get("id") else ""))
        loc = loc[2:]
    parts += [FIELD_LABELS.get(str(key), str(key)) for key in loc]
    return " › ".join(parts) or "规则"


MESSAGES = PYDANTIC_MESSAGES | {
    "string_pattern_mismatch": "编号只能用小写字母、数字和下划线，以字母开头"
}


def parse(raw: dict, source: str = "预警规则") -> tuple[Rules | None, Problems]:
    problems = Problems()
    try:
        rules = Rules.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            where = _where(raw, error["loc"])
            problems.errors.append(validation_problem(error, source, where, MESSAGES))
        return None, problems
    check(rules, problems, source)
    return (rules if not problems.errors else None), problems


def check(rules: Rules, problems: Problems, source: str = "预警规则") -> None:
    """What pydantic cannot say: a kind for this scope, a metric the kind can judge, the figure it needs."""
    for rule_id, count in Counter(rule.id for rule in rules.rules).items():
        if count > 1:
            problems.errors.append(f"{source}：规则编号 {rule_id} 重复 {count} 次")
    for rule in rules.rules:
        where = f"{source}：规则 {rule.id}（{rule.label}）"
        metrics = METRICS.get((rule.kind, rule.scope))
        if metrics is None:
            scopes = "、".join(scope for kind, scope in METRICS if kind == rule.kind)
            problems.errors.append(f"{where}：{KIND_LABELS[rule.kind]}规则只能用于{scopes}")
            continue
        if rule.metric not in metrics:
            allowed = "、".join(f"{key}（{label}）" for key, (label, _) in metrics.items())
            problems.errors.append(f"{where}：指标“{rule.metric}”不可用，可选：{allowed}")
        needed = NEEDS[rule.kind]
        if getattr(rule, needed) is None:
            problems.errors.append(
                f"{where}：{KIND_LABELS[rule.kind]}规则须填写{FIELD_LABELS[needed]}（{needed}）"
            )
        if rule.kind == "gap":
            if rule.target_growth_pct is None:
                problems.errors.append(
                    f"{where}：落后序时规则须填写全年增长目标（target_growth_pct）"
                )
            if (
                rule.red_points is not None
                and rule.behind_points is not None
                and rule.red_points < rule.behind_points
            ):
                problems.errors.append(f"{where}：红色点数不能小于落后点数")


def load(path: Path | None = None) -> tuple[Rules | None, Problems]:
    path = path or warnings_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, Problems(errors=["找不到预警规则文件"])
    except tomllib.TOMLDecodeError as exc:
        return None, Problems(errors=[f"预警规则文件格式有误：{exc}"])
    return parse(raw, "预警规则")


def load_rules(path: Path | None = None) -> Rules:
    rules, problems = load(path)
    if rules is None:
        raise ValueError("预警规则文件有错误：\n" + "\n".join(problems.errors))
    return rules
