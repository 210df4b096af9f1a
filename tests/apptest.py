"""Helpers for page tests under Streamlit's AppTest: open a page, find a chart by its key."""

from __future__ import annotations

import json
from contextlib import contextmanager


def open_page(at, path: str, **query):
    """Switch to a page (optionally with URL parameters) and run it."""
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def chart(at, key: str):
    """The plotly chart drawn with widget key `key` (every chart has one: plantrack.app.widgets.chart)."""
    found = [element for element in at.get("plotly_chart") if element.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"{key}: {[element.proto.id for element in at.get('plotly_chart')]}"
    return found[0]


def chart_text(at, key: str) -> str:
    """A plotly chart's figure JSON as readable text (the spec escapes non-ASCII)."""
    return json.dumps(json.loads(chart(at, key).proto.spec), ensure_ascii=False)


def as_user(at, role: str = "管理员", town: str | None = None, name: str | None = None):
    """Log the AppTest session in as a user with `role` (the login form itself is tested on its own).
    The account is created in the accounts file the app will read (beside $PLANTRACK_DB) if missing,
    and the session holds what plantrack.app.session keeps after a successful login."""
    import contextlib
    import secrets
    import time

    from plantrack import settings
    from plantrack.store import accounts
    from plantrack.store.accounts import User

    user = User(name or f"测试{role}", role, town)
    path = settings.accounts_path()
    if accounts.fingerprint(path, user.name) is None:
        # a role or town the product refuses gets no account: the gate must deny it
        with contextlib.suppress(accounts.AccountError):
            accounts.add_user(path, user.name, role, town, f"测-{secrets.token_hex(12)}")
    at.session_state["_plantrack_login"] = {
        "user": user,
        "seen": time.time(),
        "account": accounts.fingerprint(path, user.name),
    }
    return at


@contextmanager
def deferred_downloads():
    """Every download button given a function while inside: {file name: the function}. Streamlit
    runs such a function after the page, in a worker thread with no session; `build_outside` does
    the same (AppTest never runs them)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    MediaFileManager.add_deferred = recording
    try:
        yield found
    finally:
        MediaFileManager.add_deferred = original


def build_outside(function) -> bytes:
    """Run a download's function as Streamlit does after a click: in another thread, no session."""
    import threading

    result: dict[str, object] = {}

    def run():
        try:
            result["value"] = function()
        except Exception as exc:  # noqa: BLE001 — handed to the test
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def traces(at, key: str) -> list[dict]:
    """A plotly chart's traces, plotly's typed arrays ({"dtype", "bdata"}) decoded to lists."""
    import base64

    import numpy as np

    def decode(value):
        if isinstance(value, dict) and "bdata" in value:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        return value

    spec = json.loads(chart(at, key).proto.spec)
    return [{name: decode(value) for name, value in trace.items()} for trace in spec["data"]]
