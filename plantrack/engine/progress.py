"""The progress engine: for an as-of year, each target's actual, 完成率, 序时进度 and status.

The rules are in docs/口径说明.md (shown in the app); plantrack.engine.rules.assess implements them on
plain numbers, `evaluate` feeds it from the warehouse — and takes a town's 三大工厂 cells from
plantrack.engine.quotas, the one route the 镇街任务 page and the deck use too.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields, replace

import pandas as pd

from plantrack.engine import quotas
from plantrack.engine.outlook import Outlook, project
from plantrack.engine.rules import Assessment, Rule, assess, present
from plantrack.model.reference import NOT_APPLICABLE, QUERY_CONSTANTS, THREE_FACTORIES
from plantrack.model.targets import Config, Plan, Target, indicator_key, query_parameters
from plantrack.store import db, derived
from plantrack.store.db import Connection

PREFETCH_THREADS = 4  # metric queries run side by side (2 cores; queries wait on I/O and DuckDB)
# a town's own 三大工厂 targets (附件5 cells), computed by plantrack.engine.quotas
QUOTA_PREFIX = "quota-"
RATIO_UNITS = {"万元/亩", "%", "万元/人", "吨标准煤/万元", "百分点"}


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
    outlook: Outlook | None = (
        None  # 还需多少、能否完成, for a target not yet due (engine/outlook.py)
    )

    def as_json(self) -> dict:
        data = asdict(self)
        data["series"] = {str(year): value for year, value in self.series.items()}
        data["outlook"] = self.outlook.as_json() if self.outlook else None
        return data


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
        if metric.kind == "query" and metric.query and plan.jurisdiction == self.config.district:
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
        reported = self.indicators().get((plan.jurisdiction, key), {})
        bounds = metric.bounds()
        breaches = {
            year: f"{year}年上报值 {value:g}{metric.unit} {reason}，未采用"
            for year, value in reported.items()
            if (reason := bounds.problem(value, metric.unit))
        }
        values = {year: value for year, value in reported.items() if year not in breaches}
        return Figures(values, None, f"上报指标 {plan.jurisdiction} › {key}", breaches=breaches)


@dataclass(frozen=True)
class Figures:
    """What a target is assessed on: the metric by year, its yearly flow (None: no separate flow), where
    it comes from, and how many firms it is about by year (None: not counted)."""

    values: dict[int, float]
    flows: dict[int, float] | None
    source: str
    population: dict[int, float] | None = None
    # implausible figures (outside the catalogue's bounds), left out with the reason
    breaches: dict[int, str] = field(default_factory=dict)

    def applies(self, year: int) -> bool:
        return self.population is None or bool(self.population.get(year, 0))


def _schedule(plan: Plan, target: Target) -> dict[int, float] | None:
    """Yearly amounts the plan sets for a district 三大工厂 target: 附件5's printed yearly totals."""
    awards = target.params.get("awards")
    if target.metric != "award_count" or not isinstance(awards, list) or len(awards) != 1:
        return None
    schedule = {
        t.year: float(t.count)
        for t in plan.quota_totals
        if t.award == awards[0] and t.year is not None
    }
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
                id=f"{QUOTA_PREFIX}{award}",
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
    plans = config.plans_in_view(plan_id, town)
    chosen = [(plan, target) for plan in plans for target in targets_for(plan, config, town)]
    series.prefetch(
        [
            request
            for plan, target in chosen
            if not (town and target.id.startswith(QUOTA_PREFIX))
            and (request := series.request(plan, target, town)) is not None
        ]
    )
    towns_cells = _town_quota_rows(con, config, plans, as_of, town)
    rows = []
    for plan, target in chosen:
        if (plan.id, target.id) in towns_cells:
            rows.append(_quota_progress(plan, target, towns_cells[(plan.id, target.id)], town))
            continue
        figures = series.for_target(plan, target, town)
        values, flows = figures.values, figures.flows
        rule = _rule_inputs(config, plan, target, flows)
        result = assess(
            **rule,
            as_of=as_of,
            values=values,
            flows=flows,
            schedule=_schedule(plan, target),
            lag_points=config.status.lag_points,
        )
        if result.status == "no_data" and figures.breaches:
            result = replace(
                result, basis=result.basis + "；" + "；".join(figures.breaches.values())
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
        row = _progress_row(
            plan,
            target,
            town,
            actual=result.actual,
            completion=result.completion,
            expected=result.expected,
            status=result.status,
            status_label=config.status.labels[result.status],
            eval_year=result.eval_year,
            basis=result.basis,
            source=figures.source,
            # up to the as-of year: a view as of a year never holds a later year's figure
            series={
                int(y): float(v) for y, v in sorted(shown.items()) if present(v) and y <= as_of
            },
        )
        row.outlook = _outlook(row, rule, as_of)
        rows.append(row)
    return rows


# what a target's row repeats of the plan's own words for it, under the same names
TARGET_WORDS = {column.name for column in fields(TargetProgress)} & set(Target.model_fields)


def _progress_row(plan: Plan, target: Target, town: str | None, **figures) -> TargetProgress:
    """A target's row: what the plan says, beside the figures the engine found."""
    said = target.model_dump(include=TARGET_WORDS)
    return TargetProgress(
        plan=plan.id, plan_short=plan.short, target_id=target.id, town=town, **said, **figures
    )


def _rule_inputs(config: Config, plan: Plan, target: Target, flows) -> Rule:
    """What chooses a target's rule (plantrack.engine.rules.kind), for its status (rules.assess) and
    its outlook (outlook.project)."""
    return {
        "direction": target.direction,
        "aggregate": target.aggregate,
        "target": target.target,
        "target_year": target.year,
        "start": plan.start,
        "base_year": target.base_year,
        "base_period": target.base_period,
        "stock": flows is None and config.metrics[target.metric].nature == "level",
        "linear_path": not config.metrics[target.metric].growth_rate,
    }


def _outlook(row: TargetProgress, rule: Rule, as_of: int) -> Outlook | None:
    if row.status in (NOT_APPLICABLE, "no_quota"):
        return None
    return project(**rule, as_of=as_of, unit=row.unit, series=row.series, actual=row.actual)


def _town_quota_rows(con, config, plans, as_of, town) -> dict[tuple[str, str], dict]:
    """A town's 三大工厂 cells through the one route (plantrack.engine.quotas), by (plan, target id)."""
    if town is None:
        return {}
    found = {}
    for plan in plans:
        if not plan.quotas:
            continue
        cells = quotas.cells(con, plan)
        fulfilled = quotas.fulfillment(cells[cells["town"] == town], plan, as_of, config.status)
        for row in fulfilled.to_dict("records"):
            found[(plan.id, f"{QUOTA_PREFIX}{row['award']}")] = row
    return found


def _quota_progress(plan: Plan, target: Target, cell: dict, town: str | None) -> TargetProgress:
    """A town's 三大工厂 cell as engine.quotas computed it (its outlook too: one route)."""
    return _progress_row(
        plan,
        target,
        town,
        actual=float(cell["awarded"]),
        completion=cell["completion"],
        expected=cell["expected"],
        status=cell["status"],
        status_label=cell["status_label"],
        eval_year=cell["eval_year"],
        basis=cell["basis"],
        source=f"queries/{quotas.QUERY}.sql › awarded_count",
        series=cell["series"],
        outlook=Outlook(**cell["outlook"]) if isinstance(cell["outlook"], dict) else None,
    )


def to_frame(rows: list[TargetProgress]) -> pd.DataFrame:
    return pd.DataFrame([row.as_json() for row in rows])
