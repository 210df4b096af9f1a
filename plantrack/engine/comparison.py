"""规划对比: 定海's actual against its own targets and 慈溪's and 绍兴's, on the metrics they share."""

from __future__ import annotations

import pandas as pd

from plantrack.model.targets import Config

SHARED_METRICS = [
    "mu_tax_above_scale",
    "mu_value_added_above_scale",
    "labour_productivity_above_scale",
    "rd_ratio_above_scale",
    "value_added_rate_above_scale",
    "energy_per_value_added",
]


def shared_metrics(config: Config) -> list[str]:
    """Metrics that at least two plans set a target on (or 定海 and one peer)."""
    found = []
    for metric in SHARED_METRICS:
        plans = {
            plan.id for plan in config.plans for target in plan.targets if target.metric == metric
        }
        if len(plans) >= 2:
            found.append(metric)
    return found


def targets_on(config: Config, metric: str) -> pd.DataFrame:
    rows = []
    for plan in config.plans:
        for target in plan.targets:
            if target.metric == metric:
                rows.append(
                    {
                        "plan_id": plan.id,
                        "target_id": target.id,
                        "plan": plan.short,
                        "jurisdiction": plan.jurisdiction,
                        "period": f"{plan.start}—{plan.end}",
                        "label": target.label,
                        "target": target.target,
                        "unit": target.unit,
                        "year": target.year,
                        "direction": target.direction,
                        "base_year": target.base_year,
                        "clause": target.clause,
                    }
                )
    return pd.DataFrame(rows)


def evaluated(targets: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Each plan's target on the metric with its progress as 规划详情 shows it (progress.evaluate: the
    same evaluation year, actual, 完成率 and status) — one evaluation for both pages."""
    columns = [
        "plan",
        "target_id",
        "actual",
        "completion",
        "expected",
        "status",
        "status_label",
        "eval_year",
    ]
    shown = progress[columns].rename(columns={"plan": "plan_id"})
    return targets.merge(shown, on=["plan_id", "target_id"], how="left")


def actual_series(
    config: Config, metric: str, yearly: pd.DataFrame, reported: pd.DataFrame
) -> pd.DataFrame:
    """Actual values by jurisdiction and year: 定海 computed, peers reported (their own 上报值)."""
    column = config.metrics[metric].column
    frames = [
        pd.DataFrame(
            {"jurisdiction": config.district, "year": yearly["year"], "value": yearly[column]}
        )
    ]
    peers = reported[(reported["metric"] == metric) & (reported["jurisdiction"] != config.district)]
    frames.append(peers[["jurisdiction", "year", "value"]])
    return pd.concat(frames, ignore_index=True)
