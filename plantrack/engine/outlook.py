"""还需多少、能否完成: for a target not yet due, what is still needed, the pace it takes beside the pace so
far, and a projection to the deadline from the trend, with a judgement. Never a status: a projection
only says where the trend leads.

Methods (docs/口径说明.md, 第 9 节):
- 累计 (cumulative counts, quota cells): run-rate, done so far ÷ elapsed years, carried to the deadline.
- 水平 (levels, reported series too): a straight line fitted to the years available (least squares),
  read at the target year; too few years or too scattered a series: 数据不足.
- 增长/下降 with a base year: the compound yearly rate so far, carried to the target year.
- 每年 (annual) and yearly growth without a base: the average of the years so far against the yearly
  target.
Judgement, on the projected 完成率 (computed as for an actual): ≥ 100 % 预计完成; ≥ 100 % − margin
有望完成; else 难以完成.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

MARGIN = 0.10  # 有望完成: projected 完成率 within 10 points of 100 %
MIN_TREND_YEARS = 3  # a trend needs at least this many years of data
MAX_SCATTER = 0.25  # residual spread ÷ mean level above this: too noisy to extrapolate

JUDGEMENTS = ("预计完成", "有望完成", "难以完成", "数据不足")


@dataclass(frozen=True)
class Outlook:
    years_left: int
    remaining: float | None  # still needed, in the target's unit (growth: percentage points)
    pace_so_far: float | None  # per elapsed year
    pace_needed: float | None  # per remaining year
    pace_unit: str  # e.g. 家/年, 个百分点/年 (growth: % per year, the rate itself)
    projection: float | None  # at the deadline, in the measure of the actual
    projected_completion: float | None  # 完成率 the projection would give (1.0 = 100 %)
    judgement: str  # 预计完成 | 有望完成 | 难以完成 | 数据不足 | 已完成
    method: str  # how the projection was made, in Chinese
    reason: str = ""  # why 数据不足

    def as_json(self) -> dict:
        return asdict(self)


def _points(series: dict[int, float], as_of: int) -> list[tuple[int, float]]:
    return sorted(
        (int(year), float(value))
        for year, value in series.items()
        if int(year) <= as_of and value is not None and not math.isnan(float(value))
    )


def _judge(completion: float | None) -> str:
    if completion is None:
        return "数据不足"
    completion = round(completion, 6)  # judged on 完成率 to 0.0001 %, not on floating-point dust
    if completion >= 1:
        return "预计完成"
    return "有望完成" if completion >= 1 - MARGIN else "难以完成"


def _unknown(years_left: int, unit: str, method: str, reason: str, remaining=None) -> Outlook:
    return Outlook(years_left, remaining, None, None, unit, None, None, "数据不足", method, reason)


def project(
    *,
    direction: str,
    aggregate: str,
    target: float,
    target_year: int,
    start: int,
    as_of: int,
    unit: str,
    series: dict[int, float],
    actual: float | None = None,
    base_year: int | None = None,
    base_period: tuple[int, int] | None = None,
) -> Outlook | None:
    """The outlook of one target at `as_of`; None once it is due (as_of ≥ target_year). `series` is the
    metric by year (yearly new amounts for cumulative and annual targets); `actual` the progress
    engine's figure at `as_of` (the cumulative count so far, for cumulative targets)."""
    if as_of >= target_year:
        return None
    years_left = target_year - as_of
    points = _points(series, as_of)
    if base_period is not None:  # a total against an earlier period's total (慈溪 累计翻番)
        return _unknown(years_left, "", "与基期段累计相比", "此类目标暂不外推，见完成率")
    if aggregate == "cumulative":
        return _cumulative(target, start, as_of, years_left, unit, actual, points)
    if aggregate == "annual":
        return _annual(target, years_left, unit, points)
    if direction in ("growth_at_least", "decline_at_least"):
        if base_year is None:
            return _yearly_growth(direction, target, years_left, points)
        return _compound(direction, target, target_year, base_year, years_left, points)
    return _level(direction, target, target_year, years_left, unit, points)


def _cumulative(target, start, as_of, years_left, unit, actual, points) -> Outlook:
    method = "按年均进度外推（已完成 ÷ 已过年数 × 剩余年数）"
    done = actual if actual is not None else (sum(v for _, v in points) if points else None)
    elapsed = as_of - start + 1
    if done is None or elapsed < 1 or not points:
        return _unknown(years_left, f"{unit}/年", method, "规划期内尚无数据")
    remaining = max(target - done, 0.0)
    so_far = done / elapsed
    projection = done + so_far * years_left
    completion = projection / target if target else None
    judgement = "已完成" if remaining == 0 else _judge(completion)
    needed = remaining / years_left
    return Outlook(
        years_left,
        remaining,
        so_far,
        needed,
        f"{unit}/年",
        projection,
        completion,
        judgement,
        method,
    )


