"""Cached data for the pages: one read-only connection per database file version (an import
replaces the file, and the next run reads the new version without a restart), named query results,
the targets config, progress and the deck, each cached per data version. Nothing here knows SQL.

Results are shared by every session (plantrack.app.shared, as `st.cache_resource` shares them but
found by a plain look-up), not copied out of a pickle on each use (`st.cache_data`): with many
visitors at once, unpickling frames and the config was most of a warm page's time. A caller gets a
shallow copy of a shared frame; under pandas' copy-on-write, changing it never changes the shared
one."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from plantrack import settings
from plantrack.app import digests, session
from plantrack.app.shared import shared
from plantrack.model import targets
from plantrack.model.roles import SMALL_CELL_FIRMS
from plantrack.report.formatting import plain
from plantrack.store import db, derived
from plantrack.store.db import Connection

_held = threading.local()  # this_run's dict, per thread: (run context, its coordinator, the dict)


@shared(max_entries=db.KEPT_VERSIONS)
def _connection(path: str, stamp: tuple[int, int]) -> Connection:
    return db.connect_version(Path(path), stamp)


def begin_run() -> None:
    """app.py calls this first on every run: the run reads the database version current now, from
    start to end (an import that replaces the file mid-run is seen from the next run on)."""
    st.session_state.pop("_run", None)
    _held.run = None


def this_run() -> dict:
    """What stays fixed for one run (the database version and its connection, the targets file's version,
    the data's facts): asked for many times in every run, looked up once. Kept in the session (a
    fragment rerunning alone reads its page's), and held by the thread for this run (the session's
    state is behind a lock: some 30 asks a run). A run is known by its context's per-run coordinator."""
    ctx = get_script_run_ctx()
    coordinator = getattr(ctx, "parallel_coordinator", None)
    held = getattr(_held, "run", None)
    if held is not None and ctx is not None and held[0] is ctx and held[1] is coordinator:
        return held[2]
    run = st.session_state.setdefault("_run", {})
    _held.run = (ctx, coordinator, run)
    return run


_schema_current: set[tuple[str, tuple[int, int]]] = set()  # versions upgraded or found current


@st.cache_resource(max_entries=4, show_spinner="正在升级数据库结构…")
def _upgraded(path: str, stamp: tuple[int, int]) -> bool:
    """A file from an older plantrack gets the current schema (the staging macros) once, atomically."""
    from plantrack.store import writer

    return writer.upgrade(Path(path))


def connection() -> tuple[Connection, tuple[int, int]]:
    """The connection to this run's version of the database, and the version."""
    path = str(settings.db_path())
    run = this_run()
    if run.get("db") is not None and run["db"][0] == path:
        return run["db"][1], run["db"][2]
    if not Path(path).exists():
        st.error(
            f"找不到数据库 {path}。请在项目目录运行 `make run`（自动生成示例数据），"
            "或用 `python -m plantrack import 文件` 导入数据。"
        )
        st.stop()
    stamp = db.version_of(Path(path))
    if (path, stamp) not in _schema_current:  # an older file gets the staging macros: a new version
        _upgraded(path, stamp)
        stamp = db.version_of(Path(path))
        _schema_current.add((path, stamp))
    try:
        con = _connection(path, stamp)
    except db.VersionGone:  # two imports since the version was read: start again on the current one
        st.rerun()
    run["db"] = (path, con, stamp)
    return con, stamp


def _at(stamp: tuple[int, int]) -> Connection:
    """The connection to version `stamp` (cached by `connection()`, which the callers ran first)."""
    return _connection(str(settings.db_path()), stamp)


@shared(max_entries=256)
def _query(
    name: str, stamp: tuple[int, int], params: tuple, derived_stamp: str, _targets: tuple[str, int]
) -> pd.DataFrame:
    """`_targets` is the (path, mtime) of the targets file that `derived_stamp` names (not hashed)."""
    con = _at(stamp)
    reads = derived.reads(name)
    relations = {}
    if reads:
        config = _config(*_targets).config
        computed = _derived_relations(stamp, config.model_dump_json())
        relations = {table: computed[table] for table in reads if table in computed}
    return db.run_query(con, name, relations=relations, **dict(params))


