"""The archive beside the warehouse: every imported file kept untouched under a name that carries its
sha256 (rebuild replays them), written in full before its import commits and renamed after, and what
an import killed mid-way left behind cleaned up."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from pathlib import Path

from plantrack.store import db
from plantrack.store.writer import writer_lock


def archive_dir(db_path: Path) -> Path:
    """The archive beside the warehouse (data imports and plan publications alike)."""
    return db_path.parent / "archive"


def demo_backup(db_path: Path) -> Path:
    """The demo database as it was before the first real import replaced it (undo restores it)."""
    return archive_dir(db_path) / "示例数据_首次导入前.duckdb"


PARTIAL = ".partial"


def copy_in(path: Path, db_path: Path, sha: str, kind: str, name: str) -> Path:
    """The original file, copied in full and flushed to disk under a temporary name (.<name>.partial),
    its sha256 checked against the file's: `promote` gives it its name once the import is in."""
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


def final_name(partial: Path) -> str:
    return partial.name[1 : -len(PARTIAL)]


def promote(partial: Path) -> Path:
    target = partial.with_name(final_name(partial))
    os.replace(partial, target)
    sync_folder(target.parent)
    return target


def sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def discard(db_path: Path, sha: str) -> None:
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
        parts = final_name(partial).split("__", 3)
        full = next((sha for sha in imported if len(parts) == 4 and sha[:12] == parts[1]), None)
        if full is not None and file_sha256(partial) == full:
            promote(partial)
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
