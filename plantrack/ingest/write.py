"""Write a validated file into the warehouse, all rows or none: a copy of the database replaces it
atomically (plantrack.store.writer); the ledger keeps the file's sha256 and the rows it replaced
(undo); the original file is archived untouched (rebuild)."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from plantrack.ingest import archive, monthly
from plantrack.ingest.changes import TABLE_LABELS, Changes, in_words, summary, upsert
from plantrack.ingest.problems import Problem, Report
from plantrack.ingest.validate import parse
from plantrack.model.kinds import KIND_BY_LABEL, KINDS
from plantrack.model.targets import Config
from plantrack.store import db, derived
from plantrack.store.db import Connection
from plantrack.store.writer import replacing, writer_lock

DEMO_QUESTION = (
    "当前的数据库是示例数据（模拟）。导入真实数据将替换全部示例数据，只保留导入的数据；"
    "撤销这次导入可恢复示例数据。请确认是否替换示例数据"
)


def _enterprise_rows(con: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """enterprises from an 企业年度数据 file: the latest year's name, town and industry per code."""
    return db.run_query(
        con, "write/enterprises_from_years", relations={"incoming": frame}, park="定海工业园区"
    )


def import_file(
    path: Path,
    db_path: Path,
    config: Config,
    kind: str | None = None,
    dry_run: bool = False,
    replace_demo: bool = False,
    imported_by: str | None = None,
    original_name: str | None = None,
    sheet: str | None = None,
    on_commit: Callable[[Report], None] | None = None,
) -> Report:
    """Validate `path`; unless `dry_run`, write all its rows (or none) into `db_path`. `sheet`: the
    worksheet to read (needed when several look like data). `on_commit(report)` (the 导入 audit entry)
    runs in the step that commits the import, once every row is written and before the new file
    replaces the old: if it fails, nothing is imported, so no import goes without its entry."""
    name = original_name or path.name
    report = Report(file_name=name)
    chosen = None
    if kind:
        chosen = KINDS.get(kind) or KIND_BY_LABEL.get(kind)
        if chosen is None:
            report.problems.append(
                Problem.about_file(
                    f"未知的数据类型（可选：{'、'.join(f'{k.key}（{k.label}）' for k in KINDS.values())}）",
                    kind,
                )
            )
            return report
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.problems.append(Problem.about_file(f"无法读取文件：{exc.strerror or exc}"))
        return report
    report.sha256 = hashlib.sha256(data).hexdigest()

    meta, existing, previous = {}, set(), None
    if db_path.exists():
        with db.read_only(db_path) as con:
            meta = db.read_meta(con)
            existing = set(db.run_query(con, "warehouse/enterprise_codes")["credit_code"])
            ledger = db.run_query(con, "ledger/import_ledger")
            done = ledger[(ledger["sha256"] == report.sha256) & (ledger["outcome"] == "成功")]
            previous = done.iloc[-1] if not done.empty else None
    demo = meta.get("data_kind") == "demo"
    if demo:  # real data never mixes with the demo: it replaces it (validated as if on its own)
        existing, previous = set(), None

    parsed, problems = parse(path, data, config, chosen, existing, sheet)
    if problems:
        report.problems = problems
        return report
    report.kind = parsed.kind
    report.sheet = parsed.sheet
    report.notes = parsed.notes
    if parsed.kind.key == "monthly":
        stored = db_path.exists() and not demo  # a file imported onto the demo replaces it
        with db.read_only(db_path) if stored else nullcontext() as con:
            parsed.frame, problems, notes = monthly.prepare(con, parsed.frame, parsed.sheet)
        if problems:
            report.problems = problems
            return report
        report.notes = [*parsed.notes, *notes]
    report.rows = len(parsed.frame)
    if previous is not None:
        report.message = f"该文件（sha256 {report.sha256[:12]}…）已于 {previous['imported_at']:%Y-%m-%d %H:%M} 导入（第{previous['import_id']}次导入），本次未作改动。"
        return report
    if dry_run:
        report.message = f"校验通过：{report.rows} 行（试运行，未写入）。"
        return report
    if demo and not replace_demo:  # asked only once the file's own problems are known (none)
        report.asks_replace_demo = True
        report.problems.append(Problem.about_file(DEMO_QUESTION))
        return report

    with writer_lock(db_path):
        archive.clean_stale(db_path)
        if demo:  # kept, so that undoing this import brings the demo back
            archive.archive_dir(db_path).mkdir(parents=True, exist_ok=True)
            shutil.copy2(db_path, archive.demo_backup(db_path))
            report.replaced_demo = True
        try:
            with replacing(db_path, fresh=demo) as con:
                partial = _write(con, path, db_path, config, parsed, report, name, imported_by)
                if on_commit is not None:
                    on_commit(report)
        except BaseException:
            archive.discard(db_path, report.sha256)
            raise
        archived = archive.promote(
            partial
        )  # after the database: an archive always has its ledger entry
    report.written = True
    report.archived = archived.name
    report.message = (
        f"已导入 {report.rows} 行：新增 {report.added}，替换 {report.replaced}，不变 {report.unchanged}。"
        + (f"{report.summary}。" if report.summary else "")
        + f"原文件已存档（第{report.import_id}次导入，可撤销）。"
        + ("示例数据已被替换，撤销这次导入可恢复示例数据。" if report.replaced_demo else "")
    )
    return report


