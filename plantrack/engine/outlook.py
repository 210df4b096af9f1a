"""还需多少、能否完成: for a target not yet due, what is still needed, the pace it takes beside the pace so
far, and a projection to the deadline, with a judgement. Never a status: a projection only says where
the figures so far lead. The rules, case by case, are in docs/口径说明.md 第 10 节; which case a target
is, is plantrack.engine.rules.kind (the choice `assess` makes too).

- 累计 (counts summed over the plan, quota cells, 新增 read from stocks): the run-rate so far carried to
  the deadline; a summed count that has reached its target is 已完成.
- 每年都应达到 (当年新增, 增长 on the year before, reported 增速): the plan's elapsed years so far (their
  average; for growth the compound yearly rate) against the yearly target.
- 写了基期的增长、下降: the compound yearly rate since the base year carried to the target year.
- 水平 (不低于/不高于): a least-squares line through the years so far, read at the target year.
Judgement: 预计完成 / 有风险 / 难以完成 / 数据不足 (and 已完成), calibrated by `outlook-backtest`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Unpack

from plantrack.engine import rules

DONE, LIKELY, AT_RISK, UNLIKELY, UNKNOWN = "已完成", "预计完成", "有风险", "难以完成", "数据不足"
JUDGEMENTS = (DONE, LIKELY, AT_RISK, UNLIKELY, UNKNOWN)
MARGIN = 0.10  # 有风险: projected 完成率 from 90 % up to (not including) 100 %
MIN_TREND_YEARS = 3  # a straight line needs at least this many years
RATE = "%/年"  # the pace unit of a growth rate (增速); a level in % moves in 个百分点/年


@dataclass(frozen=True)
class Outlook:
    years_left: int
    remaining: float | None  # still needed, in the target's unit (growth: percentage points)
    pace_so_far: float | None  # per year, signed: a level falling shows as a negative change
    pace_needed: float | None  # per remaining year, signed the same way
    pace_unit: str  # 家/年, 个百分点/年, 万元/亩/年 …; RATE for growth rates
    projection: float | None  # at the deadline, in the measure of the actual
    projected_completion: float | None  # 完成率 the projection would give (1.0 = 100 %)
    judgement: str  # one of JUDGEMENTS
    method: str  # how the projection was made, in Chinese
    reason: str = ""  # why 数据不足, or why 难以完成 when the trend points away
    basis: str = ""  # the figures judged, short: 按年均进度, 按近5年趋势, 按已过2年平均 …

    def as_json(self) -> dict:
        return asdict(self)


def _points(series: dict[int, float], as_of: int) -> list[tuple[int, float]]:
    """The series up to the as-of year (never a later year's figure)."""
    return sorted(
        (int(year), float(value))
        for year, value in series.items()
        if int(year) <= as_of and value is not None and not math.isnan(float(value))
    )


def judge(completion: float | None, reached: bool) -> str:
    """The judgement on a projected 完成率 (≥ 100 % 预计完成, ≥ 90 % 有风险, else 难以完成); with no
    完成率 (a target of 0), on whether the projection reaches the target."""
    if completion is None:
        return LIKELY if reached else UNLIKELY
    completion = round(completion, 6)  # judged on 完成率 to 0.0001 %, not on floating-point dust
    if completion >= 1:
        return LIKELY
    return AT_RISK if completion >= 1 - MARGIN else UNLIKELY


def _unknown(years_left: int, unit: str, method: str, reason: str, remaining=None) -> Outlook:
    return Outlook(years_left, remaining, None, None, unit, None, None, UNKNOWN, method, reason)


def _pace_unit(unit: str) -> str:
    return "个百分点/年" if unit == "%" else f"{unit}/年"


def project(
    *,
    as_of: int,
    unit: str,
    series: dict[int, float],
    actual: float | None = None,
    **rule: Unpack[rules.Rule],
) -> Outlook | None:
    """The outlook of one target at `as_of`; None once it is due (as_of ≥ target_year). `series` is the
    metric by year (yearly new amounts for cumulative and annual targets, year-end stocks when `stock`);
    `actual` the progress engine's figure at `as_of` (the amount so far, for cumulative targets)."""
    direction, target = rule["direction"], rule["target"]
    start, target_year = rule["start"], rule["target_year"]
    if as_of >= target_year:
        return None
    years_left = target_year - as_of
    points = _points(series, as_of)
    chosen = rules.kind(rule)
    if chosen == rules.BASE_PERIOD:  # a total against an earlier period's total (慈溪 累计翻番)
        return _unknown(years_left, "", "与基期段累计相比", "此类目标暂不外推，见完成率")
    if chosen in (rules.CUMULATIVE, rules.STOCK_CUMULATIVE):
        final = chosen == rules.CUMULATIVE  # a summed count cannot fall back; a stock can
        return _cumulative(target, start, as_of, years_left, unit, actual, final)
    if chosen in rules.YEARLY:
        return _yearly(chosen, direction, target, start, as_of, years_left, unit, points)
    if chosen == rules.GROWTH_FROM_BASE:
        return _compound(direction, target, target_year, rule.get("base_year"), years_left, points)
    return _trend(direction, target, target_year, start, years_left, unit, points)


def _cumulative(target, start, as_of, years_left, unit, done, final) -> Outlook:
    method = "按年均进度外推（已完成 ÷ 已过年数 × 剩余年数）"
    pace_unit = _pace_unit(unit)
    elapsed = as_of - start + 1
    if elapsed < 1:
        return _unknown(years_left, pace_unit, method, "规划尚未开始")
    if done is None:
        return _unknown(years_left, pace_unit, method, "规划期内尚无数据")
    remaining = max(target - done, 0.0)
    so_far = done / elapsed
    projection = done + so_far * years_left
    completion = projection / target if target > 0 else None
    judgement = DONE if final and remaining == 0 else judge(completion, projection >= target)
    return Outlook(
        years_left,
        remaining,
        so_far,
        remaining / years_left,
        pace_unit,
        projection,
        completion,
        judgement,
        method,
        basis="按年均进度",
    )


def _yearly_amounts(chosen, direction, start, as_of, points) -> tuple[list[float], str]:
    """The plan's elapsed years' own figures for a target due every year, or the reason there are none:
    the year's new amount, its reported rate, or (growth) the compound yearly rate since the year before
    the plan — one figure standing for the elapsed years."""
    values = dict(points)
    years = list(range(start, as_of + 1))
    if not years:
        return [], "规划尚未开始"
    if chosen in (rules.ANNUAL, rules.RATE_YEARLY):
        found = [values[year] for year in years if year in values]
        return found, "" if found else "规划期内尚无数据"
    if chosen == rules.STOCK_ANNUAL:
        found = [values[y] - values[y - 1] for y in years if y in values and y - 1 in values]
        return found, "" if found else "规划期内尚无相邻两年的年末数"
    first, last = start - 1, years[-1]
    if values.get(first, 0) <= 0 or values.get(last, 0) <= 0:
        return [], f"缺{first}年或{last}年的数据"
    rate = ((values[last] / values[first]) ** (1 / (last - first)) - 1) * 100
    return [rate if direction == "growth_at_least" else -rate], ""


def _yearly(chosen, direction, target, start, as_of, years_left, unit, points) -> Outlook:
    growth = chosen == rules.GROWTH_YEARLY
    word = "下降" if direction == "decline_at_least" else "增长"
    if growth:
        method = f"按规划以来的年均复合{word}率（每年都应达到）"
    else:
        method = "按规划已过各年的平均值（每年都应达到）"
    pace_unit = RATE if growth or chosen == rules.RATE_YEARLY else _pace_unit(unit)
    found, reason = _yearly_amounts(chosen, direction, start, as_of, points)
    if not found:
        return _unknown(years_left, pace_unit, method, reason)
    average = sum(found) / len(found)
    completion = average / target if target > 0 else None
    basis = f"按规划以来年均{word}" if growth else f"按已过{len(found)}年平均"
    return Outlook(
        years_left,
        max(target - average, 0.0),
        average,
        target,
        pace_unit,
        average,
        completion,
        judge(completion, average >= target),
        method,
        basis=basis,
    )


def _compound(direction, target, target_year, base_year, years_left, points) -> Outlook:
    word = "增长" if direction == "growth_at_least" else "下降"
    method = f"按{base_year}年以来的年均复合{word}率外推"
    values = dict(points)
    if base_year not in values or values[base_year] <= 0 or points[-1][0] <= base_year:
        return _unknown(years_left, RATE, method, f"缺少{base_year}年（基期）或其后的数据")
    base, (latest_year, latest) = values[base_year], points[-1]
    if latest <= 0:
        return _unknown(years_left, RATE, method, "最近一年的值不为正，无法计算复合率")
    rate = (latest / base) ** (1 / (latest_year - base_year)) - 1
    sign = 1 if direction == "growth_at_least" else -1
    projection = sign * ((1 + rate) ** (target_year - base_year) - 1) * 100
    current = sign * (latest / base - 1) * 100
    goal = 1 + sign * target / 100  # the level the target asks for, as a multiple of the base
    ratio = (goal * base / latest) ** (1 / (target_year - latest_year)) - 1 if goal > 0 else -1.0
    completion = projection / target if target > 0 else None
    judgement = judge(completion, projection >= target)
    reason = ""
    if current < target and sign * rate <= 0 and judgement != UNLIKELY:
        judgement, reason = UNLIKELY, f"基期以来不是{word}"
    return Outlook(
        years_left,
        max(target - current, 0.0),
        sign * rate * 100,
        sign * ratio * 100,
        RATE,
        projection,
        completion,
        judgement,
        method,
        reason,
        basis=f"按{base_year}年以来年均{word}率",
    )


def _fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Least-squares line through (year, value): (slope, intercept, spread), spread being the
    residuals' root mean square, in the value's unit."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    intercept = mean_y - slope * mean_x
    spread = math.sqrt(sum((y - (intercept + slope * x)) ** 2 for x, y in points) / n)
    return slope, intercept, spread


def projected_completion(direction, target, projection, base) -> float | None:
    """完成率 of a projected level, as 口径说明 第 3 节 computes it for an actual: 不高于 with a base
    above the target (the year before the plan) is the reduction from that base; None for a 不低于
    target of 0."""
    if direction != "at_most":
        return projection / target if target > 0 else None
    if base is not None and base > target:
        return (base - projection) / (base - target)
    if projection <= target:
        return 1.0
    return target / projection if projection > 0 else 0.0


def _trend(direction, target, target_year, start, years_left, unit, points) -> Outlook:
    method = f"按近 {len(points)} 年线性趋势外推"
    pace_unit = _pace_unit(unit)
    if len(points) < MIN_TREND_YEARS:
        return _unknown(years_left, pace_unit, method, f"不足 {MIN_TREND_YEARS} 年数据")
    sign = -1 if direction == "at_most" else 1  # the way the value should move
    latest = points[-1][1]
    remaining = max(sign * (target - latest), 0.0) + 0.0  # never -0.0
    slope, intercept, spread = _fit(points)
    projection = intercept + slope * target_year
    completion = projected_completion(direction, target, projection, dict(points).get(start - 1))
    # how far past the target the line ends (< 0: short), not counting floating-point dust
    beyond = round(sign * (projection - target), 9)
    reason = ""
    if remaining > 0 and sign * slope <= 0:
        judgement, reason = UNLIKELY, "趋势背离目标"
    elif abs(beyond) < spread:  # within the line's own scatter of the target: could go either way
        judgement = AT_RISK
    elif remaining == 0:  # met now: it stays met if the line stays on the right side
        judgement = LIKELY if beyond >= 0 else AT_RISK
    else:
        judgement = judge(completion, beyond >= 0)
    return Outlook(
        years_left,
        remaining,
        slope,
        sign * remaining / years_left,
        pace_unit,
        projection,
        completion,
        judgement,
        method,
        reason,
        basis=f"按近{len(points)}年趋势",
    )
