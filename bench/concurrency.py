"""Many visitors at once: N simulated visitors each open a realistic sequence of pages against one
running server (or two behind HAProxy), over Streamlit's own websocket protocol.

Most visitors are light clients: a websocket to /_stcore/stream that asks for each page as the browser
does (a BackMsg rerun_script naming the page) and times it until the server's script_finished; a page
that raised is an error. A few are real browsers (Chromium via Playwright), timed from navigation to
the page's script having finished. Reported per N: median and p95 page time, errors, server memory per
session, and the first N at which p95 passes 3 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from plantrack.settings import ROOT

# what a visitor does the morning a briefing is due: the overview, a plan, the towns, an analysis
VISIT = ["", "plan_detail", "towns", "evaluation"]  # "" = the landing page (总览)
PAGE_TIMEOUT_S = 60


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"服务未能启动：{url}") from None
            time.sleep(0.2)


# `streamlit run` of a floor page with the app's socket setting (plantrack.app.serve.send_without_delay),
# so that a page and its floors are sent alike
FLOOR_SERVER = (
    "import sys; from plantrack.app import serve; serve.speed_up_runs(); "
    "from streamlit.web import cli; sys.argv = ['streamlit', 'run', *sys.argv[1:]]; sys.exit(cli.main())"
)


@contextmanager
def server(path: Path, script: str | None = None, root: Path = ROOT):
    """`python -m plantrack serve` on a free port, as `make run` starts it, on the database `path`; or,
    given `script` (bench/floor_page.py), `streamlit run` of it with the same options and socket
    setting, reading the captured pages in `path`. `root`: the code served (bench.baseline: an
    earlier version of plantrack, from git)."""
    port = _free_port()
    if script is None:
        env = {**os.environ, "PLANTRACK_DB": str(path), "PYTHONPATH": str(root)}
        start = ["-m", "plantrack", "serve"]
    else:
        env = {**os.environ, "PLANTRACK_FLOOR_CAPTURE": str(path)}
        start = ["-c", FLOOR_SERVER, script]
    command = [
        sys.executable, *start, "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def balancer(apps: list[str]):
    """HAProxy with deploy/haproxy.cfg in front of two servers."""
    port = _free_port()
    env = {
        **os.environ,
        "PLANTRACK_LB_BIND": f"127.0.0.1:{port}",
        "PLANTRACK_APP1": apps[0].removeprefix("http://"),
        "PLANTRACK_APP2": apps[1].removeprefix("http://"),
    }
    command = ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, 30)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _ask(
    ws, page: str, query: str = "", deltas: list[bytes] | None = None
) -> tuple[float, str | None]:
    """One page asked for as the browser does (a BackMsg rerun_script naming it), timed until the
    server's script_finished; returns (seconds, the exception message if the page raised). The page's
    element messages are kept in `deltas` when it is given."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    request = BackMsg()
    request.rerun_script.page_name = page
    request.rerun_script.query_string = query
    started = time.perf_counter()
    ws.send(request.SerializeToString())
    failed = None
    while True:
        data = ws.recv(timeout=PAGE_TIMEOUT_S)
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "delta" and deltas is not None:
            deltas.append(data)
        if kind == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
            failed = message.delta.new_element.exception.message or "exception"
        elif kind == "page_not_found":
            failed = "page_not_found"
        elif kind == "script_finished":
            return time.perf_counter() - started, failed


def _connect(url: str):
    from websockets.sync.client import connect

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    return connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=30)


def light_visitor(url: str, pages: list[str], times: list, errors: list, hold: threading.Event):
    """One session over the websocket, as a browser tab: each page asked for in turn."""
    try:
        with _connect(url) as ws:
            for page in pages:
                seconds, failed = _ask(ws, page)
                times.append(seconds)
                if failed:
                    errors.append(f"{page}: {failed[:200]}")
            hold.wait(PAGE_TIMEOUT_S)  # keep the session open until every visitor is done
    except Exception as exc:  # noqa: BLE001 — a visitor's failure is a measured error
        errors.append(f"连接：{type(exc).__name__}: {str(exc)[:200]}")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SERVER_CPU_RUNS = 50  # warm runs of each page in a row, for its server CPU per run …
