"""Check a filled-in plan template against the plans already there, and preview it: what its targets
would show on the current data, and what it changes against the version in force. Writes nothing."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from plantrack.engine import progress
from plantrack.engine.progress import TargetProgress
from plantrack.ingest.plans.read import Reading, plan_column, read
from plantrack.ingest.problems import Problem
from plantrack.model import plan_sheets as sheets
from plantrack.model import plan_versions
from plantrack.model.plan_sheets import NEW, REVISE
from plantrack.model.plan_versions import Change, PlanVersion
from plantrack.model.targets import Config, Problems
from plantrack.model.targets import check as check_config
from plantrack.report import formatting
from plantrack.store import db, plans
from plantrack.store.db import Connection


@dataclass
class Check:
    reading: Reading
    sha256: str = ""
    version: PlanVersion | None = None  # the candidate, numbered as it would be published
    current: PlanVersion | None = None  # the version in force now (a revision)
    changes: list[Change] = field(default_factory=list)
    as_of: int | None = None  # the latest data year: the preview's 截至年度
    preview: list[TargetProgress] = field(default_factory=list)
    preview_current: dict[str, TargetProgress] = field(default_factory=dict)  # by target id
    demo: bool = False  # the warehouse holds demo data
    message: str = ""  # after publishing
    import_id: int | None = None
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        return self.reading.errors

    @property
    def warnings(self) -> list[Problem]:
        return self.reading.warnings

    @property
    def ok(self) -> bool:
        return not self.errors

    def heading(self) -> str:
        if self.version is None:
            return f"文件：{self.reading.file_name}"
        plan = self.version.plan
        what = "新规划" if self.current is None else f"调整（现行为{self.current.describe()}）"
        return (
            f"文件：{self.reading.file_name} · 规划「{plan.short}」（{plan.id}）· {what} · "
            f"发布后为第{self.version.version}版，{self.version.effective_year}年起生效"
        )

    def lines(self) -> list[str]:
        found = [self.heading()]
        if self.errors:
            found.append(f"发现 {len(self.errors)} 个问题，未发布：")
            found += [f"  {problem.text()}" for problem in self.errors]
        if self.warnings:
            found.append(f"提示（{len(self.warnings)} 条，不妨碍发布）：")
            found += [f"  {problem.text()}" for problem in self.warnings]
        if self.version is not None and self.current is not None:
            found.append(
                f"与现行第{self.current.version}版相比：{plan_versions.summary(self.changes)}"
            )
            found += [f"  {change.text()}" for change in self.changes]
        if self.version is not None and self.version.reason:
            found.append(f"调整原因：{self.version.reason}")
        if self.preview:
            found.append(f"预览（按截至{self.as_of}年的数据）：")
            for row in self.preview:
                before = self.preview_current.get(row.target_id)
                was = (
                    f"\t现行版本：目标 {formatting.number(before.target, before.unit)}，{before.status_label}"
                    if before is not None
                    else ("\t现行版本无此目标" if self.current is not None else "")
                )
                found.append(
                    f"  {row.label}\t目标 {formatting.number(row.target, row.unit)}（{row.year}年）"
                    f"\t实际 {formatting.number(row.actual, row.unit)}\t完成率 {formatting.share(row.completion)}"
                    f"\t序时 {formatting.share(row.expected)}\t{row.status_label}{was}"
                )
        if self.message:
            found.append(self.message)
        return found

    def as_json(self) -> dict:
        version = self.version
        return {
            "file": self.reading.file_name,
            "sha256": self.sha256,
            "ok": self.ok,
            "written": self.written,
            "import_id": self.import_id,
            "errors": [_problem_json(p) for p in self.errors],
            "warnings": [_problem_json(p) for p in self.warnings],
            "plan": None
            if version is None
            else {
                "id": version.plan_id,
                "short": version.plan.short,
                "title": version.plan.title,
                "action": "revise" if self.current is not None else "new",
                "version": version.version,
                "effective_year": version.effective_year,
                "reason": version.reason,
                "targets": len(version.plan.targets),
                "current_version": self.current.version if self.current else None,
            },
            "changes": [dataclasses.asdict(change) for change in self.changes],
            "as_of": self.as_of,
            "preview": [row.as_json() for row in self.preview],
            "message": self.message,
        }


def _problem_json(problem: Problem) -> dict:
    return dataclasses.asdict(problem) | {"text": problem.text()}


def check(
    path: Path,
    db_path: Path,
    config: Config,
    reason: str | None = None,
    original_name: str | None = None,
) -> Check:
    """Validate the template at `path` against targets.toml and the plans stored in `db_path`, and
    preview it on that warehouse's data. Writes nothing."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reading = Reading(file_name=original_name or path.name)
        reading.errors.append(Problem.about_file(f"无法读取文件：{exc.strerror or exc}"))
        return Check(reading)
    return against_warehouse(path, data, db_path, config, reason, original_name)[0]


