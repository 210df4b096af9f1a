"""Write a validated file into the warehouse, all rows or none: a copy of the database replaces it
atomically (plantrack.store.writer); the ledger keeps the file's sha256 and the rows it replaced
(undo); the original file is archived untouched (rebuild)."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import math
import numbers
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from plantrack.ingest.problems import Problem, Report
from plantrack.ingest.validate import parse
from plantrack.model.kinds import KIND_BY_LABEL, KINDS
from plantrack.model.targets import Config
from plantrack.store import db, derived
from plantrack.store.db import Connection
from plantrack.store.writer import replacing, writer_lock

TABLE_KEYS = {
    "enterprises": ("credit_code",),
    "enterprise_years": ("credit_code", "year"),
    "awards": ("credit_code", "award", "year"),
    "applications": ("credit_code", "year", "category"),
    "indicators": ("jurisdiction", "metric", "year"),
}


TABLE_LABELS = {
    "enterprises": "企业信息",
    "enterprise_years": "企业年度数据",
    "awards": "荣誉认定",
    "applications": "申报记录",
    "indicators": "上报指标",
}


def archive_dir(db_path: Path) -> Path:
    return db_path.parent / "archive"


@dataclass
class Changes:
    """What an import did to one table: rows added, replaced and unchanged, and every changed cell of
    the replaced rows (key, column, old value, new value)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    cells: list[tuple[dict, str, object, object]] = field(default_factory=list)


def _upsert(con: Connection, table: str, incoming: pd.DataFrame, import_id: int) -> Changes:
    """Insert or replace rows; columns the file does not have keep their old values. Returns what
    changed, and records in the ledger what import `import_id` added and replaced (undo restores it).

    New keys are handled in bulk (their ledger entry is just the key, written by DuckDB); only rows whose
    key already exists are compared one by one, to tell replaced from unchanged and keep the old row."""
    keys = list(TABLE_KEYS[table])
    current = db.run_query(con, f"write/current_{table}", relations={"incoming": incoming[keys]})
    full_columns = list(
        db.run_query(con, "warehouse/table_columns", table_name=table)["column_name"]
    )
    merged = incoming.copy()
    if not current.empty:
        merged = incoming.merge(current, on=keys, how="left", suffixes=("", "__old"))
        for column in full_columns:
            if column in keys:
                continue
            if column in incoming.columns:
                continue
            merged[column] = merged[column] if column in merged.columns else None
        merged = merged[[c for c in merged.columns if not c.endswith("__old")]]
    for column in full_columns:
        if column not in merged.columns:
            merged[column] = None
    merged = merged[full_columns]
    if current.empty:
        exists = pd.Series(False, index=merged.index)
    else:
        exists = (
            merged[keys]
            .merge(current[keys].assign(__exists=True), on=keys, how="left")["__exists"]
            .fillna(False)
            .astype(bool)
            .set_axis(merged.index)
        )
    added = int((~exists).sum())
    if added:
        db.run_query(
            con,
            "write/record_added",
            relations={"new_keys": merged.loc[~exists, keys]},
            import_id=import_id,
            table_name=table,
        )
    old_by_key = {tuple(row[k] for k in keys): row for row in current.to_dict("records")}
    changes = Changes(added=added)
    kept = []
    for row in merged[exists].to_dict("records"):
        key = tuple(row[k] for k in keys)
        old = old_by_key[key]
        differ = [column for column, value in row.items() if _differs(old.get(column), value)]
        if not differ:
            changes.unchanged += 1
        else:
            changes.replaced += 1
            named = dict(zip(keys, key, strict=True))
            changes.cells += [(named, column, old.get(column), row[column]) for column in differ]
            kept.append(
                {
                    "table_name": table,
                    "key_json": json.dumps(
                        dict(zip(keys, key, strict=True)), ensure_ascii=False, default=str
                    ),
                    "old_json": json.dumps(old, ensure_ascii=False, default=str),
                }
            )
    if kept:
        db.run_query(
            con,
            "write/record_changes",
            relations={"changes": pd.DataFrame(kept)},
            import_id=import_id,
        )
    if added:
        db.run_query(con, f"write/insert_{table}", relations={"incoming": merged[~exists]})
    if added < len(merged):
        db.run_query(con, f"write/upsert_{table}", relations={"incoming": merged[exists]})
    return changes


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def _differs(before: object, after: object) -> bool:
    """Whether a cell changed: a value that becomes empty (or empty that gets a value) is a change;
    numbers compare with a relative tolerance of 1e-9."""
    if _missing(before) or _missing(after):
        return _missing(before) != _missing(after)
    numeric = (numbers.Number,)
    if (
        isinstance(before, numeric)
        and isinstance(after, numeric)
        and not isinstance(before, bool)
        and not isinstance(after, bool)
    ):
        before, after = float(before), float(after)
        if math.isinf(before) or math.isinf(after):
            return before != after
        return abs(after - before) > 1e-9 * max(1.0, abs(after))
    return before != after


