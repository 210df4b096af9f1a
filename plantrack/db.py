"""The only module that touches DuckDB: run named queries from queries/*.sql with $named parameters."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from plantrack.settings import QUERIES_DIR

SCHEMA_VERSION = "1"


@functools.cache
def load_sql(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"没有名为 {name} 的查询（应为 {path}）")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    """Every named result in queries/, schema DDL excluded."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql") if p.stem != "schema")


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


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise FileNotFoundError(
            f"数据库文件不存在：{path}。请先运行 make run（会生成示例数据）或导入数据。"
        )
    return duckdb.connect(str(path), read_only=True)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    # Several statements in one string: fine here, DDL takes no parameters.
    con.execute(load_sql("schema"))
    set_meta(con, "schema_version", SCHEMA_VERSION)


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(load_sql("write/set_meta"), {"key": key, "value": value})


@contextmanager
def writable(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    frame = run_query(con, "meta")
    return dict(zip(frame["key"], frame["value"], strict=True))
