"""Start the dashboard: `python -m plantrack serve [streamlit options]` (what `make run` does).

Streamlit's old pages/ handling is switched off before the server starts (plantrack.app.v1pages).

Two defaults are hardened before the server starts (trust_no_proxy_header, hide_metrics), and each
page run is made cheaper for the server (speed_up_runs): its connections send without delay, a run
hands its messages to the event loop in batches, and what Streamlit looked up on every run (a cached
function's signature, the config's theme sections) is looked up once.

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


# a page run's messages wait at most this long for the server's event loop to take them
HAND_OVER_SECONDS = 0.004


def hand_over_in_batches(wait_seconds: float = HAND_OVER_SECONDS) -> None:
    """A page run hands its messages to the server's event loop in batches, not one by one.

    Streamlit passes every message a run makes (each element, each widget) from the run's thread to the
    event loop with `call_soon_threadsafe`: a write to the loop's wake-up pipe and a wake of the loop,
    then, on the loop, one more for "there is data to send". On this 2-core VM that was about 0.1 ms
    per message, on both threads — 30 to 60 messages a run, the largest single cost of a page run
    once its figures were shared (issue 29, measured in the note).

    Here a message waits, at most `wait_seconds`, for the messages after it, and the loop takes them
    all in one wake. Everything else a run tells the server (started, stopped, failed, a rerun) is
    handed over at once, after the messages before it: the order is Streamlit's, and a page's last
    messages go out as soon as it ends. A long run still streams, one batch every `wait_seconds`."""
    import asyncio
    import logging
    import threading

    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.runtime import Runtime
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    log = logging.getLogger(__name__)
    making = threading.Lock()

    class Batch:
        """One session's callbacks waiting for its event loop, in order; `due`: None (no take
        scheduled), "later" (one in `wait_seconds`) or "now"."""

        def __init__(self) -> None:
            self.lock = threading.Lock()
            self.callbacks: list = []
            self.due: str | None = None

    def batch_of(session) -> Batch:
        found = session.__dict__.get("_plantrack_batch")
        if found is None:
            with making:
                found = session.__dict__.setdefault("_plantrack_batch", Batch())
        return found

    def take(batch: Batch) -> None:  # on the event loop
        with batch.lock:
            callbacks, batch.callbacks, batch.due = batch.callbacks, [], None
        for callback in callbacks:
            try:
                callback()
            except Exception:  # as the event loop would: logged, and the rest still run
                log.exception("页面消息处理出错")

    def hand_over(session, callback, at_once: bool) -> None:
        batch, loop = batch_of(session), session._event_loop
        with batch.lock:
            batch.callbacks.append(callback)
            if batch.due == "now" or (batch.due == "later" and not at_once):
                return
            batch.due = "now" if at_once else "later"
        try:
            if at_once:
                loop.call_soon_threadsafe(take, batch)
            else:
                loop.call_soon_threadsafe(loop.call_later, wait_seconds, take, batch)
        except RuntimeError:  # the loop has closed (shutting down): dropped, as Streamlit does
            if not loop.is_closed():
                raise

    def on_scriptrunner_event(self, sender, event, forward_msg=None, *args, **kwargs) -> None:
        def handle() -> None:
            self._handle_scriptrunner_event_on_event_loop(
                sender, event, forward_msg, *args, **kwargs
            )

        hand_over(self, handle, at_once=event != ScriptRunnerEvent.ENQUEUE_FORWARD_MSG)

    def enqueued_some_message(self) -> None:  # called on the event loop, once per message
        objects = self._get_async_objs()
        try:
            here = asyncio.get_running_loop() is objects.eventloop
        except RuntimeError:
            here = False
        if here:
            objects.need_send_data.set()
        else:
            objects.eventloop.call_soon_threadsafe(objects.need_send_data.set)

    AppSession._on_scriptrunner_event = on_scriptrunner_event
    AppSession._call_soon_on_event_loop = lambda self, callback: hand_over(self, callback, True)
    Runtime._enqueued_some_message = enqueued_some_message


def remember_signatures() -> None:
    """Streamlit reads the signature of a cached function (`inspect.signature`, slow) on every call, once
    per argument, to learn which arguments start with "_": remembered per function instead (a
    function's signature never changes). About 20 such reads in a page run."""
    import functools

    from streamlit import type_util

    read = type_util.get_func_parameters
    remembered = functools.lru_cache(maxsize=1024)(read)

    def get_func_parameters(func):
        try:
            return remembered(func)
        except TypeError:  # a callable that cannot be a key (unhashable): read each time
            return read(func)

    type_util.get_func_parameters = get_func_parameters


def index_config_sections() -> None:
    """Each run's first message (new_session) carries six theme sections of the config, each found by
    a walk over all of Streamlit's ~300 options: indexed by section once per reading of the config
    (the values are still read when asked)."""
    from streamlit import config

    held: list = [None, 0, {}]  # the options dict indexed, its size then, section → its options

    def get_options_for_section(section: str) -> dict:
        with config._config_lock:
            options = config.get_config_options()
            if held[0] is not options or held[1] != len(options):
                index: dict[str, list] = {}
                for option in options.values():
                    index.setdefault(option.section, []).append(option)
                held[:] = [options, len(options), index]
            return {option.name: option.value for option in held[2].get(section, [])}

    config.get_options_for_section = get_options_for_section


def speed_up_runs() -> None:
    """What makes each page run cheaper for the server, below the app (also applied to the bench's
    floor pages, so that a page and its floors are served alike)."""
    send_without_delay()
    hand_over_in_batches()
    remember_signatures()
    index_config_sections()


def main(argv: list[str]) -> int:
    import threading

    trust_no_proxy_header()
    hide_metrics()
    speed_up_runs()

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
