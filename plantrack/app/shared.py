"""Results shared by every session of the server process, as `st.cache_resource` shares them, but
found by a plain dictionary look-up.

`st.cache_resource` makes each call's key by inspecting the function's signature and hashing every
argument with its own hasher: on a warm page that makes dozens of calls, that was a tenth of what a
run cost the server (issue 29). Here the key is the arguments themselves, pickled (those whose
name starts with "_" are left out, as Streamlit does); a result is built once per key, by one caller
at a time, while the other callers of that key wait for it, and the least recently used results are
dropped past `max_entries`. A failed build is not kept. (Streamlit's "Clear caches" menu item does
not reach these results; a new data version or the targets file is a new key.)"""

from __future__ import annotations

import functools
import inspect
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable


def key_of(value) -> bytes:
    """`value` (plain values: numbers, text, None, and lists, tuples and dicts of them) as a
    dictionary key, by content: pickled, which tells 1, 1.0, True and "1" apart, as [1] and (1,), and
    runs at C speed on a long parameter list. Equal values may pickle differently (shared objects):
    that only costs building again."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class Memo:
    def __init__(self, build: Callable, max_entries: int, spinner: str | None = None):
        self.build, self.max_entries, self.spinner = build, max_entries, spinner
        self.entries: OrderedDict = OrderedDict()
        self.building: dict = {}
        self.lock = threading.Lock()
        parameters = list(inspect.signature(build).parameters.values())
        self.names = [parameter.name for parameter in parameters]
        self.kept = [not name.startswith("_") for name in self.names]

    def key(self, args: tuple, kwargs: dict):
        if kwargs:
            bound = dict(zip(self.names, args, strict=False)) | kwargs
            args = tuple(bound[name] for name in self.names if name in bound)
        return key_of(tuple(arg for arg, kept in zip(args, self.kept, strict=False) if kept))

    def __call__(self, *args, **kwargs):
        key = self.key(args, kwargs)
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
            building = self.building.setdefault(key, threading.Lock())
        with building:  # one caller builds; the others of this key wait, then find its result
            with self.lock:
                if key in self.entries:
                    return self.entries[key]
            try:
                value = self._built(args, kwargs)
            except BaseException:
                with self.lock:
                    self.building.pop(key, None)
                raise
            with self.lock:
                self.entries[key] = value
                while len(self.entries) > self.max_entries:
                    self.entries.popitem(last=False)
                self.building.pop(key, None)
        return value

    def _built(self, args: tuple, kwargs: dict):
        """build(*args, **kwargs), under the spinner when a page is waiting for it (not inside a part
        being recorded for replay, which would replay the spinner: as Streamlit's own caches do)."""
        if self.spinner is not None:
            import streamlit as st
            from streamlit.runtime.scriptrunner_utils.script_run_context import (
                get_script_run_ctx,
                in_cached_function,
            )

            if (
                get_script_run_ctx(suppress_warning=True) is not None
                and not in_cached_function.get()
            ):
                with st.spinner(self.spinner):
                    return self.build(*args, **kwargs)
        return self.build(*args, **kwargs)


def shared(max_entries: int, spinner: str | None = None):
    """Decorator: the function's results for the same arguments built once and shared (see above);
    while one is built for a page, `spinner` says so on the page."""

    def decorate(build: Callable) -> Memo:
        return functools.update_wrapper(Memo(build, max_entries, spinner), build)

    return decorate