def _summary(tables: dict[str, Changes]) -> str:
    """Changed cells per table, and renamed enterprises by name, for the report."""
    parts = []
    for table, changes in tables.items():
        if changes.cells:
            parts.append(f"{TABLE_LABELS[table]}改动 {len(changes.cells)} 个单元格")
    renamed = [
        f"{old}→{new}" for _, column, old, new in tables.get("enterprises", Changes()).cells
        if column == "name"
    ]  # fmt: skip
    if renamed:
        shown = "、".join(renamed[:10]) + (f" 等 {len(renamed)} 家" if len(renamed) > 10 else "")
        parts.append(f"更名 {len(renamed)} 家：{shown}")
    return "；".join(parts)


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
    if demo and not replace_demo and not dry_run:
        report.problems.append(
            Problem.about_file(
                f"目标数据库 {db_path} 是示例数据，不能与真实数据混在一起。请用 --db 指定新的数据库，或加 --replace-demo 以空库替换示例数据"
            )
        )
        return report
    if demo and replace_demo:
        existing, previous = set(), None

    parsed, problems = parse(path, data, config, chosen, existing, sheet)
    if problems:
        report.problems = problems
        return report
    report.kind = parsed.kind
    report.sheet = parsed.sheet
    report.notes = parsed.notes
    report.rows = len(parsed.frame)
    if previous is not None:
        report.message = f"该文件（sha256 {report.sha256[:12]}…）已于 {previous['imported_at']:%Y-%m-%d %H:%M} 导入（第{previous['import_id']}次导入），本次未作改动。"
        return report
    if dry_run:
        report.message = f"校验通过：{report.rows} 行（试运行，未写入）。"
        return report

    with writer_lock(db_path):
        clean_stale(db_path)
        try:
            with replacing(db_path, fresh=demo and replace_demo) as con:
                partial = _write(con, path, db_path, config, parsed, report, name, imported_by)
                if on_commit is not None:
                    on_commit(report)
        except BaseException:
            _discard(db_path, report.sha256)
            raise
        archived = _promote(partial)  # after the database: an archive always has its ledger entry
    report.written = True
    report.message = (
        f"已导入 {report.rows} 行：新增 {report.added}，替换 {report.replaced}，不变 {report.unchanged}。"
        + (f"{report.summary}。" if report.summary else "")
        + f"原文件已存档：{archived.name}（第{report.import_id}次导入，"
        f"可用 python -m plantrack undo {report.import_id} 撤销）"
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
        tables["enterprises"] = _upsert(con, "enterprises", _enterprise_rows(con, frame), import_id)
        frame = frame.drop(columns=["name", "town", "industry"])
    elif parsed.kind.key in ("awards", "applications"):
        frame = frame.drop(columns=["name"])
        if parsed.kind.key == "applications":
            frame = frame.assign(
                veto=frame.get("veto", pd.Series(False, index=frame.index))
                .fillna(False)
                .astype(bool),
                score_bonus=frame.get("score_bonus", pd.Series(0.0, index=frame.index)).fillna(0.0),
            )
    main = tables[parsed.kind.table] = _upsert(con, parsed.kind.table, frame, import_id)
    report.added, report.replaced, report.unchanged = main.added, main.replaced, main.unchanged
    report.changed_cells = sum(len(changes.cells) for changes in tables.values())
    report.renamed = [
        (old, new) for _, column, old, new in tables.get("enterprises", Changes()).cells
        if column == "name"
    ]  # fmt: skip
    report.summary = _summary(tables)
    partial = _archive(path, db_path, report.sha256, parsed.kind.key, name)
    detail = json.dumps(
        {
            "新增": report.added,
            "替换": report.replaced,
            "不变": report.unchanged,
            "改动单元格": report.changed_cells,
            "企业新增": tables["enterprises"].added if "enterprises" in tables else 0,
            "企业信息变更": tables["enterprises"].replaced if "enterprises" in tables else 0,
            "更名": [f"{old}→{new}" for old, new in report.renamed],
            "存档": _final_name(partial),
            "存档sha256": report.sha256,
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


PARTIAL = ".partial"


def _archive(path: Path, db_path: Path, sha: str, kind: str, name: str) -> Path:
    """The original file, copied in full and flushed to disk under a temporary name (.<name>.partial),
    its sha256 checked against the file's: `_promote` gives it its name once the import is in."""
    folder = archive_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    safe_name = re.sub(r'[\x00-\x1f\\/:*?"<>|]', "_", name)[-100:]  # a name, never a path
    partial = folder / f".{stamp}__{sha[:12]}__{kind}__{safe_name}{PARTIAL}"
    with open(path, "rb") as source, open(partial, "wb") as target:
        shutil.copyfileobj(source, target)
        target.flush()
        os.fsync(target.fileno())
    if file_sha256(partial) != sha:
        partial.unlink(missing_ok=True)
        raise OSError(
            f"存档文件 {partial.name} 与导入的文件不一致（磁盘已满或文件在导入中被改动？）"
        )
    return partial


def _final_name(partial: Path) -> str:
    return partial.name[1 : -len(PARTIAL)]


def _promote(partial: Path) -> Path:
    target = partial.with_name(_final_name(partial))
    os.replace(partial, target)
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _discard(db_path: Path, sha: str) -> None:
    for partial in archive_dir(db_path).glob(f".*__{sha[:12]}__*{PARTIAL}"):
        partial.unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def clean_stale(db_path: Path) -> list[Path]:
    """What an import killed mid-way (kill -9, power cut) left behind: its copy of the database (and
    DuckDB's WAL beside it) is removed; a complete archive file not yet renamed is kept when the
    ledger has its import (the kill fell between the two), removed otherwise. Call it holding the
    writer lock (no import is running then). Returns the files removed."""
    removed = [*db_path.parent.glob(f".{db_path.name}.import-*")]
    partials = sorted(archive_dir(db_path).glob(f".*{PARTIAL}"))
    imported = set()
    if partials and db_path.exists():
        with db.read_only(db_path) as con:
            ledger = db.run_query(con, "ledger/import_ledger")
        imported = set(ledger.loc[ledger["outcome"] == "成功", "sha256"])
    for partial in partials:
        parts = _final_name(partial).split("__", 3)
        full = next((sha for sha in imported if len(parts) == 4 and sha[:12] == parts[1]), None)
        if full is not None and file_sha256(partial) == full:
            _promote(partial)
        else:
            removed.append(partial)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def clean_at_start(db_path: Path) -> list[Path]:
    """clean_stale when the server starts, unless an import is running right now (it would then do it
    at its end, or the next import will)."""
    try:
        with writer_lock(db_path, wait_seconds=0):
            return clean_stale(db_path)
    except TimeoutError:
        return []


def undo(import_id: int, db_path: Path, config: Config) -> str:
    """Restore the rows an import replaced and remove the rows it added. Only the latest import that is
    still in effect can be undone (a later one may have changed the same rows)."""
    with db.read_only(db_path) as con:
        ledger = db.run_query(con, "ledger/import_ledger")
        changes = db.run_query(con, "ledger/import_changes_of", import_id=import_id)
    if import_id in set(ledger.loc[ledger["kind"] == "plan", "import_id"]):
        raise ValueError(
            f"第{import_id}次是规划发布，请用 python -m plantrack plan undo {import_id}"
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
    row = ledger[ledger["import_id"] == import_id].iloc[0]
    with writer_lock(db_path):
        clean_stale(db_path)
        with replacing(db_path, fresh=False) as con:
            for table in [
                "enterprise_years",
                "awards",
                "applications",
                "indicators",
                "enterprises",
            ]:
                part = changes[changes["table_name"] == table]
                if part.empty:
                    continue
                keys = pd.DataFrame([json.loads(k) for k in part["key_json"]])
                db.run_query(con, f"write/delete_{table}", relations={"doomed": keys})
                old = [json.loads(o) for o in part["old_json"] if o is not None and o == o]
                if old:
                    frame = pd.DataFrame(old)
                    columns = list(
                        db.run_query(con, "warehouse/table_columns", table_name=table)[
                            "column_name"
                        ]
                    )
                    db.run_query(
                        con, f"write/upsert_{table}", relations={"incoming": frame[columns]}
                    )
            db.run_query(con, "write/mark_import", import_id=import_id, outcome="已撤销")
            derived.refresh(con, config, set(changes["table_name"]))
    for archived in archive_dir(db_path).glob(f"*__{row['sha256'][:12]}__*"):
        if not archived.name.endswith(".undone") and not archived.name.startswith("."):
            archived.rename(archived.with_name(archived.name + ".undone"))
    return f"已撤销第{import_id}次导入（{row['file_name']}）"


def rebuild(
    archive: Path, db_path: Path, config: Config, ledger: Path | None = None
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
        for p in archive.iterdir()
        if p.is_file()
        and not p.name.endswith(".undone")
        and not p.name.startswith(".")
        and not publish.is_sidecar(p)
    ):
        parts = archived.name.split("__", 3)
        if len(parts) != 4:
            continue
        _, short, kind, original = parts
        actual = file_sha256(archived)
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
