"""The rules of docs/口径说明.md on plain numbers: where one target stands (actual, 完成率, 序时进度,
status). Tested on hand-computed cases (tests/test_progress_rules.py); fed from the warehouse by
plantrack.engine.progress (every target) and plantrack.engine.quotas (each town's 三大工厂 cells).

`Rule` is what a target's rule is read from and `kind` the one place that says which rule it follows;
`assess` here and plantrack.engine.outlook.project both take a `Rule` and choose by `kind`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import NotRequired, TypedDict, Unpack

# The kinds of target (口径说明 第 2 节), as `kind` names them
BASE_PERIOD = "base_period"  # a running total against an earlier period's total (累计翻番)
GROWTH_FROM_BASE = "growth_from_base"  # growth or decline against a named base year
GROWTH_YEARLY = "growth_yearly"  # growth or decline on the year before, due every year
STOCK_CUMULATIVE = "stock_cumulative"  # 新增 read as year-end stock − the stock before the plan
STOCK_ANNUAL = "stock_annual"  # 当年新增 read as year-end stock − the year before's
CUMULATIVE = "cumulative"  # yearly new amounts summed over the plan
ANNUAL = "annual"  # the year's new amount, due every year
RATE_YEARLY = "rate_yearly"  # a reported rate (增速), due in full every year
CEILING = "ceiling"  # a level that must not exceed the target (不高于)
LEVEL = "level"  # a level that must reach the target (不低于)
# every year must reach the target: judged on the years so far, not on a trend
YEARLY = (GROWTH_YEARLY, STOCK_ANNUAL, ANNUAL, RATE_YEARLY)


class Rule(TypedDict):
    """A target as its rule reads it: the same inputs choose and frame its status (`assess`) and its
    outlook (plantrack.engine.outlook.project)."""

    direction: str
    aggregate: str
    target: float
    target_year: int
    start: int
    base_year: NotRequired[int | None]
    # 累计翻番: a cumulative growth target's running total since `start` against the total of these
    # years (2021—2025 against 2016—2020)
    base_period: NotRequired[tuple[int, int] | None]
    # the values are year-end levels with no separate flow, so 新增 is end − base
    stock: NotRequired[bool]
    # a level target may be approached on a straight line from the year before the plan; False for
    # growth rates (增速), due in full every year
    linear_path: NotRequired[bool]


def kind(rule: Rule) -> str:
    """Which rule a target follows (口径说明 第 2 节): the one choice `assess` and the outlook share."""
    unknown = rule.keys() - Rule.__annotations__.keys()  # a misspelt input would pass unseen
    if unknown:
        raise TypeError(f"not an input of a target's rule: {', '.join(sorted(unknown))}")
    direction, aggregate = rule["direction"], rule["aggregate"]
    base_year, base_period = rule.get("base_year"), rule.get("base_period")
    stock, linear_path = rule.get("stock", False), rule.get("linear_path", True)
    if direction == "growth_at_least" and aggregate == "cumulative" and base_period:
        return BASE_PERIOD
    if direction in ("growth_at_least", "decline_at_least"):
        return GROWTH_YEARLY if base_year is None else GROWTH_FROM_BASE
    if stock and aggregate in ("cumulative", "annual"):
        return STOCK_CUMULATIVE if aggregate == "cumulative" else STOCK_ANNUAL
    if aggregate in ("cumulative", "annual"):
        return aggregate
    if direction == "at_most":
        return CEILING
    return LEVEL if linear_path else RATE_YEARLY


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


def status_of(
    direction: str,
    goal: Fraction,
    actual: Fraction,
    completion: Fraction | None,
    expected: Fraction | None,
    lag: Fraction,
) -> str:
    """达标, 符合序时, 滞后 or 严重滞后 of an actual against its goal and its 序时进度 (口径说明 第 5 节);
    `lag`: lag_points as a share. Exact fractions. The annual progress and the 年内进度 both use it."""
    met = actual <= goal if direction == "at_most" else actual >= goal
    if met:
        return "met"
    if completion is None or expected is None:
        return "behind" if goal == 0 and direction != "at_most" else "far_behind"
    if completion >= expected:
        return "on_pace"
    if completion >= expected - lag:
        return "behind"
    return "far_behind"


@dataclass(frozen=True)
class _Case:
    """One target's figures as exact fractions, with the years that frame it."""

    direction: str
    goal: Fraction
    start: int
    target_year: int
    eval_year: int
    elapsed: Fraction  # 已过时长, 0—1
    values: dict[int, Fraction]
    flows: dict[int, Fraction]
    base_year: int | None
    base_period: tuple[int, int] | None
    schedule: dict[int, Fraction]
    lag: Fraction  # lag_points as a share

    def result(self, actual, completion, expected, basis) -> Assessment:
        """The status of an actual beside its 完成率 and 序时进度 (口径说明 第 5 节)."""

        def out(value):
            return None if value is None else float(value)

        if actual is None:
            return Assessment(None, None, out(expected), "no_data", self.eval_year, basis)
        status = status_of(self.direction, self.goal, actual, completion, expected, self.lag)
        return Assessment(
            out(actual), out(completion), out(expected), status, self.eval_year, basis
        )

    def missing(self, basis: str) -> Assessment:
        return self.result(None, None, None, basis)

    def share_of_goal(self, actual: Fraction) -> Fraction | None:
        return actual / self.goal if self.goal > 0 else None

    def scheduled(self) -> Fraction | None:
        """序时进度 by the plan's yearly amounts (附件5), when it gives them."""
        total = sum(self.schedule.values(), Fraction(0))
        if total <= 0:
            return None
        due = sum((a for year, a in self.schedule.items() if year <= self.eval_year), Fraction(0))
        return due / total


