"""The progress engine: for an as-of year, each target's actual, 完成率, 序时进度 and status.

The rules are in docs/口径说明.md (shown in the app); `assess` implements them on plain numbers so they
can be tested on hand-computed cases, `evaluate` feeds it from the warehouse.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from fractions import Fraction

import pandas as pd

from plantrack.model.reference import NOT_APPLICABLE, QUERY_CONSTANTS, THREE_FACTORIES
from plantrack.model.targets import Config, Plan, Target, indicator_key, query_parameters
from plantrack.store import db, derived
from plantrack.store.db import Connection

PREFETCH_THREADS = 4  # metric queries run side by side (2 cores; queries wait on I/O and DuckDB)
RATIO_UNITS = {"万元/亩", "%", "万元/人", "吨标准煤/万元", "百分点"}


@dataclass(frozen=True)
class Assessment:
    actual: float | None
    completion: float | None  # 完成率, share (1.0 = 100 %)
    expected: float | None  # 序时进度, share
    status: str  # met | on_pace | behind | far_behind | no_data | not_applicable
    eval_year: int
    basis: str  # how the actual was computed, in Chinese


@dataclass
class TargetProgress:
    plan: str
    plan_short: str
    target_id: str
    label: str
    metric: str
    unit: str
    target: float
    direction: str
    aggregate: str
    year: int
    actual: float | None
    completion: float | None
    expected: float | None
    status: str
    status_label: str
    eval_year: int
    basis: str
    clause: str
    quote: str
    note: str
    source: str  # the query file or the reported indicator behind the number
    town: str | None = None
    series: dict[int, float] = field(default_factory=dict)

    def as_json(self) -> dict:
        data = asdict(self)
        data["series"] = {str(year): value for year, value in self.series.items()}
        return data


def _present(value: float | None) -> bool:
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
) -> Assessment:
    """Where one target stands. `values` is the metric by year; `flows` the yearly new amounts
    (for cumulative/annual); `schedule` the yearly amounts the plan expects (quotas), if it gives them.
    `stock`: the values are year-end levels with no separate flow, so 新增 is end − base.
    `base_period`: a cumulative growth target compares the running total since `start` with the total
    of these years (累计翻番: 2021—2025 against 2016—2020).
    Arithmetic and comparisons are exact (fractions of the figures as written); the result is rounded
    to floats only when returned."""
    flows = flows if flows is not None else values
    values = {year: exact(value) for year, value in values.items() if _present(value)}
    flows = {year: exact(value) for year, value in flows.items() if _present(value)}
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
    if base is not None and base < goal and eval_year < target_year:
        expected_value = base + (goal - base) * elapsed
        return result(
            actual,
            completion,
            expected_value / goal,
            basis + f"，序时进度按{start - 1}年起线性推进",
        )
    return result(actual, completion, Fraction(1), basis)


class Series:
    """The metric values behind targets, fetched once per query and parameter set."""

    def __init__(self, con: Connection, config: Config):
        self.con = con
        self.config = config
        self._frames: dict[tuple, pd.DataFrame] = {}
        self._indicators: dict[tuple[str, str], dict[int, float]] | None = None
        self._derived: dict[str, pd.DataFrame] | None = None
        self._derived_lock = threading.Lock()

    @staticmethod
    def _key(query: str, params: dict) -> tuple:
        return (
            query,
            tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())),
        )

    def _run(self, query: str, params: dict) -> pd.DataFrame:
        """A metric query; one reading a derived table (grades) gets it current (derived.relations),
        computed at most once per evaluation when the stored one is stale."""
        tables = derived.reads(query)
        if not tables:
            return db.run_query(self.con, query, **params)
        with self._derived_lock:
            if self._derived is None:
                self._derived = derived.relations(self.con, self.config)
        relations = {table: self._derived[table] for table in tables if table in self._derived}
        return db.run_query(self.con, query, relations=relations, **params)

    def _frame(self, query: str, params: dict) -> pd.DataFrame:
        key = self._key(query, params)
        if key not in self._frames:
            self._frames[key] = self._run(query, params)
        return self._frames[key]

    def request(self, plan: Plan, target: Target, town: str | None) -> tuple[str, dict] | None:
        """The (query, params) behind a target's values; None for reported figures."""
        metric = self.config.metrics[target.metric]
        if metric.kind == "query" and plan.jurisdiction == self.config.district:
            declared = query_parameters(metric.query)
            params = (
                {name: None for name in declared}
                | QUERY_CONSTANTS
                | metric.params
                | target.params
                | {"town": town}
            )
            return metric.query, {k: v for k, v in params.items() if k in declared}
        return None

    def prefetch(self, requests: list[tuple[str, dict]]) -> None:
        """Run the distinct queries side by side (each on its own cursor; DuckDB releases the GIL)."""
        todo = {self._key(q, p): (q, p) for q, p in requests}
        todo = {key: request for key, request in todo.items() if key not in self._frames}
        if len(todo) < 2:
            return
        with ThreadPoolExecutor(max_workers=PREFETCH_THREADS) as pool:
            frames = pool.map(lambda qp: self._run(*qp), todo.values())
            self._frames.update(zip(todo, frames, strict=True))

    def indicators(self) -> dict[tuple[str, str], dict[int, float]]:
        """Reported figures by (jurisdiction, metric key) → {year: value}, read once."""
        if self._indicators is None:
            frame = db.run_query(self.con, "reported_indicators")
            grouped: dict[tuple[str, str], dict[int, float]] = {}
            for jurisdiction, metric, year, value in zip(
                frame["jurisdiction"], frame["metric"], frame["year"], frame["value"], strict=True
            ):
                grouped.setdefault((jurisdiction, metric), {})[int(year)] = float(value)
            self._indicators = grouped
        return self._indicators

    def for_target(self, plan: Plan, target: Target, town: str | None) -> Figures:
        metric = self.config.metrics[target.metric]
        request = self.request(plan, target, town)
        if request is not None:
            frame = self._frame(*request)
            years = frame["year"].astype(int)
            return Figures(
                values=dict(zip(years, frame[metric.column], strict=True)),
                flows=(
                    dict(zip(years, frame[metric.new_column], strict=True))
                    if metric.new_column
                    else None
                ),
                source=f"queries/{metric.query}.sql › {metric.column}",
                population=(
                    dict(zip(years, frame[metric.population], strict=True))
                    if metric.population
                    else None
                ),
            )
        if town is not None:
            return Figures({}, None, "上报指标无镇街数据")
        key = indicator_key(target) if metric.kind == "query" else target.metric
        values = dict(self.indicators().get((plan.jurisdiction, key), {}))
        return Figures(values, None, f"上报指标 {plan.jurisdiction} › {key}")


