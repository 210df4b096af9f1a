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