def _write(
    con: Connection,
    path: Path,
    db_path: Path,
    config: Config,
    parsed,
    report: Report,
    name: str,
    imported_by: str | None,
) -> Path:
    """The import's writes on the copy of the database; returns its archive file, written in full
    but not yet under its final name."""
    import_id = int(db.run_query(con, "write/next_import_id").iloc[0, 0])
    frame = parsed.frame
    tables: dict[str, Changes] = {}
    if parsed.kind.key == "enterprise_years":
        tables["enterprises"] = upsert(con, "enterprises", _enterprise_rows(con, frame), import_id)
        frame = frame.drop(columns=["name", "town", "industry"])
    elif parsed.kind.key == "monthly":  # again on the copy being written: what is stored now
        frame, problems, _ = monthly.prepare(con, frame, parsed.sheet)
        if problems:
            raise RuntimeError("；".join(problem.text() for problem in problems[:3]))
    elif parsed.kind.key in ("awards", "applications"):
        frame = frame.drop(columns=["name"])
        if parsed.kind.key == "applications":
            frame = frame.assign(
                veto=frame.get("veto", pd.Series(False, index=frame.index))
                .fillna(False)
                .astype(bool),
                score_bonus=frame.get("score_bonus", pd.Series(0.0, index=frame.index)).fillna(0.0),
            )
    main = tables[parsed.kind.table] = upsert(con, parsed.kind.table, frame, import_id)
    report.added, report.replaced, report.unchanged = main.added, main.replaced, main.unchanged
    report.changed_cells = sum(len(changes.cells) for changes in tables.values())
    report.renamed = [
        (old, new)
        for _, column, old, new in tables.get("enterprises", Changes()).cells
        if column == "name"
    ]
    report.summary = summary(tables)
    partial = archive.copy_in(path, db_path, report.sha256, parsed.kind.key, name)
    detail = json.dumps(
        {
            "新增": report.added,
            "替换": report.replaced,
            "不变": report.unchanged,
            "改动单元格": report.changed_cells,
            "企业新增": tables["enterprises"].added if "enterprises" in tables else 0,
            "企业信息变更": tables["enterprises"].replaced if "enterprises" in tables else 0,
            "更名": [f"{old}→{new}" for old, new in report.renamed],
            "存档": archive.final_name(partial),
            "存档sha256": report.sha256,
            "替换示例数据": report.replaced_demo,
            "说明": in_words(parsed.kind, tables),
        },
        ensure_ascii=False,
    )
    db.run_query(
        con,
        "write/record_import",
        import_id=import_id,
        file_name=name,
        sha256=report.sha256,
        kind=parsed.kind.key,
        row_count=report.rows,
        imported_by=imported_by or getpass.getuser(),
        outcome="成功",
        detail=detail,
    )
    db.set_meta(con, "data_kind", "real")
    changed = {parsed.kind.table}
    if parsed.kind.key == "enterprise_years":
        changed.add("enterprises")
    derived.refresh(con, config, changed)
    report.import_id = import_id
    return partial


def import_upload(name: str, data: bytes, db_path: Path, config: Config, **options) -> Report:
    """An uploaded file, imported as `import_file` does. The name the browser sent is the user's to see
    (report, ledger, archive) and is never part of a path: the bytes are staged under a fixed name in a
    private temporary folder, keeping only a plain suffix (it decides how the file is read)."""
    suffix = Path(name.replace("\\", "/")).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ""
    with tempfile.TemporaryDirectory(prefix="plantrack-upload-") as folder:
        staged = Path(folder) / f"upload{suffix}"
        staged.write_bytes(data)
        return import_file(staged, db_path, config, original_name=name, **options)


