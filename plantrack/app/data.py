"""Cached data for the pages: one read-only connection per database file version (an import
replaces the file, and the next run reads the new version without a restart), named query results,
the targets config, progress and the deck, each cached per data version. Nothing here knows SQL."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from plantrack import settings
from plantrack.model import targets
from plantrack.store import db, derived
from plantrack.store.db import Connection


def _stamp(path: Path) -> tuple[int, int]:
    """Identifies one version of the file: an import replaces it atomically (new inode, new mtime)."""
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: tuple[int, int]) -> Connection:
    return db.connect_read_only(Path(path))


@st.cache_resource(max_entries=4, show_spinner="正在升级数据库结构…")
def _upgraded(path: str, stamp: tuple[int, int]) -> bool:
    """A file from an older plantrack gets the current schema (the staging macros) once, atomically."""
    from plantrack.store import writer

    return writer.upgrade(Path(path))


def connection() -> tuple[Connection, tuple[int, int]]:
    path = settings.db_path()
    if not path.exists():
        st.error(
            f"找不到数据库 {path}。请在项目目录运行 `make run`（自动生成示例数据），"
            "或用 `python -m plantrack import 文件` 导入数据。"
        )
        st.stop()
    _upgraded(str(path), _stamp(path))  # a new version of the file (after an upgrade) is current
    stamp = _stamp(path)
    return _connection(str(path), stamp), stamp


@st.cache_data(max_entries=256, show_spinner=False)
def _query(name: str, stamp: tuple[int, int], params: tuple, derived_stamp: str) -> pd.DataFrame:
    con, _ = connection()
    reads = derived.reads(name)
    relations = {}
    if reads:
        computed = _derived_relations(stamp, config().model_dump_json())
        relations = {table: computed[table] for table in reads if table in computed}
    return db.run_query(con, name, relations=relations, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql on the current database, cached per file version. A query reading a derived
    table (grades, indicator_medians) reads the stored one, or one computed now if it is stale."""
    _, stamp = connection()
    loaded = loaded_config()
    derived_stamp = derived.stamp(loaded.config) if loaded.config is not None else ""
    return _query(name, stamp, tuple(sorted(params.items())), derived_stamp)


@st.cache_data(max_entries=8, show_spinner=False)
def _config(path: str, mtime: int) -> targets.Loaded:
    return targets.load(Path(path))


def loaded_config() -> targets.Loaded:
    path = settings.targets_path()
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    return _config(str(path), mtime)


def config() -> targets.Config:
    loaded = loaded_config()
    if loaded.config is None:
        st.error("规划目标文件 targets.toml 有错误，看板无法计算进度：")
        for problem in loaded.problems.errors:
            st.markdown(f"- {problem}")
        st.stop()
    return loaded.config


@st.cache_resource(max_entries=4, show_spinner="正在按当前数据与评价办法测算亩均档次…")
def _derived_relations(stamp: tuple[int, int], config_json: str) -> dict[str, pd.DataFrame]:
    """Nothing when the stored derived tables are current; else each computed now (an older file, or
    targets.toml has another grading method). A resource, not data: a province's grades are not copied
    on every use."""
    con, _ = connection()
    return derived.relations(con, targets.Config.model_validate_json(config_json))


def meta() -> dict[str, str]:
    frame = query("warehouse/meta")
    return dict(zip(frame["key"], frame["value"], strict=True))


def is_demo() -> bool:
    return meta().get("data_kind") == "demo"


def data_years() -> list[int]:
    return [int(year) for year in query("data_years")["year"]]


def as_of_year() -> int:
    """The as-of year chosen in the shared sidebar (app.py)."""
    years = data_years()
    return int(st.session_state.get("as_of_year") or (years[-1] if years else 2025))


@st.cache_data(max_entries=64, show_spinner=False)
def _progress(stamp: tuple[int, int], config_json: str, as_of: int, plan_id, town) -> pd.DataFrame:
    from plantrack.engine import progress

    con, _ = connection()
    rows = progress.evaluate(
        con, targets.Config.model_validate_json(config_json), as_of, plan_id, town
    )
    return progress.to_frame(rows)


def progress_frame(as_of: int, plan_id: str | None = None, town: str | None = None) -> pd.DataFrame:
    """Every target's progress (progress.evaluate) as a frame, cached per data version."""
    _, stamp = connection()
    return _progress(stamp, config().model_dump_json(), as_of, plan_id, town)


def warm_up() -> None:
    """Fill the caches the landing page (总览) reads, for the latest year: called by the server at
    start-up (plantrack.app.serve), so the first visitor finds them ready. Failures are left for the page
    to report."""
    try:
        years = data_years()
        if years:
            progress_frame(years[-1])
        for name, params in [("yearly_indicators", {"town": None}), ("grade_distribution", {})]:
            query(name, **params)
    except Exception:  # noqa: BLE001 — a missing or bad database is shown by the page itself
        pass


@st.cache_data(max_entries=16, show_spinner="正在生成汇报材料…")
def _deck(stamp: tuple[int, int], config_json: str, as_of: int, plans: tuple, town_names: tuple):
    from plantrack.report.deck import slides

    con, _ = connection()
    config = targets.Config.model_validate_json(config_json)
    return slides.build(con, config, as_of, list(plans) or None, list(town_names) or None)


def deck(as_of: int, plans: list[str], town_names: list[str]):
    """The briefing's slides for these choices, cached per data version."""
    _, stamp = connection()
    return _deck(stamp, config().model_dump_json(), as_of, tuple(plans), tuple(town_names))


def up_to_as_of(name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql's rows of the years up to the sidebar's 截至年度: the one place where a
    year-by-year result is cut at the as-of year."""
    frame = query(name, **params)
    return frame[frame["year"] <= as_of_year()]
