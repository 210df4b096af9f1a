"""Open the warehouse and run named queries from queries/*.sql with $named parameters.

plantrack.store is the only package that imports DuckDB (checked by ruff's banned-api rule); the rest
of the product holds a `Connection` it was given and calls these functions.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from plantrack.settings import QUERIES_DIR

# Text columns are held as Python strings, not Arrow ones (same `str` dtype, same behaviour). Our frames
# are small (towns, plans, one district's firms), and every Arrow call on them lets go of the interpreter
# lock: with many visitors at once each page then queued for the lock at every filter. Measured with
# `make bench` (concurrent visitors): see the README.
pd.set_option("mode.string_storage", "python")

# 2: the staging macros (queries/staging/); 3: stg_low_efficiency reads grades; 5: columns named for their
# unit (RENAMED); the macros of grade movement, honour holders, the 企业画像 indicators, 自评总分 and
# 低效企业 by town. (4 was the monthly figures' enterprise_months, on their branch); 6: enterprise_months;
# 7: stg_land (an enterprise's 用地面积 as of a year)
SCHEMA_VERSION = "7"
# Columns renamed since an older layout: (table, old name) → new name. Renamed before the schema is
# created, with the rows the import ledger saved for undo; the figures stay as they are.
RENAMED = {
    # 用电量 is in 万千瓦时, ten times an MWh
    ("enterprise_years", "electricity_mwh"): "electricity_wan_kwh",
    ("enterprise_months", "electricity_mwh"): "electricity_wan_kwh",  # a file of the monthly branch
}
# The staging layer: macros every query uses, created in the warehouse with the schema, in this order
# (each may use the ones before it). A macro cannot take $parameters, so the queries keep theirs and pass
# values in as macro arguments; the macros hold no CTE.
STAGING = [
    "staging/ratios",
    "staging/land",
    "staging/enterprise_years",
    "staging/low_efficiency",
    "staging/grade_movement",
    "staging/award_holders",
    "staging/profile_indicators",
    "staging/applications",
]

Connection = duckdb.DuckDBPyConnection
Error = duckdb.Error


@functools.cache
def load_sql(name: str) -> str:
    """queries/<name>.sql; `name` may name a folder, e.g. "metrics/award_count"."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"没有名为 {name} 的查询（应为 {path}）")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    """Every named result in queries/ (e.g. "town_indicators", "metrics/award_count"); the schema DDL,
    the staging macros (queries/staging/), the write statements (queries/write/) and queries/access/
    (the accounts file is SQLite: plantrack/store/accounts.py) excluded."""
    names = (
        p.relative_to(QUERIES_DIR).with_suffix("").as_posix() for p in QUERIES_DIR.rglob("*.sql")
    )
    return sorted(
        name
        for name in names
        if name != "schema" and not name.startswith(("write/", "staging/", "access/"))
    )


def run_query(
    con: duckdb.DuckDBPyConnection,
    name: str,
    relations: dict[str, pd.DataFrame] | None = None,
    **params,
) -> pd.DataFrame:
    """Run queries/<name>.sql. `relations` are frames the query reads by name (e.g. `grades`)."""
    with con.cursor() as cur:
        for relation, frame in (relations or {}).items():
            cur.register(relation, frame)
        return cur.execute(load_sql(name), params).df()


def materialise(
    con: duckdb.DuckDBPyConnection, table: str, name: str, temporary: bool = False, **params
) -> None:
    """Replace `table` with the result of queries/<name>.sql (a derived table, e.g. grades).
    `temporary`: a table of this connection only (allowed on a read-only database)."""
    if not table.isidentifier():  # a name, never a value: values always go in as $parameters
        raise ValueError(table)
    create = "create or replace temp table " if temporary else "create or replace table "
    con.execute(create + table + " as\n" + load_sql(name), params)


def append(con: duckdb.DuckDBPyConnection, table: str, name: str, **params) -> None:
    """Add the rows of queries/<name>.sql to `table` (a derived table written again in part), by column name."""
    if not table.isidentifier():  # a name, never a value
        raise ValueError(table)
    con.execute("insert into " + table + " by name\n" + load_sql(name), params)


def drop_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Drop `table` if it exists (a derived table of an older layout)."""
    if not table.isidentifier():  # a name, never a value
        raise ValueError(table)
    con.execute("drop table if exists " + table)


