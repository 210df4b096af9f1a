"""Publish a checked plan version, undo one, replay one from the archive (rebuild), and read a plan's
history. Publishing is a write like a data import: one writer at a time, a copy of the warehouse that
replaces it atomically (readers never see half a plan), an entry in the ledger, the file archived."""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from plantrack.ingest.archive import archive_dir
from plantrack.ingest.plans.check import Check, against_warehouse
from plantrack.ingest.problems import Problem
from plantrack.model import plan_versions
from plantrack.model.plan_versions import Entry
from plantrack.model.targets import Config, Problems
from plantrack.model.targets import check as check_config
from plantrack.store import db, plans
from plantrack.store.writer import replacing, writer_lock

KIND = "plan"  # the ledger's kind for a plan publication
SIDECAR = ".publish.json"  # beside an archived template: what the file itself does not say


class _Stale(Exception):
    """Another version of the plan was published between the check and the write."""


def publish(
    path: Path,
    db_path: Path,
    config: Config,
    reason: str | None = None,
    published_by: str | None = None,
    original_name: str | None = None,
    published_at: dt.datetime | None = None,
) -> Check:
    """Check the template at `path` and, when it passes, publish it into `db_path`: all or nothing."""
    data = path.read_bytes() if path.exists() else b""
    name = original_name or path.name
    with writer_lock(db_path):
        result, stored = against_warehouse(path, data, db_path, config, reason, name)
        if not result.ok:
            return result
        published_at = published_at or dt.datetime.now().replace(microsecond=0)
        archived: list[Path] = []
        try:
            with replacing(db_path, fresh=False) as con:
                again = [v.import_id for v in plans.stored_versions(con)]
                if again != [v.import_id for v in stored]:
                    raise _Stale
                import_id = int(db.run_query(con, "write/next_import_id").iloc[0, 0])
                version = dataclasses.replace(
                    result.version,
                    import_id=import_id,
                    published_at=published_at,
                    published_by=published_by or getpass.getuser(),
                    file_name=name,
                )
                detail = {
                    "规划": version.plan_id,
                    "简称": version.plan.short,
                    "版本": version.version,
                    "生效年度": version.effective_year,
                    "变动": plan_versions.summary(result.changes)
                    if result.current
                    else f"新规划，{len(version.plan.targets)} 个目标",
                }
                db.run_query(
                    con,
                    "write/record_publication",
                    import_id=import_id,
                    file_name=name,
                    sha256=result.sha256,
                    row_count=len(version.plan.targets),
                    imported_at=published_at,
                    imported_by=version.published_by,
                    detail=json.dumps(detail, ensure_ascii=False),
                )
                plans.store_version(con, version)
                archived = _archive(data, db_path, result.sha256, name, version)
        except _Stale:
            result.reading.errors.append(
                Problem.about_file("校验之后又有规划发布或撤销，请重新校验后再发布")
            )
            return result
        except BaseException:
            for file in archived:
                file.unlink(missing_ok=True)
            raise
    result.version = version
    result.import_id = import_id
    result.written = True
    result.message = (
        f"已发布规划「{version.plan.short}」第{version.version}版（{version.effective_year}年起生效），"
        f"第{import_id}次导入；原文件已存档：{archived[0].name}。"
        f"可用 python -m plantrack plan undo {import_id} 撤销。"
    )
    return result


def _archive(data: bytes, db_path: Path, sha: str, name: str, version) -> list[Path]:
    """The file as uploaded, and beside it what a rebuild needs that the file may not say (the reason
    given on the page or the command line, who published it and when). Each written atomically."""
    folder = archive_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    safe_name = re.sub(r'[\\/:*?"<>|]', "_", Path(name).name)
    target = folder / f"{stamp}__{sha[:12]}__{KIND}__{safe_name}"
    sidecar = target.with_name(target.name + SIDECAR)
    facts = {
        "reason": version.reason,
        "published_by": version.published_by,
        "published_at": version.published_at.isoformat(),
    }
    written = []
    for path, content in (
        (target, data),
        (sidecar, json.dumps(facts, ensure_ascii=False, indent=1).encode()),
    ):
        _write_atomically(path, content)
        written.append(path)
    return written


