"""上报指标 values against the bounds a published plan declared for its new indicators (下限, 上限)."""

from __future__ import annotations

import pandas as pd

from plantrack.ingest.problems import Problem
from plantrack.model.targets import Config


def problems(
    config: Config, sheet: str, data_rows: list[int], columns: dict, value_header: str
) -> list[tuple[int, Problem]]:
    """(Excel row, problem) for each value outside its metric's bounds."""
    found = []
    for pos, (metric_key, value) in enumerate(
        zip(columns["metric"], columns["value"], strict=True)
    ):
        if pd.isna(metric_key) or pd.isna(value):  # a bad cell: reported already
            continue
        metric = config.metrics.get(str(metric_key).split("[", 1)[0])
        if metric is None:
            continue
        low, high = metric.minimum, metric.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = "—".join(f"{b:g}" if b is not None else "" for b in (low, high))
            row = data_rows[pos] + 1
            found.append(
                (
                    row,
                    Problem(
                        sheet,
                        row,
                        value_header,
                        f"{value:g}",
                        f"超出指标「{metric.label}」的取值范围 {bounds} {metric.unit}（规划发布时声明）",
                    ),
                )
            )
    return found
