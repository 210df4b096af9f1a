"""The least a page run can cost the server, two ways, by a Streamlit script that computes nothing:
- it sends, unchanged, the elements one page of plantrack sent (captured by bench.concurrency.server_cpu):
  what Streamlit itself spends on a run of that page (the script thread, hashing, serialising and sending
  each element);
- with `built` in the query string, it builds as many elements through Streamlit's API, each the least
  there is (a dot, an empty container), and sends them: the least that building and sending that many
  elements costs, before any data, chart or table.
What plantrack's page costs beyond them is its queries, its shaping and its richer elements.

Run by bench.concurrency.floor_cpu as `streamlit run bench/floor_page.py`; the page to replay is the query
string's `page`, the captured messages are in the file named by PLANTRACK_FLOOR_CAPTURE."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import enqueue_message


@st.cache_resource(show_spinner=False)
def _captured() -> dict[str, list[ForwardMsg]]:
    """page → its delta messages, parsed once (parsing is the light client's work, not the server's)."""
    raw = pickle.loads(Path(os.environ["PLANTRACK_FLOOR_CAPTURE"]).read_bytes())
    out = {}
    for page, messages in raw.items():
        out[page] = []
        for data in messages:
            message = ForwardMsg()
            message.ParseFromString(data)
            out[page].append(message)
    return out


messages = _captured()[st.query_params["page"]]
if st.query_params.get("built") is None:
    for message in messages:
        enqueue_message(message)
else:  # as many elements, each built by Streamlit's API from the least content: a dot, an empty box
    for message in messages:
        if message.delta.WhichOneof("type") == "add_block":
            st.container()
        else:
            st.markdown("·")
