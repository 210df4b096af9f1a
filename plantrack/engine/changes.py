"""自上次导入以来: what the latest data import changed in what leadership reads — statuses of the 本区
targets in force that moved, new 三大工厂 认定 by town, firms that became 低效 and firms whose grade
changed — each in words, with where to look. Computed from the warehouse before and after the import
(plantrack.ingest.before), with the same engine and queries as every page."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from plantrack.engine import leadership, progress, quotas
from plantrack.model.targets import Config
from plantrack.store import derived
from plantrack.store.db import Connection

LISTED = 10  # firms named per kind; the rest counted


@dataclass(frozen=True)
class Change:
    kind: str  # 状态变化 | 新认定 | 新增低效 | 档次变化
    text: str
    page: str  # the page to look at, with its URL parameters
    params: dict = field(default_factory=dict)


def _statuses(con, config, as_of, plan_ids) -> pd.DataFrame:
    frame = progress.to_frame(progress.evaluate(con, config, as_of))
    if frame.empty:
        return frame
    return frame[frame["plan"].isin(plan_ids)].set_index(["plan", "target_id"])


def _low(con, config, as_of, viewer_town) -> pd.DataFrame:
    return derived.low_efficiency(con, config, as_of, viewer_town).set_index("credit_code")


def _grades(con, config, as_of, viewer_town) -> pd.DataFrame:
    return derived.run(
        con,
        config,
        "enterprise_evaluation",
        year=as_of,
        grades=None,
        towns=None,
        industries=None,
        grp=None,
        in_park=None,
        search=None,
        limit=None,
        sample=False,
        viewer_town=viewer_town,
    ).set_index("credit_code")


def since(
    before: Connection, after: Connection, config: Config, as_of: int, viewer_town: str | None
) -> list[Change]:
    """The changes at `as_of` between the warehouse `before` the latest import and `after` it; firms
    only of `viewer_town` when set (a 镇街 user's rights), aggregates (statuses, 认定 by town) for all."""
    found: list[Change] = []
    selection = leadership.own_plans(config, as_of)
    ids = [plan.id for plan in selection.in_force]
    old, new = _statuses(before, config, as_of, ids), _statuses(after, config, as_of, ids)
    for key, row in new.iterrows():
        was = old["status_label"].get(key)
        if was is not None and was != row["status_label"]:
            plan, target = key
            found.append(
                Change(
                    "状态变化",
                    f"{row['plan_short']}“{row['label']}”：{was} → {row['status_label']}",
                    "pages/plan_detail.py",
                    {"plan": plan, "target": target},
                )
            )
    for plan in selection.in_force:
        if not plan.quotas:
            continue
        cells = [quotas.cells(con, plan) for con in (before, after)]
        upto = [frame[frame["year"] <= as_of] for frame in cells]
        counts = [frame.groupby(["town", "award"])["awarded_count"].sum() for frame in upto]
        grown = (counts[1] - counts[0].reindex(counts[1].index).fillna(0)).astype(int)
        for (town, award), more in grown.items():
            if more > 0:
                found.append(
                    Change(
                        "新认定",
                        f"{town}新认定{award}{more}家（{plan.short}镇街任务）",
                        "pages/towns.py",
                        {"plan": plan.id, "town": town},
                    )
                )
    low_before, low_after = (
        _low(before, config, as_of, viewer_town),
        _low(after, config, as_of, viewer_town),
    )
    became = low_after[~low_after.index.isin(low_before.index)]
    found += _firms(
        "新增低效",
        {
            code: f"{row['name']}（{row['town']}）成为低效企业：亩均税收 {row['mu_tax_wan_per_mu']:.2f} 万元/亩"
            for code, row in became.head(LISTED).iterrows()
        },
        len(became),
        "家成为低效企业",
    )
    names = _grades(after, config, as_of, viewer_town)
    graded = [_grades(before, config, as_of, viewer_town)["grade"], names["grade"]]
    both = graded[1].index.intersection(graded[0].index)
    moved = [code for code in both if str(graded[0][code]) != str(graded[1][code])]
    found += _firms(
        "档次变化",
        {
            code: f"{names.loc[code, 'name']}（{names.loc[code, 'town']}）{as_of}年档次 "
            f"{graded[0][code]} → {graded[1][code]}"
            for code in moved[:LISTED]
        },
        len(moved),
        "家档次变化",
    )
    return found


def _firms(kind: str, texts: dict[str, str], total: int, rest: str) -> list[Change]:
    """The first LISTED firms' changes (`texts`, by credit code), each linking to 企业画像, then one
    line counting the others of `total` (linking to 企业评价)."""
    listed = [
        Change(kind, text, "pages/enterprise.py", {"code": code}) for code, text in texts.items()
    ]
    if total > LISTED:
        listed.append(Change(kind, f"另有 {total - LISTED} {rest}", "pages/evaluation.py"))
    return listed
