"""Helpers for page tests under Streamlit's AppTest: open a page, find a chart by its key."""

from __future__ import annotations

import json


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
    Sets what plantrack.app.session keeps after a successful login."""
    import time

    from plantrack.store.accounts import User

    at.session_state["_plantrack_login"] = {
        "user": User(name or f"测试{role}", role, town),
        "seen": time.time(),
    }
    return at


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
