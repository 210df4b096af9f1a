"""镇街任务: 三大工厂 quota fulfilment per town and the 赛马 ranking, on the progress engine's rules.

One route for a town's 三大工厂 numbers: queries/town_factory_fulfillment.sql (`cells`), then
`fulfillment` — the 镇街任务 page (through the app's cache), `progress --town` (plantrack.engine.progress)
and the briefing deck all take them from here."""

from __future__ import annotations

import pandas as pd

from plantrack.engine.outlook import project
from plantrack.engine.rules import Rule, assess
from plantrack.model.reference import NOT_APPLICABLE
from plantrack.model.targets import Plan, StatusRules
from plantrack.store import db
from plantrack.store.db import Connection

QUERY = "town_factory_fulfillment"


def quota_param(plan: Plan) -> list[dict]:
    """The plan's 附件5 cells as the $quotas parameter of town_factory_fulfillment.sql."""
    return [
        {"town": q.town, "award": q.award, "year": q.year, "quota_count": q.count}
        for q in plan.quotas
    ]


def cells(con: Connection, plan: Plan) -> pd.DataFrame:
    """town × award × year: the 附件5 quota and the enterprises first recognised that year."""
    return db.run_query(con, QUERY, quotas=quota_param(plan))


def fulfillment(cells: pd.DataFrame, plan: Plan, as_of: int, rules: StatusRules) -> pd.DataFrame:
    """Per town × award, cumulative to the as-of year: quota, recognised, 完成率, 序时进度, status.

    `cells` is town_factory_fulfillment.sql's result (town × award × year). A cell whose three-year task
    is 0 is 无任务: status 不适用, left out of counts and of the 赛马.
    """
    rows = []
    for (town, award), group in cells.groupby(["town", "award"], sort=False):
        schedule = dict(zip(group["year"], group["quota_count"], strict=True))
        flows = dict(zip(group["year"], group["awarded_count"].astype(float), strict=True))
        total = sum(schedule.values())
        due = sum(count for year, count in schedule.items() if year <= as_of)
        done = sum(count for year, count in flows.items() if year <= as_of)
        # the same inputs choose the status (rules.assess) and the outlook (outlook.project)
        rule: Rule = {
            "direction": "at_least",
            "aggregate": "cumulative",
            "target": total,
            "target_year": plan.end,
            "start": plan.start,
        }
        result = assess(
            **rule, as_of=as_of, values=flows, schedule=schedule, lag_points=rules.lag_points
        )
        status, basis = result.status, result.basis
        completion, expected = result.completion, result.expected
        ahead = project(**rule, as_of=as_of, unit="家", series=flows, actual=done)
        if total == 0:
            status, completion, expected, ahead = NOT_APPLICABLE, None, None, None
            basis = "附件5 未给该镇街（平台）分配此类任务（0个），不适用"
        rows.append(
            {
                "town": town,
                "sort_order": int(group["sort_order"].iloc[0]),
                "award": award,
                "quota_total": total,
                "quota_due": due,
                "awarded": int(done),
                "completion": completion,
                "expected": expected,
                "status": status,
                "status_label": rules.labels[status],
                "eval_year": result.eval_year,
                "basis": basis,
                "series": {int(y): float(v) for y, v in sorted(flows.items()) if y <= as_of},
                "remaining": None if ahead is None else ahead.remaining,
                "outlook": None if ahead is None else ahead.as_json(),
            }
        )
    return pd.DataFrame(rows)


def at_risk(fulfilled: pd.DataFrame) -> pd.DataFrame:
    """Towns whose remaining task the run-rate so far will not finish (难以完成), with what they need."""
    judged = fulfilled[fulfilled["outlook"].notna()]
    risky = judged[[o["judgement"] == "难以完成" for o in judged["outlook"]]]
    return risky.sort_values(["sort_order", "award"])


def ranking(cells: pd.DataFrame, as_of: int, podium: int = 3) -> pd.DataFrame:
    """赛马: towns ranked by recognised ÷ quota due so far (all three awards), with the change of rank
    since the year before; 红榜 = top `podium`, 黑榜 = bottom `podium`. Ties: more recognised first, then
    the order of 附件5. Towns with nothing due yet are not ranked. A board is earned, not drawn by the
    附件5 order: 红榜 needs some recognised and a score above the lowest, 黑榜 a score below the highest
    (all towns at 0 %: no board)."""

    tasked = cells.groupby(["town", "award"])["quota_count"].transform("sum") > 0
    cells = cells[tasked]  # an award a town has no task for (无任务) does not score in the 赛马

    def standing(year: int) -> pd.DataFrame:
        upto = cells[cells["year"] <= year]
        table = upto.groupby("town", sort=False).agg(
            quota_due=("quota_count", "sum"),
            awarded=("awarded_count", "sum"),
            sort_order=("sort_order", "first"),
        )
        table = table[table["quota_due"] > 0].copy()
        table["score"] = table["awarded"] / table["quota_due"]
        table = table.sort_values(
            ["score", "awarded", "sort_order"], ascending=[False, False, True]
        )
        table["rank"] = range(1, len(table) + 1)
        return table

    now = standing(as_of)
    if now.empty:  # before the first year with a quota: nobody is ranked yet
        columns = ["town", *now.columns, "previous_rank", "rank_change", "board"]
        return pd.DataFrame(columns=columns)
    before = standing(as_of - 1)
    now["previous_rank"] = before["rank"].reindex(now.index) if not before.empty else pd.NA
    now["rank_change"] = now["previous_rank"] - now["rank"]
    now["board"] = ""
    top, bottom = now["score"].max(), now["score"].min()
    red = (now["rank"] <= podium) & (now["score"] > 0) & (now["score"] > bottom)
    black = (now["rank"] > len(now) - podium) & (now["score"] < top)
    now.loc[red, "board"] = "红榜"
    now.loc[black & ~red, "board"] = "黑榜"
    return now.reset_index()