_readers_lock = threading.Lock()
KEPT_VERSIONS = 2  # versions a reader may still open by name (a run that began before an import)


class VersionGone(Exception):
    """The database version asked for was replaced, and no reader kept it: read the current one."""


def version_of(path: Path) -> tuple[int, int]:
    """Identifies one version of the file: an import replaces it atomically (new inode, new mtime)."""
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current version of `path`."""
    if not path.exists():
        raise FileNotFoundError(
            f"数据库文件不存在：{path}。请先运行 make run（会生成示例数据）或导入数据。"
        )
    while True:
        try:
            return connect_version(path, version_of(path))
        except VersionGone:  # replaced between the two looks: take the new one
            continue


def connect_version(path: Path, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    """A read-only connection to one version of `path` (see `version_of`).

    An import replaces the file atomically. DuckDB keeps one database instance per path in a process,
    so reopening the replaced file by its old name would return the old data: each version is opened
    under its own name instead, a hard link named after its inode and mtime in .readers/ beside the
    file. The newest KEPT_VERSIONS links are kept, so a page run that began on a version can still
    open it after an import; older ones are removed (open connections keep their version alive).
    """
    readers = path.parent / ".readers"
    ino, mtime = version
    link = readers / f"{path.stem}-{ino}-{mtime}{path.suffix}"
    with _readers_lock:
        if version_of(path) == version:
            try:
                readers.mkdir(exist_ok=True)
                if not link.exists():
                    os.link(path, link)
            except OSError:  # no hard links here (read-only folder, other file system): plain open
                return duckdb.connect(str(path), read_only=True)
            if os.stat(link).st_ino != ino:  # replaced while linking: the name would lie
                link.unlink(missing_ok=True)
                raise VersionGone(str(path))
            links = sorted(
                readers.glob(f"{path.stem}-*{path.suffix}"),
                key=lambda old: int(old.stem.rsplit("-", 1)[-1]),
            )
            for old in links[:-KEPT_VERSIONS]:
                if old != link:
                    old.unlink(missing_ok=True)  # open connections keep their version alive
        elif not link.exists():
            raise VersionGone(str(path))
        return duckdb.connect(str(link), read_only=True)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    migrate(con)
    # Several statements in one string: fine here, DDL takes no parameters.
    con.execute(load_sql("schema"))
    for name in STAGING:
        con.execute(load_sql(name))
    set_meta(con, "schema_version", SCHEMA_VERSION)
    from plantrack.model.reference import TOWNS

    towns = [
        {"town": name, "kind": kind, "has_quota": quota, "sort_order": order}
        for order, (name, kind, quota) in enumerate(TOWNS)
    ]
    con.execute(load_sql("write/seed_towns"), {"towns": towns})


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a file from an older plantrack to today's column names (RENAMED); nothing on a new file."""
    for (table, old), new in RENAMED.items():
        if old in set(run_query(con, "warehouse/table_columns", table_name=table)["column_name"]):
            # names, never values: values go in as $parameters
            if not (table.isidentifier() and old.isidentifier() and new.isidentifier()):
                raise ValueError((table, old, new))
            con.execute("alter table " + table + " rename column " + old + " to " + new)
            run_query(
                con, "write/rename_saved_column", table_name=table, old_name=old, new_name=new
            )


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(load_sql("write/set_meta"), {"key": key, "value": value})


@contextmanager
def writable(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


@contextmanager
def read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection (the CLI, the importer's look-ups), closed on exit."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def file_meta(path: Path) -> dict[str, str] | None:
    """The meta table of the file at `path`, read with DuckDB alone (no pandas: `make run` checks the
    demo database with it before anything heavy is loaded); None when the file cannot be read."""
    try:
        with read_only(path) as con:
            return dict(con.execute(load_sql("warehouse/meta")).fetchall())
    except duckdb.Error:
        return None


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    frame = run_query(con, "warehouse/meta")
    return dict(zip(frame["key"], frame["value"], strict=True))
