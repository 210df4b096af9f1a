"""Start the dashboard: `python -m plantrack serve [streamlit options]` (what `make run` does).

Streamlit treats an app with a `pages/` folder as an old-style (v1) multipage app and, for a deep link
such as /plan_detail, runs that page file *instead of* app.py — no shared sidebar, no 示例数据 banner.
The product keeps `pages/` but registers its pages with st.navigation, so the v1 handling is switched
off before the server starts (and again on import of plantrack.ui, for `streamlit run app.py`).

Start-up is also made quicker (measured by `make bench`: make run → first page): no scan for custom
components, and a warm-up thread imports the engine and fills the landing page's caches while the
server boots. All three touch Streamlit internals: check them when upgrading Streamlit (the browser
tests open every page through this entry point).
"""

from __future__ import annotations

import sys

from plantrack.settings import ROOT


def disable_v1_pages_folder() -> None:
    """Always run app.py as the main script, whatever the URL (app.py then calls st.navigation)."""
    import runpy

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    def run_main_script(main_script_path: str) -> None:
        runpy.run_path(main_script_path, run_name="__main__")

    PagesManager.uses_pages_directory = False
    # AppTest resets the flag before every run; the v1 runner itself is replaced for good measure.
    script_runner._mpa_v1 = run_main_script


def warm_up(timeout_seconds: float = 60) -> None:
    """While the server starts: import what pages need (pandas, plotly, DuckDB, the engine), then,
    once the Streamlit runtime exists (its caches live there), fill the landing page's caches."""
    import time

    from streamlit.runtime import Runtime

    from plantrack import ui

    warm_imports()
    deadline = time.monotonic() + timeout_seconds
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if Runtime.exists():
        ui.warm_up()


def warm_imports() -> None:
    """Import and first-use what pages need, so no visitor pays for it: the engine and the libraries,
    plotly's lazily loaded trace and layout classes, Streamlit's emoji/icon patterns."""
    import importlib

    for module in [
        "plantrack.ui",
        "plantrack.charts",
        "plantrack.progress",
        "plantrack.tables",
        "plantrack.towns",
        "plantrack.factories",
        "plantrack.briefing",
        "plantrack.exports",
        "plantrack.navigation",
        "streamlit.elements.plotly_chart",
        "streamlit.runtime.scriptrunner.magic_funcs",
        "plotly.colors",
        "plotly.subplots",
        "narwhals._pandas_like.dataframe",
        "narwhals._pandas_like.namespace",
        "narwhals._interchange.dataframe",
    ]:
        importlib.import_module(module)
    layout = importlib.import_module("plotly.graph_objs.layout")
    for name in layout.__all__:  # plotly imports each layout class on first use
        getattr(layout, name)
    import plotly.graph_objects as go
    import plotly.io as pio
    from streamlit import string_util

    from plantrack import images

    figure = go.Figure(
        [
            go.Bar(x=[1], y=[1], marker={"color": "#1f5fa8"}),
            go.Scatter(x=[1], y=[1], line={"width": 1}),
            go.Heatmap(z=[[1]], textfont={"size": 10}),
        ]
    )
    figure.update_layout(
        template="plantrack",
        title="预热",
        xaxis_title="x",
        yaxis_title="y",
        annotations=[{"text": "预热"}],
        shapes=[{"type": "line", "x0": 0, "x1": 1, "y0": 0, "y1": 1}],
    )
    pio.to_json(figure)
    string_util.extract_leading_emoji("📊 预热")
    string_util.extract_leading_icon(":material/download: 预热")
    images.cjk_fonts()


def demo_is_current(path) -> bool:
    """Whether `path` holds real data, or demo data from this generator: nothing to build. Reads the
    file's meta with DuckDB alone, so a start with nothing to build loads no generator libraries."""
    import duckdb

    from plantrack.settings import DEMO_GENERATOR_VERSION

    if not path.exists():
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            meta = dict(con.execute("select key, value from meta").fetchall())
    except duckdb.Error:
        return True  # not ours to rebuild; the pages will say what is wrong with it
    return (
        meta.get("data_kind") != "demo" or meta.get("generator_version") == DEMO_GENERATOR_VERSION
    )


def ensure_demo() -> None:
    """`make run`'s first step: build the demo database when it is missing or from an older generator."""
    from plantrack import settings

    path = settings.db_path()
    if demo_is_current(path):
        return
    from plantrack import demo, targets

    print(demo.ensure(path, targets.load_config()), flush=True)


def skip_component_scan() -> None:
    """At start-up Streamlit reads the metadata of every installed package, looking for custom
    components (about 1 s here). plantrack uses none, so the scan is skipped."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    BidiComponentManager.discover_and_register_components = lambda self, *args, **kwargs: None


def main(argv: list[str]) -> int:
    import threading

    if "--demo-if-missing" in argv:
        argv = [arg for arg in argv if arg != "--demo-if-missing"]
        ensure_demo()
    disable_v1_pages_folder()
    skip_component_scan()
    from streamlit.web import cli

    threading.Thread(target=warm_up, name="plantrack-warm-up", daemon=True).start()

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *argv]
    return cli.main()