SERVER_CPU_ROUNDS = 3  # … in this many rounds over all the pages, the median round kept


def _runs_cost(ws, pid: int, page: str, query: str, runs: int) -> dict:
    """The server's CPU per run and the median page time over `runs` warm runs of one page."""
    before, walls = _cpu_seconds(pid), []
    for _ in range(runs):
        seconds, failed = _ask(ws, page, query)
        if failed:
            raise RuntimeError(f"{page or query}: {failed[:200]}")
        walls.append(seconds)
    return {
        "cpu_ms": (_cpu_seconds(pid) - before) * 1000 / runs,
        "median_ms": statistics.median(walls) * 1000,
    }


def _rounds_cost(ws, pid: int, asks: dict[str, tuple[str, str]], runs: int, rounds: int) -> dict:
    """Each of `asks` (name → page, query) run `runs` times in a row, in `rounds` rounds over all of
    them: a machine whose speed drifts (a shared VM: ±10 % from minute to minute) slows every name's
    round alike, and the median round is kept (`cpu_rounds_ms`: each round)."""
    measured: dict[str, list[dict]] = {name: [] for name in asks}
    for _ in range(rounds):
        for name, (page, query) in asks.items():
            measured[name].append(_runs_cost(ws, pid, page, query, runs))
    return {
        name: {
            "cpu_ms": statistics.median(item["cpu_ms"] for item in items),
            "median_ms": statistics.median(item["median_ms"] for item in items),
            "cpu_rounds_ms": [round(item["cpu_ms"], 2) for item in items],
        }
        for name, items in measured.items()
    }


def server_cpu(
    url: str, pid: int, runs: int = SERVER_CPU_RUNS, rounds: int = SERVER_CPU_ROUNDS
) -> dict:
    """What one page run costs the server: one visitor, each page `runs` times in a row (warm, after one
    unmeasured run), the server process's CPU time over those runs ÷ runs, the median of `rounds`
    rounds over all the pages. Pages a visitor without a login cannot open (账户与审计) are left out.
    Beside it, its floors (floor_cpu)."""
    from plantrack.app.navigation import PAGES

    captured = {}
    with _connect(url) as ws:
        for spec in PAGES:
            if not spec.permission:
                captured[spec.title] = []
                _ask(ws, spec.url_path, deltas=captured[spec.title])
        asks = {title: (spec.url_path, "") for spec in PAGES if (title := spec.title) in captured}
        out = _rounds_cost(ws, pid, asks, runs, rounds)
    for title, floor in floor_cpu(captured, runs, rounds).items():
        out[title]["elements"] = len(captured[title])
        out[title]["floor_cpu_ms"] = floor["cpu_ms"]
        out[title]["built_floor_cpu_ms"] = floor["built"]["cpu_ms"]
        out[title]["widget_floor_cpu_ms"] = floor["widgets"]["cpu_ms"]
    return out


def floor_cpu(
    captured: dict[str, list[bytes]], runs: int = SERVER_CPU_RUNS, rounds: int = SERVER_CPU_ROUNDS
) -> dict:
    """The least each page run can cost the server, measured as server_cpu measures a page: what
    bench/floor_page.py costs sending the page's captured element messages unchanged, building nothing
    (`cpu_ms`); building as many elements through Streamlit's API, each the least there is (a dot,
    an empty container), and sending them (`built`); sending the page's elements unchanged but building
    its widgets, each the least of its kind (`widgets`: what a page whose other parts are replayed
    costs at the least)."""
    import pickle
    from urllib.parse import urlencode

    from bench.run import WORK_DIR

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    capture = WORK_DIR / "floor-capture.pickle"
    capture.write_bytes(pickle.dumps(captured))
    kinds = {"sent": "", "built": "&built=1", "widgets": "&widgets=1"}
    asks = {
        (title, kind): ("", urlencode({"page": title}) + suffix)
        for title in captured
        for kind, suffix in kinds.items()
    }
    with server(capture, script="bench/floor_page.py") as (url, pid), _connect(url) as ws:
        for page, query in asks.values():
            _ask(ws, page, query)
        measured = _rounds_cost(ws, pid, asks, runs, rounds)
    return {
        title: measured[(title, "sent")]
        | {"built": measured[(title, "built")], "widgets": measured[(title, "widgets")]}
        for title in captured
    }


