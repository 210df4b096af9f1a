"""How good is the outlook? Every seeded plan has ended, so its judgements can be scored against what
happened: from each earlier as-of year, the judgement (预计完成/有望完成 say 'will be met', 难以完成 says
'will not') against the status at the target year. `python -m plantrack outlook-backtest`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from plantrack.engine import progress
from plantrack.model.targets import Config
from plantrack.store.db import Connection

POSITIVE = {"预计完成", "有望完成"}


@dataclass(frozen=True)
class Case:
    plan: str
    target: str
    as_of: int
    method: str
    judgement: str
    outcome: str  # the status at the target year
    hit: bool | None  # None: 数据不足, not scored


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
            scored = judgement in POSITIVE | {"难以完成", "已完成"} and outcome in (
                "met",
                "on_pace",
                "behind",
                "far_behind",
            )
            hit = ((judgement in POSITIVE | {"已完成"}) == (outcome == "met")) if scored else None
            found.append(
                Case(
                    row.plan,
                    row.target_id,
                    as_of,
                    _kind(row.outlook.method),
                    judgement,
                    outcome,
                    hit,
                )
            )
    return found


def _kind(method: str) -> str:
    for word, kind in (("年均进度", "累计：按年均进度外推"), ("线性趋势", "水平：线性趋势"),
                       ("复合", "增长/下降：年均复合率"), ("平均值", "每年：已过各年平均"),
                       ("基期段", "与基期段累计相比")):  # fmt: skip
        if word in method:
            return kind
    return method


def summary(found: list[Case]) -> list[dict]:
    """Hit rate per method: judged cases, hits, and those left at 数据不足."""
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in found:
        groups[case.method].append(case)
    rows = []
    for method, items in sorted(groups.items()):
        scored = [c for c in items if c.hit is not None]
        hits = sum(c.hit for c in scored)
        rows.append({"method": method, "cases": len(items), "scored": len(scored), "hits": hits,
                     "hit_rate": hits / len(scored) if scored else None,
                     "no_data": len(items) - len(scored)})  # fmt: skip
    return rows