@functools.cache
def _parameters(name: str) -> frozenset[str]:
    """The $parameters of queries/<name>.sql, read once per process (asked on every query)."""
    return frozenset(targets.query_parameters(name))


def viewer_town() -> str | None:
    """The town this session's enterprise rows are limited to (None: every town)."""
    return session.viewer_town(demo=is_demo())


@dataclass(frozen=True)
class Reader:
    """What one page run reads with, fixed while the page runs: the database version, the targets file's
    version and the viewer's town restriction (or why the viewer may not read enterprise rows).

    A download button given a function builds its file later, in a worker thread where the session
    is empty: the page hands that function its run's Reader, so the file holds what the page's viewer
    may see, and nothing in the worker reads the session."""

    stamp: tuple[int, int]
    targets: tuple[str, int]
    viewer_town: str | None
    denied: str | None = None  # set: the viewer reads no enterprise rows (NotAllowed, this message)

    def query(self, name: str, **params) -> pd.DataFrame:
        """queries/<name>.sql on this run's database version, cached per file version. A query
        reading a derived table (grades, indicator_medians, yearly_summary) reads the stored one, or
        one computed now if it is stale.

        A query with enterprise-level rows takes `$viewer_town`: it is set here from the login
        (plantrack.app.session), never by the caller, and a viewer without the right reads nothing."""
        if "viewer_town" in params or "min_firms" in params:
            raise ValueError("viewer_town、min_firms 只能由数据层设置")
        if "viewer_town" in _parameters(name):
            if self.denied is not None:
                raise session.NotAllowed(self.denied)
            params["viewer_town"] = self.viewer_town
            if "min_firms" in _parameters(name):
                params["min_firms"] = SMALL_CELL_FIRMS
        derived_stamp = _derived_stamp(*self.targets)
        key = (name, self.stamp, tuple(sorted(params.items())), derived_stamp)
        frame = _query(*key, self.targets)
        return digests.handed_out(frame, "query", *key)

    def deck(self, config: targets.Config, as_of: int, plans: list[str], town_names: list[str]):
        """The briefing's slides for these choices, cached per data version and per viewer: a 镇街
        user's deck lists only its own town's enterprises."""
        if self.denied is not None:
            raise session.NotAllowed(self.denied)
        return _deck(
            self.stamp,
            config.model_dump_json(),
            as_of,
            tuple(plans),
            tuple(town_names),
            self.viewer_town,
        )


def reader() -> Reader:
    """This run's Reader (resolved once per run, from the session)."""
    run = this_run()
    if run.get("reader") is None:
        _, stamp = connection()
        try:
            town, denied = viewer_town(), None
        except session.NotAllowed as exc:
            town, denied = None, str(exc)
        run["reader"] = Reader(stamp, _targets_version(), town, denied)
    return run["reader"]


