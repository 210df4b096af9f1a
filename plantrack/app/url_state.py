"""Filter state in the URL: a link reproduces the view. Each widget is one call: its value starts from
?param= when valid (else the default, with a notice), and is written back to the URL after each run."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from plantrack.report.formatting import plain

# shown in an empty choice instead of Streamlit's own English placeholder ("No options to select")
EMPTY = "暂无可选项"
PENDING = "_url_pending"  # session state: the parameters this run changed, not yet in the URL


def _bad_parameter(param: str, raw: str) -> None:
    st.session_state.setdefault("_bad_url_params", []).append(f"{param}={raw}")


def bad_parameter_notice() -> None:
    bad = st.session_state.pop("_bad_url_params", [])
    if bad:
        shown = "、".join(plain(item) for item in bad)  # the URL's own text, never its Markdown
        st.toast(f"链接中的参数 {shown} 无效，已改用默认值。", icon=":material/link_off:")


def url_choice(param: str, key: str, options: list, default):
    """Initialise widget `key` from ?param= when valid (else `default`, with a notice); call before
    the widget is drawn, then `remember(param, key)` after it."""
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    value = default
    if raw is not None:
        match = [option for option in options if str(option) == raw]
        if match:
            value = match[0]
        else:
            _bad_parameter(param, raw)
    st.session_state[key] = value


def url_choices(param: str, key: str, options: list, default: list):
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    value = list(default)
    if raw is not None:
        parts = [part for part in raw.split(",") if part]
        known = {str(option): option for option in options}
        if parts and all(part in known for part in parts):
            value = [known[part] for part in parts]
        elif raw != "":
            _bad_parameter(param, raw)
        else:
            value = []
    st.session_state[key] = value


def url_text(param: str, key: str, default: str = "", max_length: int = 100):
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    if raw is not None and len(raw) > max_length:
        _bad_parameter(param, raw[:20] + "…")
        raw = None
    st.session_state[key] = raw if raw is not None else default


def url_number(param: str, key: str, default: float, low: float, high: float):
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    value = default
    if raw is not None:
        try:
            value = float(raw)
            if not low <= value <= high:
                raise ValueError
        except ValueError:
            _bad_parameter(param, raw)
            value = default
    st.session_state[key] = value


def remember(param: str, key: str) -> None:
    """Write widget `key`'s value back to the URL: at the end of the run (write_back), all of the
    page's at once. Each write sends the browser a message; a page opened from the sidebar (no query
    string) wrote one per widget, 12 on 亩均评价. A fragment rerunning alone writes at once, as the
    end of the page's run is not reached."""
    value = st.session_state.get(key)
    text = (
        ",".join(map(str, value))
        if isinstance(value, list)
        else ""
        if value is None
        else str(value)
    )
    pending = st.session_state.setdefault(PENDING, {})
    if st.query_params.get(param) != text:
        pending[param] = text
    else:
        pending.pop(param, None)
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.fragment_ids_this_run:
        write_back()


def write_back() -> None:
    """The URL parameters this run changed (remember), written in one message (app.py, at the end of
    every run, also when a page stops early)."""
    pending = st.session_state.pop(PENDING, None)
    if pending:
        st.query_params.update(pending)


def selectbox(label: str, options: list, *, param: str, key: str, default, container=st, **kwargs):
    """st.selectbox whose choice lives in ?param= (options compared as text)."""
    url_choice(param, key, options, default)
    kwargs.setdefault("placeholder", EMPTY if not options else "请选择")
    value = container.selectbox(label, options, key=key, **kwargs)
    remember(param, key)
    return value


def year(label: str, years: list[int], *, param: str, key: str, default: int, container=st) -> int:
    """A selectbox of years, each shown as N年."""
    return selectbox(
        label,
        years,
        param=param,
        key=key,
        default=default,
        container=container,
        format_func=lambda y: f"{y}年",
    )


def segmented(label: str, options: list, *, param: str, key: str, default, container=st, **kwargs):
    """st.segmented_control bound to ?param=; deselecting falls back to `default`."""
    url_choice(param, key, options, default)
    value = container.segmented_control(label, options, key=key, **kwargs)
    remember(param, key)
    return value if value is not None else default


def multiselect(
    label: str, options: list, *, param: str, key: str, default: list, container=st, **kwargs
) -> list:
    """st.multiselect bound to ?param= (comma-separated)."""
    url_choices(param, key, options, default)
    kwargs.setdefault("placeholder", EMPTY if not options else "请选择")
    value = container.multiselect(label, options, key=key, **kwargs)
    remember(param, key)
    return value


def any_of(
    label: str, options: list, *, param: str, key: str, container=st, everything: str | None = None
) -> list:
    """A multiselect left empty for all (the queries' null), its placeholder saying so: 全部 and the
    label, or `everything`."""
    placeholder = everything or f"全部{label}"
    return multiselect(
        label,
        options,
        param=param,
        key=key,
        default=[],
        container=container,
        placeholder=placeholder,
    )


def text_input(
    label: str,
    *,
    param: str,
    key: str,
    default: str = "",
    max_length: int = 100,
    container=st,
    **kwargs,
) -> str:
    url_text(param, key, default, max_length)
    value = container.text_input(label, key=key, **kwargs)
    remember(param, key)
    return value


def number_input(
    label: str,
    *,
    param: str,
    key: str,
    default: float,
    min_value: float,
    max_value: float,
    container=st,
    **kwargs,
) -> float:
    url_number(param, key, default, min_value, max_value)
    value = container.number_input(
        label, min_value=min_value, max_value=max_value, key=key, **kwargs
    )
    remember(param, key)
    return value
