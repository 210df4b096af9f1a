"""One writer at a time, and writes that readers never see half-done: a writable copy of the database
replaces the file atomically on success."""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from plantrack.store import db, derived


@contextmanager
def writer_lock(db_path: Path, wait_seconds: float = 120) -> Iterator[None]:
    """One writer at a time (readers never wait: they keep reading the old file)."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("另一个导入正在进行，请稍后再试") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def replacing(db_path: Path, fresh: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the database (or a fresh one) that replaces it atomically on success."""
    tmp = db_path.with_name(f".{db_path.name}.import-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        if db_path.exists() and not fresh:
            shutil.copy2(db_path, tmp)
        con = duckdb.connect(str(tmp))
        try:
            derived.drop_outdated(
                con
            )  # an older file's derived tables may lack what the macros read
            db.create_schema(con)
            con.execute("begin transaction")
            yield con
            con.execute("commit")
            con.execute("checkpoint")
        except BaseException:
            con.execute("rollback") if con else None
            raise
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def upgrade(db_path: Path) -> bool:
    """Bring a warehouse written by an older plantrack up to this schema (e.g. the staging macros of
    queries/staging/), by the same atomic copy-and-replace as an import, under the writer lock. Data stay
    as they are. Returns whether the file was upgraded."""
    if not _outdated(db_path):
        return False
    with writer_lock(db_path):
        if not _outdated(db_path):  # another process upgraded it while this one waited
            return False
        with replacing(db_path, fresh=False):
            pass
    return True


def _outdated(db_path: Path) -> bool:
    meta = db.file_meta(db_path) if db_path.exists() else None
    return meta is not None and meta.get("schema_version") != db.SCHEMA_VERSION
