"""The rules of docs/口径说明.md on plain numbers: where one target stands (actual, 完成率, 序时进度,
status). Tested on hand-computed cases (tests/test_progress_rules.py); fed from the warehouse by
plantrack.engine.progress (every target) and plantrack.engine.quotas (each town's 三大工厂 cells)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Assessment:
    actual: float | None
    completion: float | None  # 完成率, share (1.0 = 100 %)
    expected: float | None  # 序时进度, share
    status: str  # met | on_pace | behind | far_behind | no_data | not_applicable
    eval_year: int
    basis: str  # how the actual was computed, in Chinese


def present(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def exact(value: float) -> Fraction:
    """A figure as the decimal it is written as (0.1 is 1/10, not the nearest binary fraction), so that
    comparisons are exact: 30 % against a 序时 of 40 % is 10 points behind, not 10.000000000000002."""
    return Fraction(repr(float(value)))


def assess(
    *,
    direction: str,
    aggregate: str,
    target: float,
    target_year: int,
    start: int,
    as_of: int,
    values: dict[int, float],
    flows: dict[int, float] | None = None,
    base_year: int | None = None,
    schedule: dict[int, float] | None = None,
    lag_points: float = 10,
    stock: bool = False,
    base_period: tuple[int, int] | None = None,
    linear_path: bool = True,
) -> Assessment:
    """Where one target stands. `values` is the metric by year; `flows` the yearly new amounts
    (for cumulative/annual); `schedule` the yearly amounts the plan expects (quotas), if it gives them.
    `stock`: the values are year-end levels with no separate flow, so 新增 is end − base.
    `base_period`: a cumulative growth target compares the running total since `start` with the total
    of these years (累计翻番: 2021—2025 against 2016—2020).
    `linear_path`: a level target may be approached on a straight line from the year before the plan;
    False for growth rates (增速), due in full every year.
    Arithmetic and comparisons are exact (fractions of the figures as written); the result is rounded
    to floats only when returned."""
    flows = flows if flows is not None else values
    values = {year: exact(value) for year, value in values.items() if present(value)}
    flows = {year: exact(value) for year, value in flows.items() if present(value)}
    goal = exact(target)
    eval_year = min(as_of, target_year)
    span = max(target_year - start + 1, 1)
    elapsed = min(max(Fraction(eval_year - start + 1, span), Fraction(0)), Fraction(1))

    def result(actual, completion, expected, basis):
        def out(value):
            return None if value is None else float(value)

        if actual is None:
            return Assessment(None, None, out(expected), "no_data", eval_year, basis)
        met = actual <= goal if direction == "at_most" else actual >= goal
        if met:
            status = "met"
        elif completion is None or expected is None:
            status = "behind" if goal == 0 and direction != "at_most" else "far_behind"
        elif completion >= expected:
            status = "on_pace"
        elif completion >= expected - exact(lag_points) / 100:
            status = "behind"
        else:
            status = "far_behind"
        return Assessment(out(actual), out(completion), out(expected), status, eval_year, basis)

    if direction == "growth_at_least" and aggregate == "cumulative" and base_period:
        first, last = base_period
        base_years = range(first, last + 1)
        years = range(start, eval_year + 1)
        if any(year not in flows for year in [*base_years, *years]):
            gaps = [year for year in [*base_years, *years] if year not in flows]
            return result(None, None, None, f"缺{'、'.join(map(str, gaps))}年数据（累计比累计）")
        before = sum((flows[year] for year in base_years), Fraction(0))
        so_far = sum((flows[year] for year in years), Fraction(0))
        if before <= 0:
            return result(None, None, None, f"{first}—{last}年累计为0，无法计算增幅")
        needed = before * (1 + goal / 100)
        basis = (
            f"{start}—{eval_year}年累计比{first}—{last}年累计增长；"
            f"完成率 = 至今累计 ÷ 目标所需累计（基期累计的{float(1 + goal / 100):g}倍）"
        )
        return result((so_far / before - 1) * 100, so_far / needed, elapsed, basis)

    if direction in ("growth_at_least", "decline_at_least"):
        reference_year = base_year if base_year is not None else eval_year - 1
        now, then = values.get(eval_year), values.get(reference_year)
        if now is None or then is None or then == 0:
            return result(None, None, None, f"缺少{eval_year}年或{reference_year}年数据")
        change = (now / then - 1) * 100
        actual = change if direction == "growth_at_least" else -change
        word = "增长" if direction == "growth_at_least" else "下降"
        completion = actual / goal if goal > 0 else None
        if base_year is None:
            expected = Fraction(1)
            basis = f"{eval_year}年比{reference_year}年{word}"
        else:
            expected = min(
                max(Fraction(eval_year - base_year, max(target_year - base_year, 1)), Fraction(0)),
                Fraction(1),
            )
            basis = f"{eval_year}年比基期{base_year}年{word}"
        return result(actual, completion, expected, basis)

    if stock and aggregate in ("cumulative", "annual"):
        from_year = start - 1 if aggregate == "cumulative" else eval_year - 1
        end, base = values.get(eval_year), values.get(from_year)
        basis = f"{eval_year}年末比{from_year}年末净增（存量之差）"
        if end is None or base is None:
            return result(None, None, None, f"缺{from_year}年末或{eval_year}年末数据（存量之差）")
        if aggregate == "annual":
            expected = Fraction(1)
        elif schedule and sum(schedule.values()) > 0:
            planned = {year: exact(amount) for year, amount in schedule.items()}
            expected = sum(
                (amount for year, amount in planned.items() if year <= eval_year), Fraction(0)
            ) / sum(planned.values())
        else:
            expected = elapsed
        actual = end - base
        return result(actual, actual / goal if goal > 0 else None, expected, basis)

    if aggregate == "cumulative":
        years = [year for year in range(start, eval_year + 1) if year in flows]
        if not years:
            return result(None, None, None, f"{start}—{eval_year}年无数据")
        actual = sum((flows[year] for year in years), Fraction(0))
        missing = [year for year in range(start, eval_year + 1) if year not in flows]
        basis = f"{start}—{eval_year}年累计" + (
            f"（缺{'、'.join(map(str, missing))}年）" if missing else ""
        )
        planned = {year: exact(amount) for year, amount in (schedule or {}).items()}
        if planned and sum(planned.values()) > 0:
            expected = sum(
                (amount for year, amount in planned.items() if year <= eval_year), Fraction(0)
            ) / sum(planned.values())
            basis += "，序时进度按年度任务"
        else:
            expected = elapsed
        completion = actual / goal if goal > 0 else None
        return result(actual, completion, expected, basis)

    if aggregate == "annual":
        actual = flows.get(eval_year)
        completion = actual / goal if actual is not None and goal > 0 else None
        return result(actual, completion, Fraction(1), f"{eval_year}年当年")

    actual = values.get(eval_year)
    base = values.get(start - 1)
    basis = f"{eval_year}年值"
    if actual is None:
        return result(None, None, None, f"{eval_year}年无数据")
    if direction == "at_most":
        if base is not None and base > goal:
            completion = min(max((base - actual) / (base - goal), Fraction(0)), Fraction(1))
            expected = elapsed if eval_year < target_year else Fraction(1)
            return result(
                actual, completion, expected, basis + f"，完成率为较{start - 1}年的压减进度"
            )
        completion = (
            Fraction(1) if actual <= goal else (goal / actual if actual > 0 else Fraction(0))
        )
        return result(actual, completion, Fraction(1), basis)
    completion = actual / goal if goal > 0 else None
    if linear_path and base is not None and base < goal and eval_year < target_year:
        expected_value = base + (goal - base) * elapsed
        return result(
            actual,
            completion,
            expected_value / goal,
            basis + f"，序时进度按{start - 1}年起线性推进",
        )
    return result(actual, completion, Fraction(1), basis)
