"""The thin Streamlit adapter: one cached connection per database file version, cached results, the
shared sidebar and the 示例数据 banner. Pages call these; nothing here knows SQL."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from plantrack import db, derived, settings, targets
from plantrack.serve import disable_v1_pages_folder

disable_v1_pages_folder()


def _stamp(path: Path) -> tuple[int, int]:
    """Identifies one version of the file: an import replaces it atomically (new inode, new mtime)."""
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    return db.connect_read_only(Path(path))


def connection() -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
    path = settings.db_path()
    if not path.exists():
        st.error(
            f"找不到数据库 {path}。请在项目目录运行 `make run`（自动生成示例数据），"
            "或用 `python -m plantrack import 文件` 导入数据。"
        )
        st.stop()
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
    frame = query("meta")
    return dict(zip(frame["key"], frame["value"], strict=True))


def is_demo() -> bool:
    return meta().get("data_kind") == "demo"


def data_years() -> list[int]:
    return [int(year) for year in query("data_years")["year"]]


def sample_banner() -> None:
    if is_demo():
        st.warning(
            "**示例数据**：当前看板展示的是程序生成的模拟数据（企业、数值、荣誉均为虚构），"
            "仅用于演示，不代表定海区实际情况。导入局里的真实数据后，本提示消失。",
            icon=":material/science:",
        )


def as_of_year() -> int:
    """The as-of year chosen in the shared sidebar (app.py)."""
    years = data_years()
    return int(st.session_state.get("as_of_year") or (years[-1] if years else 2025))


@st.cache_data(max_entries=64, show_spinner=False)
def _progress(stamp: tuple[int, int], config_json: str, as_of: int, plan_id, town) -> pd.DataFrame:
    from plantrack import progress

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
    start-up (plantrack.serve), so the first visitor finds them ready. Failures are left for the page
    to report."""
    try:
        years = data_years()
        if years:
            progress_frame(years[-1])
        for name, params in [("yearly_indicators", {"town": None}), ("grade_distribution", {})]:
            query(name, **params)
    except Exception:  # noqa: BLE001 — a missing or bad database is shown by the page itself
        pass


def quota_warnings() -> None:
    """数据口径提示: where the plans disagree with themselves (shown, never fatal)."""
    for warning in loaded_config().problems.warnings:
        st.info(f"**数据口径提示**：{warning}", icon=":material/info:")


# --- filter state in the URL: a link reproduces the view; a bad parameter falls back with a notice ----


def _bad_parameter(param: str, raw: str) -> None:
    st.session_state.setdefault("_bad_url_params", []).append(f"{param}={raw}")


def bad_parameter_notice() -> None:
    bad = st.session_state.pop("_bad_url_params", [])
    if bad:
        st.toast(f"链接中的参数 {'、'.join(bad)} 无效，已改用默认值。", icon=":material/link_off:")


def url_choice(param: str, key: str, options: list, default):
    """Initialise widget `key` from ?param= when valid (else `default`, with a notice); call before
    the widget is drawn, then `remember(param, key)` after it."""
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    value = default
    if raw is not None:
        match = [option for option in options if str(option) == raw]
        if match:
            value = match[0]
        else:
            _bad_parameter(param, raw)
    st.session_state[key] = value


def url_choices(param: str, key: str, options: list, default: list):
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    value = list(default)
    if raw is not None:
        parts = [part for part in raw.split(",") if part]
        known = {str(option): option for option in options}
        if parts and all(part in known for part in parts):
            value = [known[part] for part in parts]
        elif raw != "":
            _bad_parameter(param, raw)
        else:
            value = []
    st.session_state[key] = value


def url_text(param: str, key: str, default: str = "", max_length: int = 100):
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    if raw is not None and len(raw) > max_length:
        _bad_parameter(param, raw[:20] + "…")
        raw = None
    st.session_state[key] = raw if raw is not None else default


