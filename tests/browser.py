"""Helpers for browser tests: the real app under `streamlit run`, driven by Playwright + system Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from plantrack.report import images
from plantrack.settings import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_FLAGS = images.CHROMIUM_FLAGS


def chromium_path() -> str:
    """System Chromium, or skip (fail under REQUIRE_BROWSER=1, as in CI)."""
    found = (
        os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not found:
        message = (
            "未找到 Chromium：浏览器测试跳过（Debian: apt-get install chromium fonts-noto-cjk）"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_app(db_path: Path, extra_env: dict[str, str] | None = None, log: list | None = None):
    """The app served on a free port; `log` (a list) receives the server's console output at exit."""
    port = _free_port()
    env = {**os.environ, "PLANTRACK_DB": str(db_path), **(extra_env or {})}
    command = [
        sys.executable, "-m", "plantrack", "serve",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, "streamlit", 60)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log is not None and process.stdout:
            log.append(process.stdout.read().decode(errors="replace"))


def wait_healthy(url: str, process: subprocess.Popen, what: str, seconds: float) -> None:
    """Until `url`/_stcore/health answers 200 (Streamlit's, or HAProxy's in front of it); a clear error
    with the process's output if it stops or the time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"{what} 未能启动：\n{output}") from None
            time.sleep(0.3)


# One Chromium per test module, launched at its first page and closed when the module ends (conftest.py,
# _one_browser_per_module); each test gets a fresh context (its own cookies, storage and downloads), as a
# new browser would give it, without ~1 s of driver and browser start per test. Closed per module, not per
# session: while Playwright's sync API is open it marks the main thread's asyncio loop as running.
_shared: dict = {}


def shared_browser():
    """The module's Chromium (launched on first use, and again if it went away)."""
    if "browser" in _shared and not _shared["browser"].is_connected():
        close_shared_browser()
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        executable = chromium_path()
        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS
        )
    return _shared["browser"]


def close_shared_browser() -> None:
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    try:
        if browser is not None and browser.is_connected():
            browser.close()
    finally:
        if playwright is not None:
            playwright.stop()


@contextmanager
def browser_page(width: int = 1440, height: int = 1000):
    """A page in a fresh browser context (nothing shared with the module's other tests)."""
    context = shared_browser().new_context(
        viewport={"width": width, "height": height}, locale="zh-CN"
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def sidebar_picker(page):
    """The label of app.py's shared 截至 picker in the sidebar."""
    return page.locator('[data-testid="stSidebar"]').get_by_text("截至", exact=True).first


def wait_for_app(page, text: str, timeout_ms: int = 30000) -> None:
    """Wait until app.py's sidebar and `text` are drawn and the script has finished."""
    sidebar_picker(page).wait_for(timeout=timeout_ms)
    page.get_by_text(text).first.wait_for(timeout=timeout_ms)
    # wait until streamlit has finished running the script (the status widget shows only on slow runs,
    # so the app's own script state is read)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState"
        " === 'notRunning' && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_ms,
    )


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    return path