@dataclass(frozen=True)
class UndoPlan:
    """The import an undo would reverse now, and what undoing it restores, in words."""

    import_id: int
    file_name: str
    text: str
    restores_demo: bool


def _undoable(ledger: pd.DataFrame, import_id: int) -> None:
    """Raises ValueError (in words) unless `import_id` is the latest import still in effect."""
    if import_id in set(ledger.loc[ledger["kind"] == "plan", "import_id"]):
        raise ValueError(
            f"第{import_id}次是规划发布，请在「规划发布」页撤销（命令行：python -m plantrack plan undo {import_id}）"
        )
    active = ledger[(ledger["outcome"] == "成功") & (ledger["kind"] != "plan")]
    if import_id not in set(ledger["import_id"]):
        raise ValueError(f"没有第{import_id}次导入")
    if active.empty or int(active["import_id"].max()) != import_id:
        raise ValueError(
            f"只能撤销最近一次仍有效的导入（当前为第{int(active['import_id'].max())}次）"
            if not active.empty
            else "没有可撤销的导入"
        )


def _restores_demo(db_path: Path, ledger: pd.DataFrame, import_id: int) -> bool:
    """Whether undoing `import_id` puts the demo back: the import replaced it, its backup is kept,
    and nothing (no plan publication either) was written after it."""
    row = ledger[ledger["import_id"] == import_id].iloc[0]
    detail = json.loads(row["detail"]) if isinstance(row["detail"], str) else {}
    later = ledger[(ledger["import_id"] > import_id) & (ledger["outcome"] == "成功")]
    return (
        bool(detail.get("替换示例数据")) and archive.demo_backup(db_path).exists() and later.empty
    )


def undo_plan(db_path: Path) -> UndoPlan | None:
    """What the 数据导入 page offers to undo: the latest import still in effect, and what undoing it
    will restore (None when there is nothing to undo)."""
    if not db_path.exists():
        return None
    with db.read_only(db_path) as con:
        ledger = db.run_query(con, "ledger/import_ledger")
        active = ledger[(ledger["outcome"] == "成功") & (ledger["kind"] != "plan")]
        if active.empty:
            return None
        row = active.sort_values("import_id").iloc[-1]
        import_id = int(row["import_id"])
        changes = db.run_query(con, "ledger/import_changes_of", import_id=import_id)
    detail = json.loads(row["detail"]) if isinstance(row["detail"], str) else {}
    head = (
        f"撤销第{import_id}次导入（{row['file_name']}，{row['imported_by']} 于 "
        f"{pd.Timestamp(row['imported_at']):%Y-%m-%d %H:%M} 导入）："
    )
    restores_demo = _restores_demo(db_path, ledger, import_id)
    if restores_demo:
        text = "这次导入替换了示例数据。撤销后恢复为导入前的示例数据（模拟），导入的数据全部移除。"
    else:
        new = changes["old_json"].isna()
        parts = [
            f"删除这次新增的{TABLE_LABELS.get(table, table)} {count} 行"
            for table, count in changes[new]["table_name"].value_counts().items()
        ] + [
            f"{TABLE_LABELS.get(table, table)} {count} 行恢复为导入前的值"
            for table, count in changes[~new]["table_name"].value_counts().items()
        ]
        text = "；".join(parts) + "。" if parts else "这次导入没有改动数据。"
        if detail.get("替换示例数据"):
            text += (
                "这次导入替换了示例数据，但示例数据不会恢复（导入前的备份已不在，或之后又有发布）。"
            )
    return UndoPlan(import_id, str(row["file_name"]), head + text, restores_demo)


def undo(import_id: int, db_path: Path, config: Config) -> str:
    """Restore the rows an import replaced and remove the rows it added; an import that replaced the
    demo gives the demo back. Only the latest import that is still in effect can be undone (a later
    one may have changed the same rows)."""
    with db.read_only(db_path) as con:
        ledger = db.run_query(con, "ledger/import_ledger")
        changes = db.run_query(con, "ledger/import_changes_of", import_id=import_id)
    _undoable(ledger, import_id)
    row = ledger[ledger["import_id"] == import_id].iloc[0]
    with writer_lock(db_path):
        archive.clean_stale(db_path)
        restored = _restores_demo(db_path, ledger, import_id)
        if restored:
            os.replace(archive.demo_backup(db_path), db_path)
            archive.sync_folder(db_path.parent)
        else:
            _reverse(db_path, config, import_id, changes)
    for archived in archive.archive_dir(db_path).glob(f"*__{row['sha256'][:12]}__*"):
        if not archived.name.endswith(".undone") and not archived.name.startswith("."):
            archived.rename(archived.with_name(archived.name + ".undone"))
    return f"已撤销第{import_id}次导入（{row['file_name']}）" + (
        "，已恢复导入前的示例数据" if restored else ""
    )


