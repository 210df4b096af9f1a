"""How `python -m plantrack serve` sets up Streamlit's server (plantrack.app.serve)."""

import socket

import pytest
from streamlit.web.server.starlette import starlette_server

from plantrack.app import serve


def _accepted(bind) -> socket.socket:
    """A connection accepted by a listening socket made by `bind` (Streamlit's signature)."""
    listener = bind("127.0.0.1", 0, 8)
    with listener, socket.create_connection(listener.getsockname()[:2], timeout=5):
        listener.setblocking(True)
        connection, _ = listener.accept()
    return connection


def test_connections_send_without_delay(monkeypatch: pytest.MonkeyPatch):
    """Streamlit's own listening socket (protocol 0) hands asyncio connections on which it leaves Nagle's
    algorithm on: a page's messages after the first waited ~40 ms for the browser's acknowledgement.
    Once serve has set it up, every accepted connection sends at once. (When the first half fails,
    Streamlit sets it itself and send_without_delay can go.)"""
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    with _accepted(starlette_server._bind_socket) as plain:
        assert plain.proto == 0  # asyncio's _set_nodelay skips such a socket
        assert plain.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0

    serve.send_without_delay()
    with _accepted(starlette_server._bind_socket) as accepted:
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_a_page_writes_its_choices_to_the_url_in_one_message(demo_db):
    """亩均评价 opened from the sidebar (no query string): its filters' values reach the URL in one
    page_info_changed message at the end of the run, not one per widget (url_state.write_back)."""
    from urllib.parse import parse_qs

    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from bench import concurrency

    with concurrency.server(demo_db) as (url, _), concurrency._connect(url) as ws:
        request = BackMsg()
        request.rerun_script.page_name = "evaluation"
        ws.send(request.SerializeToString())
        kinds, written = [], []
        while not kinds or kinds[-1] != "script_finished":
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=60))
            kinds.append(message.WhichOneof("type"))
            if kinds[-1] == "page_info_changed":
                written.append(parse_qs(message.page_info_changed.query_string))
    assert "delta" in kinds
    assert kinds.count("page_info_changed") == 1
    # the sidebar's 截至, and the filters of the page: year, grades, scale among them
    assert {"year", "y", "grade", "scale"} <= set(written[0])
    assert kinds.index("page_info_changed") > max(i for i, k in enumerate(kinds) if k == "delta")


def test_a_runs_messages_reach_the_event_loop_in_batches(monkeypatch: pytest.MonkeyPatch):
    """The run's thread hands 20 element messages and then "stopped" to the session's event loop: every
    one is handled there, in order, with two wake-ups of the loop (one batch of messages, then the
    stop and whatever came before it), not 21. Messages with no event after them are still handled,
    after the short wait."""
    import asyncio
    import threading

    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.runtime import Runtime
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    for name in ("_on_scriptrunner_event", "_call_soon_on_event_loop"):
        monkeypatch.setattr(AppSession, name, getattr(AppSession, name))
    monkeypatch.setattr(Runtime, "_enqueued_some_message", Runtime._enqueued_some_message)
    serve.hand_over_in_batches(wait_seconds=0.05)

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    wakes = []
    wake = loop.call_soon_threadsafe

    def counted(*args):
        wakes.append(args[0])
        return wake(*args)

    monkeypatch.setattr(loop, "call_soon_threadsafe", counted)
    handled, done = [], threading.Event()

    class Bare(AppSession):  # only what the hand-over reads: no session to shut down
        def __del__(self):
            pass

    session = Bare.__new__(Bare)
    session._event_loop = loop

    def handle(sender, event, forward_msg=None, *rest):
        handled.append((event, forward_msg))
        if event == ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS or len(handled) == 3:
            done.set()

    session._handle_scriptrunner_event_on_event_loop = handle
    try:
        for index in range(20):
            session._on_scriptrunner_event(
                None, event=ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, forward_msg=index
            )
        session._on_scriptrunner_event(None, event=ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS)
        assert done.wait(5)
        assert [message for _, message in handled] == [*range(20), None]
        assert handled[-1][0] == ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS
        assert len(wakes) == 2

        handled.clear(), done.clear()
        for index in range(3):  # no event after them: taken once the wait is over
            session._on_scriptrunner_event(
                None, event=ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, forward_msg=index
            )
        assert done.wait(5)
        assert [message for _, message in handled] == [0, 1, 2]
    finally:
        loop.call_soon_threadsafe(loop.stop)


def test_a_cached_functions_signature_is_read_once(monkeypatch: pytest.MonkeyPatch):
    """Streamlit asks a cached function's parameters on every call: remembered per function, the same
    answer; a callable that cannot be remembered (unhashable) is still answered."""
    import inspect

    from streamlit import type_util

    monkeypatch.setattr(type_util, "get_func_parameters", type_util.get_func_parameters)
    read = type_util.get_func_parameters

    def shared(stamp, _config, year: int = 2025):
        return stamp

    serve.remember_signatures()
    asked = type_util.get_func_parameters
    assert [p.name for p in asked(shared)] == ["stamp", "_config", "year"]
    assert asked(shared) is asked(shared)  # read once
    assert asked(shared) == read(shared)

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self, value, _skip):
            return value

    assert [p.name for p in asked(Unhashable())] == ["value", "_skip"]
    assert inspect.signature(shared).parameters["year"].default == 2025


def test_config_sections_are_indexed_and_still_read_live(monkeypatch: pytest.MonkeyPatch):
    """Every section gives what Streamlit's own walk gives; a value set afterwards is seen."""
    from streamlit import config

    monkeypatch.setattr(config, "get_options_for_section", config.get_options_for_section)
    walked = config.get_options_for_section
    sections = {option.section for option in config.get_config_options().values()}
    serve.index_config_sections()
    indexed = config.get_options_for_section
    assert {s: indexed(s) for s in sections} == {s: walked(s) for s in sections}
    assert indexed("theme")["primaryColor"] == walked("theme")["primaryColor"]
    assert indexed("no such section") == {}

    before = config.get_option("theme.primaryColor")
    try:
        config.set_option("theme.primaryColor", "#123456")
        assert indexed("theme")["primaryColor"] == "#123456"
    finally:
        config.set_option("theme.primaryColor", before)
