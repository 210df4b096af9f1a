"""What leadership sees first, decided once for every surface (总览, the briefing deck, the Word report):
which plans are 定海's own and which are still in force (`own_plans`), and what needs action
(`warnings`: the 预警 on 总览 and the deck's 需重点推进 slide).

A plan's role is data (targets.toml and the plan template: role = own | peer; `sample` marks the demo's
invented example plan). 对标 plans are scored on another city's own figures: they are compared on
规划对比, never counted with 定海's. A plan past its end year is closed: its targets are read as a final
result (终期), not as late."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from plantrack.model.targets import Config, Plan

PEER_LABEL = "对标规划 · 数据为该市口径"
BEHIND = ("behind", "far_behind")


def tag(plan: Plan) -> str:
    """How a plan is labelled wherever it is named: 本区规划 (· 示例), or 对标规划 · 数据为该市口径."""
    if plan.role == "peer":
        return PEER_LABEL
    return "本区规划 · 示例" if plan.sample else "本区规划"


def is_ended(plan: Plan, as_of: int) -> bool:
    """Past its end year: closed, read as a final result (终期)."""
    return as_of > plan.end


@dataclass(frozen=True)
class Selection:
    in_force: list[Plan]  # 本区 plans whose period includes the as-of year, by start
    ended: list[Plan]  # 本区 plans past their end year, latest ending first
    # 本区 plans not yet begun: nothing to track yet, but their town tasks are already set (镇街任务)
    upcoming: list[Plan] = field(default_factory=list)

    @property
    def plans(self) -> list[Plan]:
        """In force first, then the ended ones: the order every surface lists them in."""
        return [*self.in_force, *self.ended]

    @property
    def ids(self) -> list[str]:
        return [plan.id for plan in self.plans]


def own_plans(config: Config, as_of: int, plan_ids: list[str] | None = None) -> Selection:
    """The 本区 plans leadership tracks at `as_of` (optionally only `plan_ids`), never a 对标 plan: the
    one selection 总览's chart, cards and counts, the deck's cover, per-plan slides and 需重点推进, and
    the Word report all use."""
    own = [
        plan
        for plan in config.plans
        if plan.role == "own" and (not plan_ids or plan.id in plan_ids)
    ]
    begun = [p for p in own if p.start <= as_of]  # a plan not yet begun has nothing to track yet
    in_force = sorted((p for p in begun if not is_ended(p, as_of)), key=lambda p: (p.start, p.end))
    ended = sorted((p for p in begun if is_ended(p, as_of)), key=lambda p: (-p.end, p.start))
    upcoming = sorted((p for p in own if p.start > as_of), key=lambda p: (p.start, p.end))
    return Selection(in_force, ended, upcoming)


def _gap(completion, expected, outlook) -> float:
    """How far behind, in points of 完成率: behind 序时进度 when both are known, else short of 100 %
    by the projection."""
    if completion is not None and expected is not None and completion == completion:
        return float(expected) - float(completion)
    if isinstance(outlook, dict) and outlook.get("projected_completion") is not None:
        return 1.0 - float(outlook["projected_completion"])
    return 0.0


WARNING_COLUMNS = [
    "kind",
    "plan",
    "plan_short",
    "target_id",
    "town",
    "award",
    "label",
    "unit",
    "direction",
    "target",
    "actual",
    "completion",
    "expected",
    "status",
    "status_label",
    "judgement",
    "outlook",
    "gap",
]


def warnings(
    progress: pd.DataFrame, fulfilled: dict[str, pd.DataFrame], selection: Selection
) -> pd.DataFrame:
    """预警: the 本区 targets in force that are 严重滞后 or that the trend says are 难以完成, and the town
    quota cells behind 序时进度, furthest behind first. `progress` is the progress engine's frame
    (district rows), `fulfilled` each quota plan's quotas.fulfillment by plan id. One row per item
    (kind 目标 or 镇街任务); the same list on 总览 and on the deck's 需重点推进 slide."""
    in_force = {plan.id: plan for plan in selection.in_force}
    items = []
    rows = progress[progress["plan"].isin(list(in_force))] if not progress.empty else progress
    for row in rows.to_dict("records"):
        outlook = row.get("outlook")
        judgement = outlook.get("judgement") if isinstance(outlook, dict) else None
        if row["status"] != "far_behind" and judgement != "难以完成":
            continue
        items.append(
            {
                **{key: row.get(key) for key in WARNING_COLUMNS if key in row},
                "kind": "目标",
                "town": None,
                "award": None,
                "outlook": outlook if isinstance(outlook, dict) else None,
                "judgement": judgement,
                "gap": _gap(row["completion"], row["expected"], outlook),
            }
        )
    for plan_id, cells in fulfilled.items():
        plan = in_force.get(plan_id)
        if plan is None or cells.empty:
            continue
        for cell in cells[cells["status"].isin(BEHIND)].to_dict("records"):
            outlook = cell["outlook"] if isinstance(cell["outlook"], dict) else None
            items.append(
                {
                    "kind": "镇街任务",
                    "plan": plan.id,
                    "plan_short": plan.short,
                    "target_id": None,
                    "town": cell["town"],
                    "award": cell["award"],
                    "label": f"{cell['town']}{cell['award']}",
                    "unit": "家",
                    "direction": "at_least",
                    "target": float(cell["quota_total"]),
                    "actual": float(cell["awarded"]),
                    "completion": cell["completion"],
                    "expected": cell["expected"],
                    "status": cell["status"],
                    "status_label": cell["status_label"],
                    "judgement": outlook["judgement"] if outlook else None,
                    "outlook": outlook,
                    "gap": _gap(cell["completion"], cell["expected"], outlook),
                }
            )
    frame = pd.DataFrame(items, columns=WARNING_COLUMNS)
    if frame.empty:
        return frame
    order = frame["kind"].map({"目标": 0, "镇街任务": 1})
    return (
        frame.assign(_order=order)
        .sort_values(["gap", "_order"], ascending=[False, True], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def final_targets(rows: pd.DataFrame) -> pd.DataFrame:
    """An ended plan's targets as its 终期 reads them: a target set year by year (工业投资增速 2021, 2022,
    2023) once, in its last year; 不适用 ones left out."""
    counted = rows[rows["status"] != "not_applicable"]
    return counted.sort_values("year", kind="stable").drop_duplicates(
        ["label", "unit"], keep="last"
    )


def final_result(rows: pd.DataFrame) -> dict:
    """An ended plan's 终期 (over final_targets): how many targets were met (达标), how many not (未达标),
    how many had no data."""
    final = final_targets(rows)
    return {
        "met": int((final["status"] == "met").sum()),
        "missed": int(final["status"].isin(["on_pace", *BEHIND]).sum()),
        "no_data": int((final["status"] == "no_data").sum()),
    }
