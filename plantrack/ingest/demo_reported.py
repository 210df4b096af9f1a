"""The demo's reported figures: every indicator the plans name that no enterprise table can give, drawn
as plausible series around each target (within the catalogue's bounds; levels as levels, flows as flows)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from plantrack.model.reference import (
    DISTRICT,
)
from plantrack.model.targets import Config, indicator_key

YEARS = list(range(2020, 2026))  # the demo's years (its enterprise data too)


def indicators(rng: np.random.Generator, config: Config) -> pd.DataFrame:
    """Reported figures for every target that enterprise data cannot give, near its target.

    Roughly: a third of them ahead, a third on pace, a third behind — so the dashboard shows every status.
    """
    series: dict[tuple[str, str], dict[int, float]] = {}
    metrics = {}
    for plan in config.plans:
        for target in plan.targets:
            metric = config.metrics[target.metric]
            if metric.kind == "query" and plan.jurisdiction == DISTRICT:
                continue
            key = (plan.jurisdiction, indicator_key(target))
            metrics[key] = metric
            series.setdefault(key, {})
            form = rng.choice([0.8, 0.95, 1.05, 1.2])
            _fill_series(series[key], target, plan.start, form, rng, metric.unit, metric.nature)
    rows = [
        (
            jurisdiction,
            metric,
            year,
            _plausible(value, metrics[(jurisdiction, metric)].bounds()),
            metrics[(jurisdiction, metric)].unit,
            "示例数据（随机生成）",
        )
        for (jurisdiction, metric), by_year in sorted(series.items())
        for year, value in sorted(by_year.items())
    ]
    return pd.DataFrame(rows, columns=["jurisdiction", "metric", "year", "value", "unit", "source"])


def _plausible(value: float, bounds) -> float:
    """A drawn figure made one the metric can have (targets.toml bounds): whole counts, shares within
    0—100 %, ranks from 1 — the demo never shows a coverage of 128 % or 4.75 项."""
    if bounds.minimum is not None:
        value = max(value, bounds.minimum)
    if bounds.maximum is not None:
        value = min(value, bounds.maximum)
    return float(round(value)) if bounds.integer else round(value, 4)


def _fill_series(
    by_year: dict[int, float], target, start: int, form: float, rng, metric_unit: str, nature: str
) -> None:
    goal = target.target
    if target.base_period:
        # 累计翻番: the base period's yearly amounts, so that the plan's total is near its goal
        later = [value for year, value in by_year.items() if year >= start] or [100.0]
        yearly = sum(later) / len(later) / (1 + goal / 100) / form
        for year in range(target.base_period[0], target.base_period[1] + 1):
            by_year.setdefault(year, yearly * rng.uniform(0.85, 1.15))
        return
    if target.aggregate in ("cumulative", "annual") and nature == "level":
        # a stock (firms holding an honour, firms in a band) that grows by about the target's pace
        years = max(target.year - start + 1, 1) if target.aggregate == "cumulative" else 1
        level = goal * rng.uniform(0.5, 3)
        for year in YEARS:
            if year > YEARS[0]:
                level += max(goal / years * form * rng.uniform(0.7, 1.3), 0)
            by_year.setdefault(year, level)
        return
    if target.direction == "growth_at_least":
        # a level series growing at about the target rate
        base = by_year.get(YEARS[0], 100.0 * rng.uniform(0.5, 2))
        span = target.year - (target.base_year or target.year - 1)
        rate = (1 + goal / 100) ** (1 / max(span, 1)) - 1
        if goal == 0:  # 逐年增长 / 稳中有升: a few per cent, sometimes negative
            rate = float(rng.normal(0.02, 0.03))
        for year in YEARS:
            by_year.setdefault(year, base * (1 + rate * form) ** (year - YEARS[0]))
        return
    if target.aggregate == "cumulative":
        yearly = goal / max(target.year - start + 1, 1) * form
        for year in YEARS:
            by_year.setdefault(year, max(yearly * rng.uniform(0.7, 1.3), 0))
        return
    if target.direction == "at_most":
        final = goal * (2 - form) if goal else max(0.0, (1 - form) * 5)
        for year in YEARS:
            by_year.setdefault(year, final * (1 + 0.05 * (target.year - year)))
        return
    if target.direction == "decline_at_least":
        base = 1.0 * rng.uniform(0.4, 1.2)
        base_year = target.base_year or YEARS[0]
        per_year = goal / 100 / max(target.year - base_year, 1) * form
        for year in YEARS:
            by_year.setdefault(year, base * (1 - per_year * max(year - base_year, 0)))
        return
    if goal == 0:  # e.g. 逐年增长 (growth ≥ 0): a rate around a few per cent, now and then negative
        for year in YEARS:
            by_year.setdefault(year, float(rng.uniform(-3, 8)))
        return
    # at_least level (and growth rates reported as %): approach the goal along the years
    final = goal * form
    for year in YEARS:
        distance = target.year - year
        drift = 1 - 0.06 * distance if metric_unit != "%" else rng.uniform(0.8, 1.1)
        by_year.setdefault(year, final * drift)