def _write_atomically(path: Path, content: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def replay(archived: Path, original: str, db_path: Path, config: Config) -> Check:
    """Publish an archived template again (rebuild), with the reason, publisher and time it had."""
    sidecar = archived.with_name(archived.name + SIDECAR)
    facts = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / original
        shutil.copyfile(archived, staged)
        return publish(
            staged,
            db_path,
            config,
            reason=facts.get("reason") or None,
            published_by=facts.get("published_by") or "rebuild",
            original_name=original,
            published_at=dt.datetime.fromisoformat(facts["published_at"])
            if facts.get("published_at")
            else None,
        )


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR) or path.name.endswith(SIDECAR + ".undone")


def undo(import_id: int, db_path: Path, config: Config) -> str:
    """Withdraw a published version: the plan goes back to the version before it (or away, for a
    plan's only version). Only a plan's latest version can be undone; the ledger keeps the entry."""
    if not db_path.exists():
        raise ValueError(f"数据库不存在：{db_path}")
    with db.read_only(db_path) as con:
        ledger = db.run_query(con, "ledger/import_ledger")
        stored = plans.stored_versions(con)
    entry = ledger[ledger["import_id"] == import_id]
    if entry.empty:
        raise ValueError(f"没有第{import_id}次导入或发布")
    row = entry.iloc[0]
    if row["kind"] != KIND:
        raise ValueError(f"第{import_id}次是数据导入，请用 python -m plantrack undo {import_id}")
    if row["outcome"] != "成功":
        raise ValueError(f"第{import_id}次发布已撤销")
    version = next(v for v in stored if v.import_id == import_id)
    versions = plan_versions.histories(config, stored)[version.plan_id]
    latest = plan_versions.active(versions)[-1]
    if latest.import_id != import_id:
        raise ValueError(
            f"只能撤销规划「{version.plan.short}」最近的一次发布（第{latest.import_id}次，第{latest.version}版）"
        )
    remaining = [dataclasses.replace(v, undone=True) if v is version else v for v in stored]
    problems = Problems()
    check_config(plan_versions.as_of(config, remaining), problems)
    if problems.errors:
        raise ValueError("撤销后其他规划将无法计算：" + "；".join(problems.errors))
    with writer_lock(db_path), replacing(db_path, fresh=False) as con:
        db.run_query(con, "write/mark_import", import_id=import_id, outcome="已撤销")
    for archived in archive_dir(db_path).glob(f"*__{row['sha256'][:12]}__{KIND}__*"):
        if not archived.name.endswith(".undone"):
            archived.rename(archived.with_name(archived.name + ".undone"))
    now = plan_versions.in_force(plan_versions.active(versions)[:-1])
    after = f"现行为{now.describe()}" if now else "该规划已移除"
    return f"已撤销第{import_id}次导入：规划「{version.plan.short}」第{version.version}版（{row['file_name']}）；{after}"


def history(plan_id: str, db_path: Path, config: Config) -> list[Entry]:
    """A plan's versions, oldest first, each with what it changed; KeyError for an unknown plan."""
    stored = []
    if db_path.exists():
        with db.read_only(db_path) as con:
            stored = plans.stored_versions(con)
    found = plan_versions.histories(config, stored)
    if plan_id not in found:
        raise KeyError(plan_id)
    return plan_versions.timeline(found[plan_id])


def history_lines(entries: list[Entry]) -> list[str]:
    lines = []
    for entry in entries:
        version = entry.version
        lines.append(
            f"第{version.version}版 · {entry.status} · {version.effective_year}年起生效 · "
            + (
                "随系统预置"
                if version.seeded
                else f"{version.published_at:%Y-%m-%d %H:%M} {version.published_by} 发布"
                f"（第{version.import_id}次导入，{version.file_name}）"
            )
        )
        lines.append(f"  规划：{version.plan.title}，{len(version.plan.targets)} 个目标")
        if version.reason:
            lines.append(f"  调整原因：{version.reason}")
        if entry.previous is not None:
            lines.append(
                f"  与第{entry.previous.version}版相比：{plan_versions.summary(entry.changes)}"
            )
            lines += [f"    {change.text()}" for change in entry.changes]
    return lines