def assess(
    *,
    as_of: int,
    values: dict[int, float],
    flows: dict[int, float] | None = None,
    schedule: dict[int, float] | None = None,
    lag_points: float = 10,
    **rule: Unpack[Rule],
) -> Assessment:
    """Where one target stands. `values` is the metric by year; `flows` the yearly new amounts
    (for cumulative/annual); `schedule` the yearly amounts the plan expects (quotas), if it gives them.
    Arithmetic and comparisons are exact (fractions of the figures as written); the result is rounded
    to floats only when returned."""
    start, target_year = rule["start"], rule["target_year"]
    flows = flows if flows is not None else values
    eval_year = min(as_of, target_year)
    span = max(target_year - start + 1, 1)
    case = _Case(
        direction=rule["direction"],
        goal=exact(rule["target"]),
        start=start,
        target_year=target_year,
        eval_year=eval_year,
        elapsed=min(max(Fraction(eval_year - start + 1, span), Fraction(0)), Fraction(1)),
        values={year: exact(value) for year, value in values.items() if present(value)},
        flows={year: exact(value) for year, value in flows.items() if present(value)},
        base_year=rule.get("base_year"),
        base_period=rule.get("base_period"),
        schedule={year: exact(amount) for year, amount in (schedule or {}).items()},
        lag=exact(lag_points) / 100,
    )
    return _RULES[kind(rule)](case)


def _against_base_period(case: _Case) -> Assessment:
    """累计翻番: the running total since the plan began against an earlier period's total."""
    assert case.base_period is not None  # chosen only when the target has one
    first, last = case.base_period
    years = [*range(first, last + 1), *range(case.start, case.eval_year + 1)]
    gaps = [year for year in years if year not in case.flows]
    if gaps:
        return case.missing(f"缺{'、'.join(map(str, gaps))}年数据（累计比累计）")
    before = sum((case.flows[year] for year in range(first, last + 1)), Fraction(0))
    so_far = sum((case.flows[year] for year in range(case.start, case.eval_year + 1)), Fraction(0))
    if before <= 0:
        return case.missing(f"{first}—{last}年累计为0，无法计算增幅")
    needed = before * (1 + case.goal / 100)
    basis = (
        f"{case.start}—{case.eval_year}年累计比{first}—{last}年累计增长；"
        f"完成率 = 至今累计 ÷ 目标所需累计（基期累计的{float(1 + case.goal / 100):g}倍）"
    )
    return case.result((so_far / before - 1) * 100, so_far / needed, case.elapsed, basis)


def _growth(case: _Case) -> Assessment:
    """Growth or decline in %: on the year before (due every year) or on a named base year."""
    year = case.eval_year
    reference_year = case.base_year if case.base_year is not None else year - 1
    now, then = case.values.get(year), case.values.get(reference_year)
    if now is None or then is None or then == 0:
        return case.missing(f"缺少{year}年或{reference_year}年数据")
    change = (now / then - 1) * 100
    actual = change if case.direction == "growth_at_least" else -change
    word = "增长" if case.direction == "growth_at_least" else "下降"
    if case.base_year is None:
        return case.result(
            actual, case.share_of_goal(actual), Fraction(1), f"{year}年比{reference_year}年{word}"
        )
    run = Fraction(year - case.base_year, max(case.target_year - case.base_year, 1))
    expected = min(max(run, Fraction(0)), Fraction(1))
    basis = f"{year}年比基期{case.base_year}年{word}"
    return case.result(actual, case.share_of_goal(actual), expected, basis)


