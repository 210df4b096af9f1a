"""Start the dashboard: `python -m plantrack serve [streamlit options]` (what `make run` does).

Streamlit's old pages/ handling is switched off before the server starts (plantrack.app.v1pages).

Two defaults are hardened before the server starts (trust_no_proxy_header, hide_metrics), and its
connections send without delay (send_without_delay).

Start-up is also made quicker (measured by `make bench`: make run → first page): no scan for custom
components, and a warm-up thread imports the engine and fills the landing page's caches while the
server boots. These touch Streamlit internals: check them when upgrading Streamlit (the browser
tests open every page through this entry point).
"""

from __future__ import annotations

import sys

from plantrack.settings import ROOT

WARM_UP_THREAD = "plantrack-warm-up"
# modules whose @st.cache_data functions are checked against the cache storage when they are defined:
# imported only once the Streamlit runtime exists, or each logs "No runtime found" at start-up
APP_MODULES = [
    "plantrack.app.data",
    "plantrack.app.widgets",
    "plantrack.app.url_state",
    "plantrack.app.filters",
    "plantrack.app.navigation",
    "plantrack.app.replay",
]
LIBRARY_MODULES = [
    "plantrack.report.charts",
    "plantrack.engine.progress",
    "plantrack.report.tables",
    "plantrack.engine.quotas",
    "plantrack.engine.factories",
    "plantrack.report.deck.slides",
    "plantrack.report.deck.powerpoint",
    "plantrack.report.excel",
    "streamlit.elements.plotly_chart",
    "streamlit.runtime.scriptrunner.magic_funcs",
    "plotly.colors",
    "plotly.subplots",
    "narwhals._pandas_like.dataframe",
    "narwhals._pandas_like.namespace",
    "narwhals._interchange.dataframe",
]


def warm_up(timeout_seconds: float = 60) -> None:
    """While the server starts: import what pages need (pandas, plotly, DuckDB, the engine), then,
    once the Streamlit runtime exists (its caches live there), the app's modules, and fill the landing
    page's caches."""
    import contextlib
    import logging
    import time

    from streamlit.runtime import Runtime

    from plantrack import settings
    from plantrack.ingest import archive

    warm_imports()
    with contextlib.suppress(OSError):  # a read-only folder: nothing to clean, the pages still work
        archive.clean_at_start(settings.db_path())  # what an import killed mid-way left behind
    deadline = time.monotonic() + timeout_seconds
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if Runtime.exists():
        # this thread fills caches outside any page run: Streamlit's "missing ScriptRunContext"
        # notice about it is expected, not for the console
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
            lambda record: record.threadName != WARM_UP_THREAD
        )
        warm_imports(APP_MODULES)
        from plantrack.app import data

        data.warm_up()


def warm_imports(modules: list[str] | None = None) -> None:
    """Import and first-use what pages need, so no visitor pays for it: the engine and the libraries,
    plotly's lazily loaded trace and layout classes, Streamlit's emoji/icon patterns."""
    import importlib

    for module in LIBRARY_MODULES if modules is None else modules:
        importlib.import_module(module)
    if modules is not None:
        return
    layout = importlib.import_module("plotly.graph_objs.layout")
    for name in layout.__all__:  # plotly imports each layout class on first use
        getattr(layout, name)
    import plotly.graph_objects as go
    import plotly.io as pio
    from streamlit import string_util

    from plantrack.report import images

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
    from plantrack.settings import DEMO_GENERATOR_VERSION
    from plantrack.store import db

    if not path.exists():
        return False
    meta = db.file_meta(path)
    if meta is None:
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
    from plantrack.ingest import demo
    from plantrack.model import targets

    print(demo.ensure(path, targets.load_config()), flush=True)


def skip_component_scan() -> None:
    """At start-up Streamlit reads the metadata of every installed package, looking for custom
    components (about 1 s here). plantrack uses none, so the scan is skipped."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    BidiComponentManager.discover_and_register_components = lambda self, *args, **kwargs: None


def trust_no_proxy_header() -> None:
    """uvicorn, under Streamlit, replaces the socket's address with X-Forwarded-For's when the peer
    is this machine, walking past every trusted hop to the first address the visitor may have
    written. Switched off: the socket's address reaches the app, which believes only the last hop
    that a configured proxy appended (plantrack.app.session.forwarded_client, deploy/README.md)."""
    import os

    os.environ["FORWARDED_ALLOW_IPS"] = ""


def hide_metrics() -> None:
    """Streamlit serves /_stcore/metrics (sessions, caches, memory) to anyone, with no setting to
    switch it off: its route is not created. (HAProxy also refuses the path: deploy/haproxy.cfg.)"""
    from streamlit.web.server.starlette import starlette_app

    if hasattr(starlette_app, "create_metrics_routes"):
        starlette_app.create_metrics_routes = lambda *args, **kwargs: []


def send_without_delay() -> None:
    """Every connection sends each message at once (TCP_NODELAY). Streamlit binds its listening socket
    itself with protocol 0, and asyncio switches Nagle's algorithm off only on sockets whose protocol
    is TCP: in each page run, the messages after the first waited for the browser's delayed
    acknowledgement (40 ms on Linux, up to 200 ms on Windows) — most of a page's time. Set on the
    listening socket, the option is inherited by every connection it accepts (Linux)."""
    import socket

    from streamlit.web.server.starlette import starlette_server

    bind = starlette_server._bind_socket

    def bind_without_delay(*args, **kwargs) -> socket.socket:
        sock = bind(*args, **kwargs)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    starlette_server._bind_socket = bind_without_delay


def main(argv: list[str]) -> int:
    import threading

    trust_no_proxy_header()
    hide_metrics()
    send_without_delay()

    if "--demo-if-missing" in argv:
        argv = [arg for arg in argv if arg != "--demo-if-missing"]
        ensure_demo()
    from plantrack.app.v1pages import disable_v1_pages_folder

    disable_v1_pages_folder()
    skip_component_scan()
    from streamlit.web import cli

    threading.Thread(target=warm_up, name=WARM_UP_THREAD, daemon=True).start()

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *argv]
    return cli.main()