# Counts the script runs the page has finished (stApp's data-test-script-state going running → notRunning),
# so a click is timed to the end of the run it starts. A short run can start and finish within one render,
# leaving no trace in the attribute: then the run is over once the address is the new page's and the app
# is idle.
COUNT_RUNS = """() => {
  if (window.__plantrackRuns !== undefined) return;
  window.__plantrackRuns = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  const attribute = "data-test-script-state";
  new MutationObserver((records) => {
    // records arrive in batches: each holds the value before its change, the last is the current one
    const states = [...records.map((record) => record.oldValue), app.getAttribute(attribute)];
    for (let i = 1; i < states.length; i++) {
      if (states[i - 1] === "running" && states[i] === "notRunning") window.__plantrackRuns += 1;
    }
  }).observe(app, {attributes: true, attributeFilter: [attribute], attributeOldValue: true});
}"""
APP_IDLE = '() => document.querySelector(\'[data-testid="stApp"]\')?.dataset.testScriptState === "notRunning"'


def _niced_chromium() -> str:
    """Chromium at the lowest CPU priority. The visitors' browsers stand in for the users' own computers:
    here they share the server's 2 cores, and rendering the charts would otherwise take CPU from the
    server that a real deployment never gives up. Their own page times are reported apart."""
    from bench.run import WORK_DIR

    wrapper = WORK_DIR / "chromium-niced"
    if not wrapper.exists():
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        wrapper.write_text('#!/bin/sh\nexec nice -n 19 /usr/bin/chromium "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
    return str(wrapper)


def browser_visitor(url: str, pages: list[str], times: list, errors: list, hold: threading.Event):
    """A real browser tab (Chromium), used as a person does: the first page opened by its address,
    the next ones by clicking their links in the sidebar; each timed until its script run has finished."""
    from playwright.sync_api import sync_playwright

    from plantrack.app.navigation import PAGES

    titles = {spec.url_path: spec.title for spec in PAGES} | {"": PAGES[0].title}
    from plantrack.report.images import CHROMIUM_FLAGS as flags

    wait = PAGE_TIMEOUT_S * 1000
    step = "启动浏览器"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_niced_chromium(), args=flags)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
                for index, name in enumerate(pages):
                    step = f"{name or titles['']}（第 {index + 1} 页）"
                    started = time.perf_counter()
                    if index == 0:
                        page.goto(f"{url}/{name}")
                        sidebar = page.locator('[data-testid="stSidebar"]')
                        sidebar.get_by_text("截至", exact=True).first.wait_for(timeout=wait)
                        page.wait_for_function(APP_IDLE, timeout=wait)
                        page.evaluate(COUNT_RUNS)
                    else:
                        finished = page.evaluate("() => window.__plantrackRuns")
                        sidebar = page.locator('[data-testid="stSidebar"]')
                        sidebar.get_by_role("link", name=titles[name], exact=True).click()
                        path = "/" + name
                        page.wait_for_function(
                            f"() => window.__plantrackRuns > {finished} ||"
                            f" (location.pathname === {path!r} && ({APP_IDLE})())",
                            timeout=wait,
                        )
                    times.append(time.perf_counter() - started)
                    if page.locator('[data-testid="stException"]').count():
                        errors.append(f"{name}: 页面出现异常（浏览器）")
                    step = "等待其他访客"
                hold.wait(PAGE_TIMEOUT_S)
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001
        errors.append(f"浏览器，{step}：{type(exc).__name__}: {str(exc)[:200]}")


def _p95(ordered: list[float]) -> float | None:
    return ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else None