def _stock_difference(case: _Case, cumulative: bool) -> Assessment:
    """新增 read from year-end stocks: end − the stock before the plan (or the year before)."""
    year = case.eval_year
    from_year = case.start - 1 if cumulative else year - 1
    end, base = case.values.get(year), case.values.get(from_year)
    if end is None or base is None:
        return case.missing(f"缺{from_year}年末或{year}年末数据（存量之差）")
    expected = Fraction(1)  # 当年新增: due in full every year
    if cumulative:
        scheduled = case.scheduled()
        expected = case.elapsed if scheduled is None else scheduled
    actual = end - base
    basis = f"{year}年末比{from_year}年末净增（存量之差）"
    return case.result(actual, case.share_of_goal(actual), expected, basis)


def _cumulative(case: _Case) -> Assessment:
    """Yearly new amounts summed from the plan's first year; missing years named."""
    span = range(case.start, case.eval_year + 1)
    years = [year for year in span if year in case.flows]
    if not years:
        return case.missing(f"{case.start}—{case.eval_year}年无数据")
    actual = sum((case.flows[year] for year in years), Fraction(0))
    missing = [year for year in span if year not in case.flows]
    basis = f"{case.start}—{case.eval_year}年累计" + (
        f"（缺{'、'.join(map(str, missing))}年）" if missing else ""
    )
    expected = case.scheduled()
    if expected is not None:
        basis += "，序时进度按年度任务"
    else:
        expected = case.elapsed
    return case.result(actual, case.share_of_goal(actual), expected, basis)


def _annual(case: _Case) -> Assessment:
    actual = case.flows.get(case.eval_year)
    completion = None if actual is None else case.share_of_goal(actual)
    return case.result(actual, completion, Fraction(1), f"{case.eval_year}年当年")


def _ceiling(case: _Case) -> Assessment:
    """不高于: 完成率 is the reduction from the year before the plan, when that base is above the goal."""
    actual, base = case.values.get(case.eval_year), case.values.get(case.start - 1)
    basis = f"{case.eval_year}年值"
    if actual is None:
        return case.missing(f"{case.eval_year}年无数据")
    goal = case.goal
    if base is not None and base > goal:
        completion = min(max((base - actual) / (base - goal), Fraction(0)), Fraction(1))
        expected = case.elapsed if case.eval_year < case.target_year else Fraction(1)
        return case.result(
            actual, completion, expected, basis + f"，完成率为较{case.start - 1}年的压减进度"
        )
    completion = Fraction(1) if actual <= goal else (goal / actual if actual > 0 else Fraction(0))
    return case.result(actual, completion, Fraction(1), basis)


def _level(case: _Case, linear_path: bool) -> Assessment:
    """不低于: the year's value; before the deadline, on a straight line from the year before the plan."""
    actual, base = case.values.get(case.eval_year), case.values.get(case.start - 1)
    basis = f"{case.eval_year}年值"
    if actual is None:
        return case.missing(f"{case.eval_year}年无数据")
    goal = case.goal
    completion = case.share_of_goal(actual)
    if linear_path and base is not None and base < goal and case.eval_year < case.target_year:
        expected_value = base + (goal - base) * case.elapsed
        return case.result(
            actual,
            completion,
            expected_value / goal,
            basis + f"，序时进度按{case.start - 1}年起线性推进",
        )
    return case.result(actual, completion, Fraction(1), basis)


_RULES = {
    BASE_PERIOD: _against_base_period,
    GROWTH_FROM_BASE: _growth,
    GROWTH_YEARLY: _growth,
    STOCK_CUMULATIVE: lambda case: _stock_difference(case, cumulative=True),
    STOCK_ANNUAL: lambda case: _stock_difference(case, cumulative=False),
    CUMULATIVE: _cumulative,
    ANNUAL: _annual,
    CEILING: _ceiling,
    LEVEL: lambda case: _level(case, linear_path=True),
    RATE_YEARLY: lambda case: _level(case, linear_path=False),
}
