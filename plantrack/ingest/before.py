"""The warehouse as it was before its latest data import: that import undone on a temporary copy (the
same undo as `python -m plantrack undo`), for 总览's 自上次导入以来. The database itself is never touched."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plantrack.ingest import write
from plantrack.model.targets import Config
from plantrack.store import db
from plantrack.store.db import Connection

DATA_KINDS = ("enterprise_years", "awards", "applications", "indicators")


def last_import(db_path: Path) -> dict | None:
    """The latest data import still in effect (its ledger row), or None."""
    with db.read_only(db_path) as con:
        ledger = db.run_query(con, "ledger/import_ledger")
    done = ledger[(ledger["outcome"] == "成功") & ledger["kind"].isin(DATA_KINDS)]
    return None if done.empty else done.sort_values("import_id").iloc[-1].to_dict()


@contextmanager
def before_last_import(db_path: Path, config: Config) -> Iterator[Connection | None]:
    """A read-only connection to a copy of the warehouse with its latest data import undone; None when
    no data import is in effect (a demo database, or only plan publications)."""
    row = last_import(db_path)
    if row is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="plantrack-before-") as folder:
        copy = Path(folder) / db_path.name
        shutil.copy2(db_path, copy)
        write.undo(int(row["import_id"]), copy, config)
        with db.read_only(copy) as con:
            yield con