def crowd(url: str, visitors: int, browsers: int, pid_list: list[int]) -> dict:
    """`visitors` at once (the first `browsers` of them real browsers); returns the figures."""
    light: list[float] = []
    browsed: list[
        float
    ] = []  # a browser's pages, kept apart too: its own rendering shares these 2 cores
    errors: list[str] = []
    hold = threading.Event()
    before = sum(_rss_mb(pid) for pid in pid_list)
    threads = []
    for index in range(visitors):
        # each visitor starts at a different page, as people do
        pages = VISIT[index % len(VISIT) :] + VISIT[: index % len(VISIT)]
        target, times = (browser_visitor, browsed) if index < browsers else (light_visitor, light)
        thread = threading.Thread(
            target=target, args=(url, pages, times, errors, hold), daemon=True
        )
        threads.append(thread)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + PAGE_TIMEOUT_S * len(VISIT) + 60
    while (
        len(light) + len(browsed) + len(errors) < visitors * len(VISIT)
        and time.monotonic() < deadline
    ):
        if not any(thread.is_alive() for thread in threads):
            break
        time.sleep(0.05)
    during = sum(_rss_mb(pid) for pid in pid_list)  # every session still open
    hold.set()
    for thread in threads:
        thread.join(timeout=30)
    ordered = sorted(light + browsed)
    return {
        "visitors": visitors,
        "browsers": browsers,
        "pages": len(ordered),
        "median_s": statistics.median(ordered) if ordered else None,
        "p95_s": _p95(ordered),
        "light_p95_s": _p95(sorted(light)),
        "browser_median_s": statistics.median(browsed) if browsed else None,
        "browser_p95_s": _p95(sorted(browsed)),
        "errors": len(errors),
        "error_samples": errors[:5],
        "mb_per_session": max(0.0, during - before) / visitors,
        "wall_s": time.perf_counter() - started,
    }


REPEATS_AT_GOAL = 3  # the goal's N is measured this many times (its p95 varies by ±20 % run to run)


def repeated(measure_once, times: int) -> dict:
    """The run with the median p95 of `times` runs, with every run's p95 beside it (the spread)."""
    runs = [measure_once() for _ in range(times)]
    ordered = sorted(
        runs, key=lambda run: run["p95_s"] if run["p95_s"] is not None else float("inf")
    )
    return {**ordered[len(ordered) // 2], "p95_runs_s": [run["p95_s"] for run in runs]}


def measure(db_path: Path, levels: list[int], two_servers_at: int | None = None) -> dict:
    """One server: each level of visitors in turn. Then, if asked, one against two servers at N; the
    level `two_servers_at` (the goal's N) is repeated, on one server and on two."""
    import shutil

    out: dict = {"one_server": []}
    with server(db_path) as (url, pid):
        crowd(url, 1, 0, [pid])  # the first visit after start-up fills the caches: not counted
        out["server_cpu"] = server_cpu(url, pid)
        for level in levels:
            browsers = min(2, level // 10)
            times = REPEATS_AT_GOAL if level == two_servers_at else 1
            out["one_server"].append(
                repeated(lambda level=level, b=browsers: crowd(url, level, b, [pid]), times)
            )
    if two_servers_at and shutil.which("haproxy"):
        with ExitStack() as stack:
            first, first_pid = stack.enter_context(server(db_path))
            second, second_pid = stack.enter_context(server(db_path))
            lb = stack.enter_context(balancer([first, second]))
            for url in (first, second):
                crowd(url, 1, 0, [])
            # light clients carry no cookie: HAProxy spreads their sessions over both servers; the
            # browsers keep theirs (sticky sessions), as with one server
            browsers = min(2, two_servers_at // 10)
            out["two_servers"] = repeated(
                lambda: crowd(lb, two_servers_at, browsers, [first_pid, second_pid]),
                REPEATS_AT_GOAL,
            )
            out["two_servers"]["one_server_same_n"] = next(
                (row for row in out["one_server"] if row["visitors"] == two_servers_at), None
            )
    return out
