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