def _annual(target, years_left, unit, points) -> Outlook:
    method = "按已过各年的平均值（每年都应达到）"
    if len(points) < 2:
        return _unknown(years_left, f"{unit}/年", method, "不足 2 年数据")
    average = sum(v for _, v in points) / len(points)
    latest = points[-1][1]
    completion = average / target if target else None
    return Outlook(
        years_left, max(target - latest, 0.0), average, target, f"{unit}/年", average,
        completion, _judge(completion), method,
    )  # fmt: skip


def _fit(points: list[tuple[int, float]]) -> tuple[float, float, float] | None:
    """Least-squares line through (year, value): (slope, intercept, scatter), scatter being the
    residuals' root mean square over the mean level."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    intercept = mean_y - slope * mean_x
    residual = math.sqrt(sum((y - (intercept + slope * x)) ** 2 for x, y in points) / n)
    scatter = residual / abs(mean_y) if mean_y else (0.0 if residual == 0 else math.inf)
    return slope, intercept, scatter


def _level(direction, target, target_year, years_left, unit, points) -> Outlook:
    method = f"按近 {len(points)} 年线性趋势外推"
    if len(points) < MIN_TREND_YEARS:
        return _unknown(years_left, f"{unit}/年", method, f"不足 {MIN_TREND_YEARS} 年数据")
    fitted = _fit(points)
    latest = points[-1][1]
    gap = latest - target if direction == "at_most" else target - latest
    remaining = max(gap, 0.0)
    if fitted is None or fitted[2] > MAX_SCATTER:
        return _unknown(years_left, f"{unit}/年", method, "数据波动过大，不宜外推", remaining)
    slope, intercept, _ = fitted
    projection = intercept + slope * target_year
    if direction == "at_most":
        # 完成率 of a ceiling: the reduction from the latest value towards it (口径说明 3)
        if latest > target:
            completion = (latest - projection) / (latest - target)
        else:
            completion = (
                1.0 if projection <= target else (target / projection if projection else 0.0)
            )
        needed, so_far = remaining / years_left, -slope
    else:
        completion = projection / target if target else (1.0 if projection >= 0 else 0.0)
        needed, so_far = remaining / years_left, slope
    return Outlook(
        years_left, remaining, so_far, needed, f"{unit}/年", projection, completion,
        "已完成" if remaining == 0 and _judge(completion) == "预计完成" else _judge(completion), method,
    )  # fmt: skip


def _compound(direction, target, target_year, base_year, years_left, points) -> Outlook:
    word = "增长" if direction == "growth_at_least" else "下降"
    method = f"按{base_year}年以来的年均复合{word}率外推"
    values = dict(points)
    if base_year not in values or values[base_year] <= 0 or points[-1][0] <= base_year:
        return _unknown(years_left, "%/年", method, f"缺少{base_year}年（基期）或其后的数据")
    base, (latest_year, latest) = values[base_year], points[-1]
    if latest <= 0:
        return _unknown(years_left, "%/年", method, "最近一年的值不为正，无法计算复合率")
    rate = (latest / base) ** (1 / (latest_year - base_year)) - 1
    span = target_year - base_year
    goal = 1 + target / 100 if direction == "growth_at_least" else 1 - target / 100
    if direction == "growth_at_least":
        projection = ((1 + rate) ** span - 1) * 100
        current = (latest / base - 1) * 100
        so_far = rate * 100
    else:
        projection = (1 - (1 + rate) ** span) * 100
        current = (1 - latest / base) * 100
        so_far = -rate * 100
    needed_ratio = (
        (goal * base / latest) ** (1 / (target_year - latest_year)) - 1 if goal > 0 else -1.0
    )
    needed = needed_ratio * 100 if direction == "growth_at_least" else -needed_ratio * 100
    completion = projection / target if target else None
    remaining = max(target - current, 0.0)
    return Outlook(
        years_left,
        remaining,
        so_far,
        needed,
        "%/年",
        projection,
        completion,
        _judge(completion),
        method,
    )


def _yearly_growth(direction, target, years_left, points) -> Outlook:
    word = "增长" if direction == "growth_at_least" else "下降"
    method = f"按已过各年的年均复合{word}率（每年都应达到）"
    if len(points) < MIN_TREND_YEARS or points[0][1] <= 0 or points[-1][1] <= 0:
        return _unknown(years_left, "%/年", method, f"不足 {MIN_TREND_YEARS} 年数据")
    (first_year, first), (latest_year, latest) = points[0], points[-1]
    rate = ((latest / first) ** (1 / (latest_year - first_year)) - 1) * 100
    so_far = rate if direction == "growth_at_least" else -rate
    completion = so_far / target if target > 0 else (1.0 if so_far >= target else 0.0)
    remaining = max(target - so_far, 0.0)
    return Outlook(
        years_left,
        remaining,
        so_far,
        target,
        "%/年",
        so_far,
        completion,
        _judge(completion),
        method,
    )