def query(name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql as this run's viewer may read it (Reader.query)."""
    return reader().query(name, **params)


@shared(max_entries=8)
def _config(path: str, mtime: int) -> targets.Loaded:
    """The targets file, read once per version of the file and shared (the models are frozen)."""
    return targets.load(Path(path))


@shared(max_entries=8)
def _derived_stamp(path: str, mtime: int) -> str:
    """Names the grading method of the targets file's version: a derived table stamped otherwise is stale."""
    loaded = _config(path, mtime)
    return derived.stamp(loaded.config) if loaded.config is not None else ""


def _targets_version() -> tuple[str, int]:
    """(path, mtime) of the targets file as this run began: an edit is read from the next run on."""
    run = this_run()
    path = settings.targets_path()
    if run.get("targets") is None or run["targets"][0] != str(path):
        run["targets"] = (str(path), path.stat().st_mtime_ns if path.exists() else 0)
    return run["targets"]


def loaded_config() -> targets.Loaded:
    return _config(*_targets_version())


def base_config() -> targets.Config:
    """The targets file alone (the seeded plans, the catalogue, the grading method)."""
    loaded = loaded_config()
    if loaded.config is None:
        st.error("规划目标文件有错误，看板无法计算进度（请系统管理员按下列提示修改）：")
        for problem in loaded.problems.errors:
            st.markdown(f"- {plain(problem)}")
        st.stop()
    return loaded.config


@shared(max_entries=16)
def _config_as_of(
    path: str, mtime: int, stamp: tuple[int, int], year: int | None
) -> tuple[targets.Config, list[str]]:
    """(the config as of `year`, problems): the published plans checked with the targets file's rules
    again, as the targets file may have changed since they were published."""
    from plantrack.store import plans

    con, _ = connection()
    merged = plans.config_as_of(con, base_config(), year)
    problems = targets.Problems()
    if merged is not base_config():
        targets.check(merged, problems)
    return merged, problems.errors


def config(as_of: int | None = None) -> targets.Config:
    """The plans as of `as_of` (default: the sidebar's 截至): the targets file's, and those published
    from the plan template, each in the version in force for that year; cached per the targets file and
    database version, so a publication shows on the next run, without a restart. Frozen: share it."""
    base_config()
    _, stamp = connection()
    year = as_of if as_of is not None else as_of_year()
    merged, problems = _config_as_of(*_targets_version(), stamp, year)
    if problems:  # shown, and the seeded plans kept: one bad publication never stops the dashboard
        st.warning(
            "已发布的规划与当前的规划目标文件不一致，暂只显示预置规划。请在「规划发布」页撤销或重新发布：\n\n"
            + "\n".join(f"- {plain(problem)}" for problem in problems[:10]),
            icon=":material/warning:",
        )
        return base_config()
    return merged


@shared(max_entries=4)
def _plan_histories(path: str, mtime: int, stamp: tuple[int, int]):
    from plantrack.model import plan_versions
    from plantrack.store import plans

    con, _ = connection()
    return plan_versions.histories(base_config(), plans.stored_versions(con))


def plan_histories():
    """Every plan's versions, oldest first (plantrack.model.plan_versions.histories)."""
    _, stamp = connection()
    return _plan_histories(*_targets_version(), stamp)


@st.cache_resource(max_entries=4, show_spinner="正在按当前数据与评价办法测算亩均档次…")
def _derived_relations(stamp: tuple[int, int], config_json: str) -> dict[str, pd.DataFrame]:
    """Nothing when the stored derived tables are current; else each computed now (an older file, or
    the targets file has another grading method). A resource, not data: a province's grades are not copied
    on every use."""
    con = _at(stamp)
    return derived.relations(con, targets.Config.model_validate_json(config_json))


@shared(max_entries=db.KEPT_VERSIONS)
def _facts(stamp: tuple[int, int]) -> tuple[MappingProxyType, tuple[int, ...]]:
    """(meta, data years) of a version: read on nearly every call of every page, so kept apart."""
    con = _at(stamp)
    meta = db.run_query(con, "warehouse/meta")
    years = db.run_query(con, "data_years")["year"]
    return (
        MappingProxyType(dict(zip(meta["key"], meta["value"], strict=True))),
        tuple(int(year) for year in years),
    )


def _run_facts() -> tuple[MappingProxyType, tuple[int, ...]]:
    _, stamp = connection()
    run = this_run()
    if run.get("facts") is None or run["facts"][0] != stamp:
        run["facts"] = (stamp, _facts(stamp))
    return run["facts"][1]


def meta() -> MappingProxyType:
    return _run_facts()[0]


def is_demo() -> bool:
    return meta().get("data_kind") == "demo"


def data_years() -> list[int]:
    return list(_run_facts()[1])


def as_of_choices() -> list[int | str]:
    """What the shared 截至 picker (app.py) offers, latest first: the months of the monthly data after the
    last year of annual data ("2026-10": the current year, which annual data cannot show yet), then
    the years of annual data (2025)."""
    _, stamp = connection()
    return list(_as_of_choices(stamp))


@shared(max_entries=db.KEPT_VERSIONS)
def _as_of_choices(stamp: tuple[int, int]) -> tuple[int | str, ...]:
    years = _facts(stamp)[1]
    last = years[-1] if years else 0
    months = [f"{year}-{month:02d}" for year, month in _months(stamp) if year > last]
    return (*months, *reversed(years))


def as_of_month() -> tuple[int, int] | None:
    """The month chosen in the shared 截至 picker, or None when a year is chosen."""
    chosen = st.session_state.get("as_of_year")
    if isinstance(chosen, str) and len(chosen) == 7:
        return int(chosen[:4]), int(chosen[5:])
    return None


def as_of_year() -> int:
    """The year of annual data the pages read, from the shared 截至 picker (app.py): the year chosen, or,
    when a month is chosen, the last year of annual data before it (annual views stay as they are)."""
    years = data_years()
    month = as_of_month()
    if month is not None:
        earlier = [year for year in years if year <= month[0]]
        return earlier[-1] if earlier else month[0]
    return int(st.session_state.get("as_of_year") or (years[-1] if years else 2025))


def as_of_words() -> str:
    """The 截至 of the pages in words: 截至2026年10月 (a month chosen) or 截至2025年."""
    month = as_of_month()
    return f"截至{month[0]}年{month[1]}月" if month else f"截至{as_of_year()}年"


@shared(max_entries=64)
def _progress(
    stamp: tuple[int, int], targets_version: tuple, as_of: int, plan_id, town, _config
) -> pd.DataFrame:
    """`_config` is config(as_of), which the other arguments name (it is not hashed: that costs)."""
    from plantrack.engine import progress

    rows = progress.evaluate(_at(stamp), _config, as_of, plan_id, town)
    return progress.to_frame(rows)


def progress_frame(as_of: int, plan_id: str | None = None, town: str | None = None) -> pd.DataFrame:
    """Every target's progress (progress.evaluate) as a frame, cached per data and targets version."""
    _, stamp = connection()
    plans = config(as_of)
    key = (stamp, _targets_version(), as_of, plan_id, town)
    shared = _progress(*key, plans)
    return digests.handed_out(shared, "progress", *key)


def warm_up() -> None:
    """Fill the caches the landing page (总览) reads, for the latest year: called by the server at
    start-up (plantrack.app.serve), so the first visitor finds them ready. Failures are left for the page
    to report."""
    try:
        years = data_years()
        if years:
            progress_frame(years[-1])
        # outside any page run there is no session: the landing page's results as a viewer of every
        # town reads them (an internal cache; each page run still reads with its own viewer's Reader)
        _, stamp = connection()
        everyone = Reader(stamp, _targets_version(), viewer_town=None)
        for name, params in [("yearly_indicators", {"town": None}), ("grade_distribution", {})]:
            everyone.query(name, **params)
    except Exception:  # noqa: BLE001 — a missing or bad database is shown by the page itself
        pass


@st.cache_data(max_entries=16, show_spinner="正在生成汇报材料…")
def _deck(
    stamp: tuple[int, int], config_json: str, as_of: int, plans: tuple, town_names: tuple, viewer
):
    from plantrack.report.deck import slides

    con = _at(stamp)
    config = targets.Config.model_validate_json(config_json)
    return slides.build(
        con, config, as_of, list(plans) or None, list(town_names) or None, viewer_town=viewer
    )


def deck(as_of: int, plans: list[str], town_names: list[str]):
    """The briefing's slides for these choices, as this run's viewer may read them (Reader.deck)."""
    return reader().deck(config(as_of), as_of, plans, town_names)


def up_to_as_of(name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql's rows of the years up to the sidebar's 截至年度: the one place where a
    year-by-year result is cut at the as-of year."""
    return computed(_up_to, query(name, **params), as_of_year())


def _up_to(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame[frame["year"] <= year]


@shared(max_entries=512)
def _computed(key: bytes, _fn, _args, _kwargs):
    return _fn(*_args, **_kwargs)


def computed(fn, *args, **kwargs):
    """fn(*args, **kwargs) once for the same inputs, and shared by every session: the pure work a page
    does on query results (a figure, a reshaped frame). With many visitors at once, building plotly
    figures and reshaping frames was most of a warm page's time. A frame comes back as a shallow copy
    (changing it never changes the shared one); a figure is never changed (st.plotly_chart and the image
    export copy it)."""
    key = digests.of([(fn.__module__, fn.__qualname__), list(args), kwargs])
    result = _computed(key, fn, args, kwargs)
    if isinstance(result, pd.DataFrame):
        return digests.handed_out(result, "computed", key)
    return result


@shared(max_entries=256)
def _versioned(stamp: tuple[int, int], targets_version: tuple, name: tuple, args: tuple, _fn):
    return _fn(*args)


def versioned(fn, *args):
    """fn(*args) once per database version, the targets file version and `args` (plain values: numbers,
    text), and shared by every session: for what depends on the plans and the data alone (a plan's
    history), never on the viewer — enterprise rows are read through query(), whose key has the
    viewer's town."""
    _, stamp = connection()
    return _versioned(stamp, _targets_version(), (fn.__module__, fn.__qualname__), args, fn)


@shared(max_entries=8)
def _warning_rules(path: str, mtime: int):
    """warnings.toml, read once per version of the file: (rules or None, problems)."""
    from plantrack.model import warning_rules

    return warning_rules.load(Path(path))


def warning_rules():
    """The 预警 rules and the problems of warnings.toml (shown by the page, never fatal)."""
    path = settings.warnings_path()
    return _warning_rules(str(path), path.stat().st_mtime_ns if path.exists() else 0)


def data_months() -> list[tuple[int, int]]:
    """The months of the monthly data, latest first: (year, month)."""
    _, stamp = connection()
    return list(_months(stamp))


@shared(max_entries=db.KEPT_VERSIONS)
def _months(stamp: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    span = db.run_query(_at(stamp), "warnings/month_span")  # no enterprise rows: read by any viewer
    return tuple(
        (int(row.year), month)
        for row in span.sort_values("year", ascending=False).itertuples()
        for month in range(int(row.last_month), 0, -1)
    )


@shared(max_entries=32, spinner="正在判断预警…")
def _warnings(
    stamp, config_key: bytes, rules_key: bytes, year: int, month: int, viewer, _config, _rules
):
    """`_config` and `_rules` (frozen, shared) are named by their digests."""
    from plantrack.engine import warnings

    con = _at(stamp)
    config = _config
    grades = _derived_relations(stamp, base_config().model_dump_json()).get("grades")
    found = warnings.evaluate(
        con,
        config,
        _rules,
        year,
        month,
        viewer_town=viewer,
        grades=grades,
    )
    return pd.DataFrame(
        [w.as_json() for w in found], columns=list(warnings.Warning.__annotations__)
    )


def warnings_as_of(rules, year: int, month: int) -> pd.DataFrame:
    """Every warning at `year`-`month` this session may see (a 镇街 user: its own town's firms, and
    every town's totals), shared per data version, rules and viewer."""
    _, stamp = connection()
    viewer = viewer_town()
    plans = config(year)
    key = (stamp, digests.of(plans), digests.of(rules), year, month, viewer)
    frame = _warnings(*key, plans, rules)
    return digests.handed_out(frame, "warnings", *key)


@shared(max_entries=16)
def _in_year(stamp, config_key: bytes, year: int, month: int, _config) -> pd.DataFrame:
    from plantrack.engine import in_year

    rows = in_year.evaluate(_at(stamp), _config, year, month)
    return pd.DataFrame(
        [row.as_json() for row in rows], columns=list(in_year.InYear.__annotations__)
    )


def in_year_progress(year: int, month: int) -> pd.DataFrame:
    """This year's district targets after `month` months (年内进度), shared per data version."""
    _, stamp = connection()
    plans = config(year)
    key = (stamp, digests.of(plans), year, month)
    frame = _in_year(*key, plans)
    return digests.handed_out(frame, "in year", *key)


@shared(max_entries=32)
def _year_to_date(stamp, year: int, month: int, town) -> MappingProxyType:
    from plantrack.engine import in_year

    return MappingProxyType(in_year.indicators(_at(stamp), year, month, town))


def year_to_date(year: int, month: int, town: str | None = None) -> MappingProxyType:
    """规上 1—N月累计 of the district or one town (in_year.indicators: 累计税收, 同比, 亩均税收 折全年),
    shared per data version. Totals of a town, which every user may see, as on 镇街任务."""
    _, stamp = connection()
    return _year_to_date(stamp, year, month, town)


def month_in_view() -> tuple[int, int] | None:
    """The month whose monthly figures a page shows beside the annual ones: the month chosen in the
    shared 截至 picker, or, with the latest year of annual data chosen, the latest month after it;
    None otherwise (an earlier year chosen, or no monthly data)."""
    chosen = as_of_month()
    if chosen is not None:
        return chosen
    months = data_months()
    years = data_years()
    if months and (not years or as_of_year() == years[-1]) and months[0][0] > as_of_year():
        return months[0]
    return None


def own_plans(as_of: int):
    """The 本区 plans at `as_of`, in force first (plantrack.engine.leadership.own_plans)."""
    from plantrack.engine import leadership

    return leadership.own_plans(config(as_of), as_of)


def fulfilled(plan, as_of: int) -> pd.DataFrame:
    """A quota plan's town × award cells to `as_of` (plantrack.engine.quotas, the one route)."""
    from plantrack.engine import quotas

    cells = query(quotas.QUERY, quotas=quotas.quota_param(plan))
    return computed(quotas.fulfillment, cells, plan, as_of, config(as_of).status)


def warnings(as_of: int) -> pd.DataFrame:
    """预警 at `as_of` (plantrack.engine.leadership.warnings): 总览's list, the deck's 需重点推进. The
    same for every viewer (district figures), shared per data and targets version."""
    _, stamp = connection()
    key = (stamp, _targets_version(), as_of)
    shared = _plan_warnings(*key)
    return digests.handed_out(shared, "plan warnings", *key)


@shared(max_entries=16)
def _plan_warnings(stamp: tuple[int, int], targets_version: tuple, as_of: int) -> pd.DataFrame:
    from plantrack.engine import leadership

    selection = own_plans(as_of)
    cells = {plan.id: fulfilled(plan, as_of) for plan in selection.in_force if plan.quotas}
    return computed(leadership.warnings, progress_frame(as_of), cells, selection)


@st.cache_resource(max_entries=8, show_spinner="正在比较最近一次导入前后的数据…")
def _since(path: str, stamp: tuple[int, int], targets_version: tuple, as_of: int, viewer, _config):
    from plantrack.engine import changes
    from plantrack.ingest import before

    row = before.last_import(Path(path))
    if row is None:
        return None, []
    with before.before_last_import(Path(path), _config) as old:
        return row, changes.since(old, _at(stamp), _config, as_of, viewer)


def since_last_import(as_of: int):
    """(the latest data import's ledger row, what it changed at `as_of`: plantrack.engine.changes), once
    per data version and viewer; (None, []) when no data import is in effect."""
    _, stamp = connection()
    return _since(
        str(settings.db_path()), stamp, _targets_version(), as_of, viewer_town(), config(as_of)
    )