def _reverse(db_path: Path, config: Config, import_id: int, changes: pd.DataFrame) -> None:
    """Delete what import `import_id` added and put back what it replaced, every table it touched
    (enterprises last: the other tables' rows name them)."""
    tables = sorted(set(changes["table_name"]), key=lambda table: table == "enterprises")
    with replacing(db_path, fresh=False) as con:
        for table in tables:
            part = changes[changes["table_name"] == table]
            keys = pd.DataFrame([json.loads(k) for k in part["key_json"]])
            db.run_query(con, f"write/delete_{table}", relations={"doomed": keys})
            old = [json.loads(o) for o in part["old_json"] if o is not None and o == o]
            if old:
                columns = list(
                    db.run_query(con, "warehouse/table_columns", table_name=table)["column_name"]
                )
                db.run_query(
                    con, f"write/upsert_{table}", relations={"incoming": pd.DataFrame(old)[columns]}
                )
        db.run_query(con, "write/mark_import", import_id=import_id, outcome="已撤销")
        derived.refresh(con, config, set(changes["table_name"]))


def rebuild(
    folder: Path, db_path: Path, config: Config, ledger: Path | None = None
) -> list[Report]:
    """A new warehouse from the archived files alone, in the order they were imported. Each file's
    sha256 is checked against the ledger of `ledger` (the database the archive belongs to, when it can
    still be read) or else against the 12 characters of it in the file's name; a file that does not
    match (a truncated copy) stops the rebuild before it is replayed."""
    if db_path.exists():
        raise FileExistsError(f"{db_path} 已存在：重建只写入新的数据库文件")
    from plantrack.ingest.plans import publish

    recorded = set()
    if ledger is not None and ledger.exists():
        with db.read_only(ledger) as con:
            recorded = set(db.run_query(con, "ledger/import_ledger")["sha256"])
    reports = []
    for archived in sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.endswith(".undone")
        and not p.name.startswith(".")
        and not publish.is_sidecar(p)
    ):
        parts = archived.name.split("__", 3)
        if len(parts) != 4:
            continue
        _, short, kind, original = parts
        actual = archive.file_sha256(archived)
        expected = next((sha for sha in recorded if sha.startswith(short)), None)
        if not actual.startswith(short) or (expected is not None and actual != expected):
            report = Report(file_name=archived.name, sha256=actual)
            report.problems.append(
                Problem.about_file(
                    f"存档文件校验失败：sha256 为 {actual[:12]}…，导入时记录的是 {expected or short}…"
                    "（文件不完整或被改动），已停止重建，未重放该文件"
                )
            )
            reports.append(report)
            break
        if (
            kind == publish.KIND
        ):  # a plan publication: replayed, with its reason, publisher and time
            report = _plan_report(publish.replay(archived, original, db_path, config))
        else:  # with the indicators declared by the plans published so far
            with _staged(archived, original) as staged:
                report = import_file(
                    staged,
                    db_path,
                    _with_plans(db_path, config),
                    kind=kind,
                    imported_by="rebuild",
                    original_name=original,
                )
        reports.append(report)
        if not report.ok:
            break
    return reports


def _with_plans(db_path: Path, config: Config) -> Config:
    """The config with the plans (and declared indicators) published into `db_path` so far."""
    if not db_path.exists():
        return config
    from plantrack.store import plans

    with db.read_only(db_path) as con:
        return plans.config_as_of(con, config)


def _plan_report(result) -> Report:
    report = Report(file_name=result.reading.file_name, sha256=result.sha256)
    report.problems = list(result.errors)
    report.written = result.written
    report.import_id = result.import_id
    report.message = result.message
    return report


@contextmanager
def _staged(archived: Path, original: str) -> Iterator[Path]:
    """The archived file under its original name (the suffix decides how it is read)."""
    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / original
        shutil.copyfile(archived, staged)
        yield staged
