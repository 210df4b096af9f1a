"""Parts of a page drawn once and replayed (issue 29).

Most of what a page shows depends only on the data version, the plan files, the viewer's rights and the
choices on screen; every visitor who comes with the same ones would have it built again, element by
element. `drawn(draw, *args)` runs `draw(*args)` once for each such combination and records the
elements it makes (Streamlit's own replay of `st.cache_resource`); every later run with the same
combination sends the recorded elements again, without running `draw`.

What the key holds, so that nobody is shown another's view:
- `draw` and `args` (plain values — numbers, text, None, tuples of them — the choices on screen, which
  `draw` does not read itself);
- the run's Reader: the database version, the targets file's version, the viewer's town restriction
  (or why the viewer reads no enterprise rows);
- the viewer's role (which pages a link may open), the 截至 chosen, warnings.toml's version, and the
  page (Streamlit's element ids are the page's).

A `draw` must read nothing else that changes: not the session, the URL, the time of day or a widget's
value (those are passed in as `args`). It makes no widget itself (a button, a picker, a popover that
opens: Streamlit refuses to record one); it hands it to `later`, which makes it, in every run, live,
where the part ends (a chart's 导出图片 popover, a table's Excel download). It may return a small plain
value (a flag), shared by all."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner import get_script_run_ctx

from plantrack import settings
from plantrack.app import data, session
from plantrack.app.shared import key_of

# the widgets a part being drawn hands to `later`: (function, args, kwargs), made when the part ends
_later: ContextVar[list | None] = ContextVar("plantrack_replay_later", default=None)


def later(make: Callable, *args, **kwargs) -> None:
    """make(*args, **kwargs), a widget: now, outside a part drawn once; inside one, live in every run
    where the part ends, in the container it is drawn in. `args` are kept with the part: its shared
    figures and frames, never the session (a download's audit reads the session when it is made)."""
    pending = _later.get()
    if pending is None:
        make(*args, **kwargs)
        return
    if any(isinstance(arg, DeltaGenerator) for arg in [*args, *kwargs.values()]):
        # kept with the part and replayed to other runs, where this run's containers are not
        raise TypeError(f"{make.__qualname__}: 在只绘制一次的部分里不能指定容器")
    pending.append((make, args, kwargs))


@st.cache_resource(max_entries=256, show_spinner=False)
def _drawn(key: bytes, _draw: Callable, _args: tuple) -> tuple:
    pending: list = []
    token = _later.set(pending)
    try:
        value = _draw(*_args)
    finally:
        _later.reset(token)
    return value, tuple(pending)


def drawn(draw: Callable, *args):
    """draw(*args), its elements recorded once per key (see above) and replayed to later runs, then
    the widgets it handed to `later`; returns what draw returned."""
    ctx = get_script_run_ctx()
    key = key_of(
        (
            draw.__module__,
            draw.__qualname__,
            args,
            _viewer(),
            data.as_of_words(),  # asked now: the sidebar's picker may set it later in the run
            ctx.page_script_hash if ctx else None,  # element ids are the page's
        )
    )
    value, pending = _drawn(key, draw, args)
    for make, later_args, later_kwargs in pending:
        later(make, *later_args, **later_kwargs)  # a part inside a part: where the outer one ends
    return value


def _viewer() -> tuple:
    """The run's Reader (data version, targets version, town restriction), the viewer's role and
    warnings.toml's version: fixed for a run, asked once."""
    run = data.this_run()
    if run.get("replay_viewer") is None:
        reader = data.reader()
        role = session.current_role()
        rules = settings.warnings_path()
        run["replay_viewer"] = (
            reader.stamp,
            reader.targets,
            reader.viewer_town,
            reader.denied,
            role.name if role else None,
            rules.stat().st_mtime_ns if rules.exists() else 0,
        )
    return run["replay_viewer"]
