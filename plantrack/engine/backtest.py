"""How good is the outlook? Every seeded plan has ended, so its judgements can be scored against what
happened: from each earlier as-of year, the judgement against the status at the target year.
预计完成 and 已完成 say 'will be met', 难以完成 says 'will not'; 有风险 claims neither (the table shows how
often it ended met); 数据不足 is not a judgement. `python -m plantrack outlook-backtest`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from plantrack.engine import progress
from plantrack.engine.outlook import JUDGEMENTS
from plantrack.model.targets import Config
from plantrack.store.db import Connection

# what each judgement claims about the target year: met (True) or not (False)
CLAIMS = {"已完成": True, "预计完成": True, "难以完成": False}
STATED_RATE = {"已完成": 1.0, "预计完成": 0.8, "难以完成": 0.8}  # right at least this often
RESOLVED = ("met", "on_pace", "behind", "far_behind")  # statuses at the target year that settle it


@dataclass(frozen=True)
class Case:
    plan: str
    target: str
    as_of: int
    method: str
    judgement: str
    outcome: str  # the status at the target year
    hit: bool | None  # the claim came true; None: no claim (有风险, 数据不足) or no outcome


def cases(con: Connection, config: Config, last_year: int) -> list[Case]:
    """Every (target, earlier as-of year) of the targets due by `last_year` (the latest data year)."""
    due = {
        (plan.id, target.id): target.year
        for plan in config.plans
        for target in plan.targets
        if target.year <= last_year
    }
    outcomes = {}
    for year in sorted(set(due.values())):
        for row in progress.evaluate(con, config, year):
            if due.get((row.plan, row.target_id)) == year:
                outcomes[(row.plan, row.target_id)] = row.status
    first = min((plan.start for plan in config.plans), default=last_year)
    found = []
    for as_of in range(first, last_year):
        for row in progress.evaluate(con, config, as_of):
            key = (row.plan, row.target_id)
            if key not in outcomes or row.outlook is None or as_of >= due[key]:
                continue
            judgement, outcome = row.outlook.judgement, outcomes[key]
            claim = CLAIMS.get(judgement)
            hit = None if claim is None or outcome not in RESOLVED else claim == (outcome == "met")
            method = _kind(row.outlook.method)
            found.append(Case(row.plan, row.target_id, as_of, method, judgement, outcome, hit))
    return found


def _kind(method: str) -> str:
    for word, kind in (
        ("年均进度", "累计：按年均进度外推"),
        ("线性趋势", "水平：线性趋势"),
        ("每年都应达到", "每年都应达到：规划已过各年"),
        ("以来的年均复合", "增长/下降：基期以来年均复合率"),
        ("基期段", "与基期段累计相比"),
    ):
        if word in method:
            return kind
    return method


def by_label(found: list[Case]) -> list[dict]:
    """Per judgement: how many, how many have an outcome, how many of those ended met, and how many
    came true (None for a judgement that claims nothing)."""
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in found:
        groups[case.judgement].append(case)
    rows = []
    for label in JUDGEMENTS:
        items = groups.get(label, [])
        resolved = [c for c in items if c.outcome in RESOLVED]
        claims = label in CLAIMS
        hits = sum(bool(c.hit) for c in resolved) if claims else None
        rows.append(
            {
                "judgement": label,
                "cases": len(items),
                "resolved": len(resolved),
                "met": sum(c.outcome == "met" for c in resolved),
                "hits": hits,
                "hit_rate": hits / len(resolved) if hits is not None and resolved else None,
                "stated_rate": STATED_RATE.get(label),
            }
        )
    return rows


def summary(found: list[Case]) -> list[dict]:
    """Hit rate per method: judged cases, those with a claim scored, hits, and those at 数据不足."""
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in found:
        groups[case.method].append(case)
    rows = []
    for method, items in sorted(groups.items()):
        scored = [c for c in items if c.hit is not None]
        hits = sum(bool(c.hit) for c in scored)
        rows.append(
            {
                "method": method,
                "cases": len(items),
                "scored": len(scored),
                "hits": hits,
                "hit_rate": hits / len(scored) if scored else None,
                "no_data": sum(c.judgement == "数据不足" for c in items),
            }
        )
    return rows