@dataclass(frozen=True)
class Figures:
    """What a target is assessed on: the metric by year, its yearly flow (None: no separate flow), where
    it comes from, and how many firms it is about by year (None: not counted)."""

    values: dict[int, float]
    flows: dict[int, float] | None
    source: str
    population: dict[int, float] | None = None

    def applies(self, year: int) -> bool:
        return self.population is None or bool(self.population.get(year, 0))


def _schedule(plan: Plan, target: Target, town: str | None) -> dict[int, float] | None:
    """Yearly amounts the plan sets for a cumulative 三大工厂 target: 附件5's totals or a town's cells."""
    awards = target.params.get("awards")
    if target.metric != "award_count" or not isinstance(awards, list) or len(awards) != 1:
        return None
    award = awards[0]
    if town is None:
        schedule = {
            t.year: t.count for t in plan.quota_totals if t.award == award and t.year is not None
        }
    else:
        schedule = {q.year: q.count for q in plan.quotas if q.award == award and q.town == town}
    return schedule or None


def town_targets(plan: Plan, town: str) -> list[Target]:
    """A town's own targets: its 附件5 cells summed per award (the plan's other targets are district-wide)."""
    targets = []
    for award in sorted({q.award for q in plan.quotas}, key=THREE_FACTORIES.index):
        cells = [q for q in plan.quotas if q.award == award and q.town == town]
        total = sum(q.count for q in cells)
        if not cells:
            continue
        targets.append(
            Target(
                id=f"quota-{award}",
                metric="award_count",
                params={"awards": [award]},
                label=f"{town}{award}任务",
                target=total,
                unit="家",
                year=plan.end,
                direction="at_least",
                aggregate="cumulative",
                clause="附件5 各镇街（平台）提升发展任务分解表",
                quote=f"{town} {award} " + " / ".join(f"{q.year}年{q.count}个" for q in cells),
            )
        )
    return targets


def targets_for(plan: Plan, config: Config, town: str | None) -> list[Target]:
    if town is None:
        return list(plan.targets)
    chosen = town_targets(plan, town)
    for target in plan.targets:
        metric = config.metrics[target.metric]
        if plan.jurisdiction != config.district or metric.kind != "query":
            continue
        if target.unit in RATIO_UNITS or (target.direction == "at_most" and target.target == 0):
            chosen.append(target)
    return chosen


def evaluate(
    con: Connection,
    config: Config,
    as_of: int,
    plan_id: str | None = None,
    town: str | None = None,
) -> list[TargetProgress]:
    series = Series(con, config)
    plans = [
        plan
        for plan in config.plans
        if (plan_id is None or plan.id == plan_id)
        and (town is None or plan.jurisdiction == config.district)
    ]
    chosen = [(plan, target) for plan in plans for target in targets_for(plan, config, town)]
    series.prefetch(
        [r for plan, target in chosen if (r := series.request(plan, target, town)) is not None]
    )
    rows = []
    for plan, target in chosen:
        figures = series.for_target(plan, target, town)
        values, flows = figures.values, figures.flows
        result = assess(
            direction=target.direction,
            aggregate=target.aggregate,
            target=target.target,
            target_year=target.year,
            start=plan.start,
            as_of=as_of,
            values=values,
            flows=flows,
            base_year=target.base_year,
            base_period=target.base_period,
            schedule=_schedule(plan, target, town),
            lag_points=config.status.lag_points,
            stock=flows is None and config.metrics[target.metric].nature == "level",
        )
        if not figures.applies(result.eval_year):
            where = town or plan.jurisdiction
            result = Assessment(
                None,
                None,
                None,
                NOT_APPLICABLE,
                result.eval_year,
                f"{where}{result.eval_year}年没有该目标所指的企业，不适用",
            )
        shown = flows if target.aggregate in ("cumulative", "annual") and flows else values
        rows.append(
            TargetProgress(
                plan=plan.id,
                plan_short=plan.short,
                target_id=target.id,
                label=target.label,
                metric=target.metric,
                unit=target.unit,
                target=target.target,
                direction=target.direction,
                aggregate=target.aggregate,
                year=target.year,
                actual=result.actual,
                completion=result.completion,
                expected=result.expected,
                status=result.status,
                status_label=config.status.labels[result.status],
                eval_year=result.eval_year,
                basis=result.basis,
                clause=target.clause,
                quote=target.quote,
                note=target.note,
                source=figures.source,
                town=town,
                series={int(y): float(v) for y, v in sorted(shown.items()) if _present(v)},
            )
        )
    return rows


def to_frame(rows: list[TargetProgress]) -> pd.DataFrame:
    return pd.DataFrame([row.as_json() for row in rows])