def against_warehouse(
    path: Path,
    data: bytes,
    db_path: Path,
    config: Config,
    reason: str | None,
    original_name: str | None,
) -> tuple[Check, list[PlanVersion]]:
    """check_stored against the versions stored in `db_path` and previewed on its data (none and no
    preview before there is a warehouse), with the versions it was checked against."""
    if not db_path.exists():
        return check_stored(path, data, config, [], None, reason, original_name), []
    with db.read_only(db_path) as con:
        stored = plans.stored_versions(con)
        return check_stored(path, data, config, stored, con, reason, original_name), stored


def check_stored(
    path: Path,
    data: bytes,
    config: Config,
    stored: list[PlanVersion],
    con: Connection | None,
    reason: str | None = None,
    original_name: str | None = None,
) -> Check:
    """check(), given the stored versions and (for the preview) a connection to the warehouse."""
    catalogue = plan_versions.catalogue(config, stored)
    reading = read(path, data, catalogue, config.district, reason, original_name)
    result = Check(reading, sha256=hashlib.sha256(data).hexdigest())
    if reading.version is None or reading.errors:
        return result
    found = plan_versions.histories(config, stored)
    versions = found.get(reading.version.plan_id, [])
    result.current = plan_versions.in_force(versions) if reading.action == REVISE else None
    number = max((v.version for v in versions), default=0) + 1
    result.version = dataclasses.replace(reading.version, version=number)
    _against_stored(result, config, stored, versions)
    if result.errors:
        return result
    merged = plan_versions.as_of(config, stored, None, replace=result.version)
    problems = Problems()
    check_config(merged, problems)
    for error in problems.errors:
        reading.errors.append(Problem.about_file(error))
    if result.errors or con is None:
        return result
    years = [int(year) for year in db.run_query(con, "data_years")["year"]]
    meta = db.read_meta(con)
    result.demo = meta.get("data_kind") == "demo"
    result.as_of = years[-1] if years else None
    if result.as_of is not None:
        plan_id = result.version.plan_id
        result.preview = progress.evaluate(con, merged, result.as_of, plan_id)
        if result.current is not None:
            now = plan_versions.as_of(config, stored, None)
            result.preview_current = {
                row.target_id: row for row in progress.evaluate(con, now, result.as_of, plan_id)
            }
    return result


def _against_stored(
    result: Check, config: Config, stored: list[PlanVersion], versions: list[PlanVersion]
) -> None:
    """The rules that need the plans already there: a new plan's id is free, a revision revises the
    version in force and changes something, a declared indicator is new."""
    reading = result.reading
    candidate = result.version
    plan = candidate.plan

    def error(key: str, value: object, reason: str) -> None:
        row = reading.plan_rows.get(key)
        reading.errors.append(Problem(sheets.PLAN, row, plan_column(key), value, reason))

    def metric_error(metric_id: str, reason: str) -> None:
        row = reading.metric_rows.get(metric_id)
        column = sheets.field_name(sheets.METRICS, "id")
        reading.errors.append(Problem(sheets.METRICS, row, column, metric_id, reason))

    for metric_id in candidate.metrics:
        if metric_id in config.metrics:
            metric_error(
                metric_id,
                f"与指标目录中的「{config.metrics[metric_id].label}」编号相同：目录中的指标直接在「目标」表填写即可，"
                "新指标请换一个编号",
            )
            continue
        owner = next(
            (v for v in stored if not v.undone and metric_id in v.metrics and v.plan_id != plan.id),
            None,
        )
        if owner is not None:
            metric_error(
                metric_id,
                f"已由规划「{owner.plan.short}」声明：直接在「目标」表使用即可，或换一个编号",
            )
    live = plan_versions.active(versions)
    seeded = next((p for p in config.plans if p.id == plan.id), None)
    if reading.action == NEW:
        if seeded is not None:
            error(
                "id",
                plan.id,
                f"与系统预置的规划「{seeded.short}」编号相同：新规划请换一个编号；"
                f"若要调整该规划，请把“操作”改为“{REVISE}”并填写调整原因",
            )
        elif live:
            error(
                "id",
                plan.id,
                f"已有编号为 {plan.id} 的规划「{live[-1].plan.short}」（现行第{live[-1].version}版）："
                f"新规划请换一个编号；若要调整它，请把“操作”改为“{REVISE}”",
            )
        return
    if not live:
        error("id", plan.id, f"没有编号为 {plan.id} 的规划可以调整（新规划请把“操作”改为“{NEW}”）")
        return
    current = result.current
    if reading.based_on is not None and reading.based_on != current.version:
        error(
            "based_on",
            reading.based_on,
            f"本文件据第{reading.based_on}版修改，而现行为{current.describe()}：请导出现行版本后重新修改",
        )
    if candidate.effective_year < current.effective_year:
        error(
            "effective_year",
            candidate.effective_year,
            f"生效年度不能早于现行第{current.version}版的生效年度 {current.effective_year}",
        )
    result.changes = plan_versions.changes(current, candidate)
    if not result.changes and not reading.errors:
        reading.errors.append(
            Problem.about_file(f"与现行{current.describe()}完全相同，没有需要发布的调整")
        )