def url_number(param: str, key: str, default: float, low: float, high: float):
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    value = default
    if raw is not None:
        try:
            value = float(raw)
            if not low <= value <= high:
                raise ValueError
        except ValueError:
            _bad_parameter(param, raw)
            value = default
    st.session_state[key] = value


def remember(param: str, key: str) -> None:
    """Write widget `key`'s value back to the URL."""
    value = st.session_state.get(key)
    text = (
        ",".join(map(str, value))
        if isinstance(value, list)
        else ""
        if value is None
        else str(value)
    )
    if st.query_params.get(param) != text:
        st.query_params[param] = text


def xlsx_download(
    label: str,
    sheets: dict[str, pd.DataFrame | Callable[[], pd.DataFrame]],
    notes: dict[str, str],
    filename: str,
    key: str,
) -> None:
    """An Excel download built only when clicked (a big table would otherwise be written on every rerun).
    A sheet may be a function: the full result is then queried only for the download."""
    from plantrack import exports

    notes = {"数据": "示例数据（模拟）" if is_demo() else "区经信局导入数据", **notes}

    def build() -> bytes:
        frames = {name: sheet() if callable(sheet) else sheet for name, sheet in sheets.items()}
        return exports.xlsx_bytes(frames, notes)

    st.download_button(
        label,
        data=build,
        file_name=f"{exports.safe_filename(filename)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def chart(fig, key: str, container=None) -> None:
    """A plotly chart with PNG/SVG/PDF downloads, rendered on the server only when clicked; the file
    name is the chart's title (which says what and when), e.g. 镇街赛马排名（截至2024年）.png."""
    from plantrack import exports, images

    container = container or st
    filename = exports.safe_filename(fig.layout.title.text or key)
    container.plotly_chart(
        fig,
        key=key,
        config={"toImageButtonOptions": {"filename": filename, "scale": 2}, "displaylogo": False},
    )
    reason = images.problem()
    with container.popover("导出图片", icon=":material/download:"):
        st.caption(reason or "16:9 版式，PNG 为 3200×1800，可直接贴入汇报材料")
        for fmt in images.FORMATS:
            st.download_button(
                f"下载 {fmt.upper()}",
                data=lambda fmt=fmt: images.render(fig, fmt),
                file_name=f"{filename}.{fmt}",
                mime=images.FORMATS[fmt],
                key=f"{key}_{fmt}",
                on_click="ignore",
                disabled=reason is not None,
                icon=":material/download:",
            )


def table(
    frame: pd.DataFrame,
    key: str,
    name: str,
    notes: dict[str, str] | None = None,
    container=None,
    full: Callable[[], pd.DataFrame] | None = None,
    total: int | None = None,
    **kwargs,
) -> None:
    """A table with an Excel download beside it (numbers stay numbers; 说明 sheet with the filters).
    When `frame` is the first rows of `total`, `full` gives all of them for the download."""
    from contextlib import nullcontext

    with container if container is not None else nullcontext():
        st.dataframe(frame, hide_index=True, key=key, **kwargs)
        if total is not None and total > len(frame):
            st.caption(f"表中显示前 {len(frame):,} 行（共 {total:,} 行）；完整结果请下载 Excel。")
        notes = {"截至年度": f"{as_of_year()}年", **(notes or {})}
        xlsx_download("下载 Excel", {name[:31]: full or frame}, notes, name, f"{key}_xlsx")


@st.cache_data(max_entries=16, show_spinner="正在生成汇报材料…")
def _deck(stamp: tuple[int, int], config_json: str, as_of: int, plans: tuple, town_names: tuple):
    from plantrack import briefing

    con, _ = connection()
    config = targets.Config.model_validate_json(config_json)
    return briefing.build(con, config, as_of, list(plans) or None, list(town_names) or None)


def deck(as_of: int, plans: list[str], town_names: list[str]):
    """The briefing's slides for these choices, cached per data version."""
    _, stamp = connection()
    return _deck(stamp, config().model_dump_json(), as_of, tuple(plans), tuple(town_names))
