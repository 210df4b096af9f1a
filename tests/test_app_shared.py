"""What the server shares between sessions (issue 17: many visitors at once): query results and
figures are computed once and shared, so each must be safe to share. A caller that changes its frame
never changes another's; a figure is shared only with a caller whose inputs are the same, cell for
cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from plantrack.app import digests
from tests.apptest import traces


def _changes_then_reads_again():
    import streamlit as st

    from plantrack.app import data

    first = data.query("data_years")
    st.session_state["before"] = first["year"].tolist()
    first["year"] = 0  # a page that reuses a column name
    first.loc[first.index[0], "extra"] = "x"
    again = data.query("data_years")
    st.session_state["after"] = again["year"].tolist()
    st.session_state["columns"] = list(again.columns)
    st.session_state["same_object"] = first is again


def test_a_changed_query_result_never_reaches_the_next_caller(app_env):
    at = AppTest.from_function(_changes_then_reads_again, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.session_state["before"], "fixture database has years"
    assert at.session_state["after"] == at.session_state["before"]
    assert at.session_state["columns"] == ["year"]
    assert not at.session_state["same_object"]


def _draws_twice():
    import pandas as pd

    from plantrack.app import widgets
    from plantrack.report import charts

    frame = pd.DataFrame({"year": [2023, 2024], "v": [1.5, 2.5]})
    changed = frame.assign(v=[1.5, 2.6])
    for name, shown in [("a", frame), ("b", frame.copy()), ("c", changed)]:
        widgets.chart(charts.yearly_line, shown, "v", "指标", "万元", "标题", key=name)


def test_a_figure_is_drawn_once_for_the_same_inputs_and_again_for_other_data():
    at = AppTest.from_function(_draws_twice, default_timeout=60).run()
    assert not at.exception, at.exception
    specs = {
        element.proto.id.rsplit("-", 1)[-1]: element.proto.spec
        for element in at.get("plotly_chart")
    }
    assert specs["a"] == specs["b"]  # equal frames, not the same object: one figure
    assert specs["a"] != specs["c"]
    assert traces(at, "a")[0]["y"] == [1.5, 2.5]
    assert traces(at, "c")[0]["y"] == [1.5, 2.6]


def test_frames_are_told_apart_by_every_cell_even_past_streamlits_sampling():
    """Streamlit hashes a frame of 50,000 rows or more from a sample; ours reads every row."""
    rows = 60_000
    frame = pd.DataFrame(
        {"code": [f"c{i}" for i in range(rows)], "value": np.arange(rows, dtype=float)}
    )
    other = frame.copy()
    other.loc[rows - 7, "value"] = -1.0
    assert digests.of(frame) == digests.of(frame.copy())
    assert digests.of(frame) != digests.of(other)
    assert digests.of(frame) != digests.of(frame.rename(columns={"value": "v"}))


def test_unhashable_cells_and_nested_arguments_are_digested():
    with_dicts = pd.DataFrame({"outlook": [{"a": 1}, {"a": 2}]})
    changed = pd.DataFrame({"outlook": [{"a": 1}, {"a": 3}]})
    assert digests.of(with_dicts) != digests.of(changed)
    assert digests.of([{"x": (1, "甲")}, None]) == digests.of([{"x": (1, "甲")}, None])
    assert digests.of([1]) != digests.of([1.0]) != digests.of(["1"])


def test_an_argument_that_cannot_be_told_apart_by_content_is_refused():
    with pytest.raises(TypeError, match="共享计算的参数"):
        digests.of(object())


def test_a_shared_result_is_built_once_per_key_and_again_for_another():
    from plantrack.app.shared import shared

    built = []

    @shared(max_entries=2)
    def result(version, choices, _unhashed=None):
        built.append((version, choices))
        return [version, choices]

    first = result((1, 2), ["甲"], _unhashed=object())
    assert result((1, 2), ["甲"], _unhashed=object()) is first  # "_" arguments are not the key
    assert result((1, 3), ["甲"]) is not first  # a new data version
    assert result((1, 2), ["乙"]) is not first  # another choice
    assert result((1, 2), ("甲",)) is not first  # a tuple is not the list
    assert built == [((1, 2), ["甲"]), ((1, 3), ["甲"]), ((1, 2), ["乙"]), ((1, 2), ("甲",))]
    assert result((1, 2), ("甲",)) == [(1, 2), ("甲",)] and len(built) == 4
    result((1, 2), ["甲"])  # dropped past max_entries: built again
    assert len(built) == 5


def _builds_under_a_spinner():
    import contextlib

    import streamlit as st

    from plantrack.app.shared import shared

    said = st.session_state.setdefault("said", [])
    spinner = st.spinner

    @contextlib.contextmanager
    def told(text, *args, **kwargs):
        said.append(text)
        with spinner(text, *args, **kwargs):
            yield

    st.spinner = told
    try:

        @shared(max_entries=2, spinner="正在判断预警…")
        def result(version):
            return version * 2

        st.session_state["first"] = result(21)
        st.session_state["again"] = result(21)  # found: nothing to wait for
    finally:
        st.spinner = spinner


def test_a_shared_result_says_on_the_page_while_it_is_built():
    """A page waiting for a result being built sees the spinner's words, once, and not on a hit;
    outside a page run (a warm-up thread) there is nothing to say it on."""
    from plantrack.app.shared import shared

    at = AppTest.from_function(_builds_under_a_spinner, default_timeout=30).run()
    assert not at.exception, at.exception
    assert at.session_state["first"] == at.session_state["again"] == 42
    assert at.session_state["said"] == ["正在判断预警…"]

    @shared(max_entries=2, spinner="正在判断预警…")
    def outside(version):
        return version + 1

    assert outside(1) == 2


def test_callers_of_one_key_at_once_share_one_build_and_a_failure_is_not_kept():
    import threading

    from plantrack.app.shared import shared

    started, release, built = threading.Event(), threading.Event(), []

    @shared(max_entries=4)
    def slow(key):
        built.append(key)
        started.set()
        release.wait(10)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(slow("k"))) for _ in range(5)]
    threads[0].start()
    started.wait(10)
    for thread in threads[1:]:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert built == ["k"] and len(results) == 5 and len({id(r) for r in results}) == 1

    calls = []

    @shared(max_entries=4)
    def flaky(key):
        calls.append(key)
        if len(calls) == 1:
            raise RuntimeError("first try fails")
        return key

    with pytest.raises(RuntimeError):
        flaky("x")
    assert flaky("x") == "x" and calls == ["x", "x"]


def _draws_one_chart():
    import pandas as pd

    from plantrack.app import widgets
    from plantrack.report import charts

    frame = pd.DataFrame({"year": [2022, 2023, 2024], "v": [3.25, 1.5, 2.75]})
    widgets.chart(charts.yearly_line, frame, "v", "指标", "万元", "只画一次的图", key="once")


def test_a_shared_figure_is_turned_into_its_spec_once_and_sent_as_plotly_would_send_it(monkeypatch):
    """st.plotly_chart turns a figure into a dict (to_dict) on every run: a shared figure's dict is
    made once (plantrack.app.widgets._Sent) and is what the figure itself gives."""
    import plotly.io as pio
    from plotly.basedatatypes import BaseFigure

    from plantrack.report import charts

    at = AppTest.from_function(_draws_one_chart, default_timeout=60).run()
    assert not at.exception, at.exception
    first = at.get("plotly_chart")[0].proto.spec
    frame = pd.DataFrame({"year": [2022, 2023, 2024], "v": [3.25, 1.5, 2.75]})
    figure = charts.yearly_line(frame, "v", "指标", "万元", "只画一次的图")
    assert first == pio.to_json(figure, validate=False)

    calls = []
    original = BaseFigure.to_dict
    monkeypatch.setattr(BaseFigure, "to_dict", lambda self: calls.append(self) or original(self))
    at.run()
    assert not at.exception, at.exception
    assert at.get("plotly_chart")[0].proto.spec == first
    assert calls == []  # the warm run reused the dict


def _digests_query_results():
    import streamlit as st

    from plantrack.app import data, digests

    first, again = data.query("data_years"), data.query("data_years")
    yearly = data.query("yearly_indicators", town=None)
    st.session_state["same"] = digests.of(first) == digests.of(again)
    st.session_state["other"] = digests.of(first) != digests.of(yearly)
    # another choice (parameter) or the rows up to another year: another digest
    cut = data.up_to_as_of("yearly_indicators", town=None)
    st.session_state["cut"] = digests.of(cut) != digests.of(yearly)
    st.session_state["cut again"] = digests.of(cut) == digests.of(
        data.up_to_as_of("yearly_indicators", town=None)
    )
    towns = data.query("town_applications", town="甲镇", year=None)
    other_town = data.query("town_applications", town="乙镇", year=None)
    st.session_state["param"] = digests.of(towns) != digests.of(other_town)
    # a figure built from a query result and a changed copy of it are told apart
    changed = again.copy()
    changed.loc[changed.index[0], "year"] = 1900
    st.session_state["changed"] = digests.of(changed) != digests.of(first)


def test_a_query_result_is_keyed_by_its_query_version_and_parameters(app_env):
    at = AppTest.from_function(_digests_query_results, default_timeout=60).run()
    assert not at.exception, at.exception
    for name in ["same", "other", "cut", "cut again", "param", "changed"]:
        assert at.session_state[name], name


@pytest.mark.parametrize(
    "change",
    [
        lambda f: f.__setitem__("v", 0.0),
        lambda f: f.loc.__setitem__((0, "v"), -1.0),
        lambda f: f.iloc.__setitem__((1, 0), "丙"),
        lambda f: f.__setitem__("w", 1),
        lambda f: setattr(f, "columns", ["name", "v"]),
        lambda f: setattr(f, "index", [5, 6]),
        lambda f: setattr(f.index, "name", "行"),
        lambda f: f.pop("v"),
    ],
)
def test_a_frame_known_by_its_origin_is_read_in_full_once_it_is_changed(change):
    """digests.handed_out names a shared result's content by where it came from (no pickling); a frame
    changed afterwards in any way is digested from its cells again."""
    source = pd.DataFrame({"town": ["甲", "乙"], "v": [1.5, 2.5]})
    frame = digests.handed_out(source, "query", "test", 1)
    named = digests.of(frame)
    assert named == digests.of(frame)  # unchanged: the same name
    assert named == digests.of(digests.handed_out(source, "query", "test", 1))
    assert named != digests.of(digests.handed_out(source, "query", "test", 2))
    change(frame)
    assert digests.of(frame) != named
    assert digests.of(frame) == digests.of(frame.copy())  # its cells, as any frame's
    assert source["v"].tolist() == [1.5, 2.5]  # the shared one never changed


def test_a_plan_is_keyed_by_its_content():
    from plantrack.model import targets

    plans = targets.load_config().plans
    first = plans[0]
    assert digests.of(first) == digests.of(first)  # the second time from the record
    assert digests.of(first) == digests.of(first.model_copy())
    assert digests.of(first) != digests.of(first.model_copy(update={"title": "另一规划"}))
    assert digests.of(first) != digests.of(plans[1])


@pytest.mark.parametrize("origin", ["named", "pickled"])
def test_a_recorded_frame_changed_in_place_is_read_again_even_when_it_is_the_only_owner(origin):
    """Nothing else holds the frame's arrays (its shared result was dropped, or a page made it): a
    change in place must still be seen."""
    frame = pd.DataFrame({"town": ["甲", "乙"], "v": [1.5, 2.5]})
    if origin == "named":  # handed out from a shared result nothing holds any more
        frame = digests.handed_out(frame, "computed", b"dropped")
    first = digests.of(frame)
    assert digests.of(frame) == first
    frame.loc[0, "v"] = -1.0
    frame.iloc[1, 0] = "丙"
    assert digests.of(frame) != first
    assert digests.of(frame) == digests.of(pd.DataFrame({"town": ["甲", "丙"], "v": [-1.0, 2.5]}))


def test_a_frozen_record_is_keyed_by_its_fields():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Chosen:
        ids: list
        year: int

    assert digests.of(Chosen(["a"], 2024)) == digests.of(Chosen(["a"], 2024))
    assert digests.of(Chosen(["a"], 2024)) != digests.of(Chosen(["b"], 2024))
    assert digests.of(Chosen(["a"], 2024)) != digests.of(Chosen(["a"], 2025))

    @dataclass
    class Open:
        year: int

    with pytest.raises(TypeError, match="共享计算的参数"):
        digests.of(Open(2024))  # may change after it was digested


def _reads_warnings_twice():
    import streamlit as st

    from plantrack.app import data, digests

    rules, _ = data.warning_rules()
    (year, month), (other_year, other_month) = data.data_months()[:2]
    first = data.warnings_as_of(rules, year, month)
    again = data.warnings_as_of(rules, year, month)
    other = data.warnings_as_of(rules, other_year, other_month)
    st.session_state["rows"] = len(first)
    st.session_state["same"] = digests.of(first) == digests.of(again) and first.equals(again)
    st.session_state["other"] = digests.of(first) != digests.of(other)
    st.session_state["kept"] = data.warning_rules()[0] is rules


def test_warnings_are_shared_per_data_version_month_and_rules(app_env):
    """预警: the same month on the same data gives the shared result (named, not pickled), another
    month another one."""
    at = AppTest.from_function(_reads_warnings_twice, default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.session_state["rows"] > 0
    for name in ["same", "other", "kept"]:
        assert at.session_state[name], name


def _builds_once_per_version_and_arguments():
    import os
    import uuid

    import streamlit as st

    from plantrack import settings
    from plantrack.app import data

    calls = []

    def history(plan_id: str, token: str) -> list[str]:
        calls.append(plan_id)
        return [plan_id]

    token = uuid.uuid4().hex  # a key of this run alone
    first = data.versioned(history, "a", token)
    st.session_state["same"] = data.versioned(history, "a", token) is first
    data.versioned(history, "b", token)
    path = settings.db_path()
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # as an import makes one
    data.begin_run()  # the next run reads the new version
    data.versioned(history, "a", token)
    st.session_state["calls"] = calls


def test_what_depends_on_the_data_version_alone_is_built_once_per_version_and_arguments(
    demo_db, tmp_path, monkeypatch
):
    """规划详情's version history (data.versioned): built once for the same data version and plan,
    again for another plan, and again once the database is a new version."""
    import shutil

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, copy)
    monkeypatch.setenv("PLANTRACK_DB", str(copy))
    at = AppTest.from_function(_builds_once_per_version_and_arguments, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.session_state["same"]
    assert at.session_state["calls"] == ["a", "b", "a"]


def _empty_and_full_tables():
    import pandas as pd

    from plantrack.app import widgets

    widgets.table(pd.DataFrame({"企业名称": []}), key="none", name="空表")
    widgets.table(pd.DataFrame({"企业名称": ["甲"]}), key="one", name="一行")


def test_an_empty_table_says_so_in_chinese_without_a_grid_or_a_download(app_env):
    """Streamlit draws an empty grid with its own English word ("empty"): a table with no rows reads
    （无记录）, and offers no empty workbook; a table with rows is drawn as before."""
    at = AppTest.from_function(_empty_and_full_tables, default_timeout=60).run()
    assert not at.exception, at.exception
    assert [caption.value for caption in at.caption] == ["（无记录）"]
    assert len(at.dataframe) == 1 and list(at.dataframe[0].value["企业名称"]) == ["甲"]


def test_a_table_with_a_missing_number_converts_without_streamlits_failed_first_try(monkeypatch):
    """A column of numbers with — for a missing one is sent as text (as Streamlit's own fix would send
    it), without first failing the conversion, which wrote a traceback to the server's console."""
    from streamlit import dataframe_util

    from plantrack.app import widgets

    retried = []
    monkeypatch.setattr(dataframe_util._LOGGER, "info", lambda *a, **k: retried.append(a))
    table = widgets._arrow(pd.DataFrame({"镇街": ["甲", "乙"], "单位能耗增加值": [1.25, None]}))
    assert retried == []
    assert table.column("单位能耗增加值").to_pylist() == ["1.25", "—"]
    assert table.column("镇街").to_pylist() == ["甲", "乙"]
