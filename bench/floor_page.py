"""The least a page run can cost the server, two ways, by a Streamlit script that computes nothing:
- it sends, unchanged, the elements one page of plantrack sent (captured by bench.concurrency.server_cpu):
  what Streamlit itself spends on a run of that page (the script thread, hashing, serialising and sending
  each element);
- with `built` in the query string, it builds as many elements through Streamlit's API, each the least
  there is (a dot, an empty container), and sends them: the least that building and sending that many
  elements costs, before any data, chart or table;
- with `widgets` in the query string, it sends the page's elements unchanged but builds its widgets (a
  picker, a download, a popover that reruns the page when opened), each the least of its kind: the least
  a page costs when everything but its widgets is replayed (plantrack.app.replay), as widgets are
  made live in every run.
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


# element kinds that are widgets, each built as the least of its kind
LEAST_WIDGETS = {
    "selectbox": lambda key: st.selectbox("·", ["·"], key=key),
    "multiselect": lambda key: st.multiselect("·", ["·"], key=key),
    "button_group": lambda key: st.segmented_control("·", ["·"], key=key),
    "download_button": lambda key: st.download_button("·", b"", key=key, on_click="ignore"),
    "text_input": lambda key: st.text_input("·", key=key),
    "number_input": lambda key: st.number_input("·", key=key),
    "checkbox": lambda key: st.checkbox("·", key=key),
    "button": lambda key: st.button("·", key=key),
    "file_uploader": lambda key: st.file_uploader("·", key=key),
}


def widget(message: ForwardMsg):
    """How to build the least widget of `message`'s kind, or None when it is not a widget: a block is
    one when it has an id (a popover or expander that reruns the page when opened)."""
    delta = message.delta
    if delta.WhichOneof("type") == "add_block":
        kind = delta.add_block.WhichOneof("type")
        if kind in ("popover", "expandable") and delta.add_block.id:
            if kind == "popover":
                return lambda key: st.popover("·", key=key, on_change="rerun")
            return lambda key: st.expander("·", key=key, on_change="rerun")
        return None
    return LEAST_WIDGETS.get(delta.new_element.WhichOneof("type"))


@st.cache_resource(show_spinner=False)
def _apart() -> dict[str, list[ForwardMsg]]:
    """The captured messages placed where no built widget goes (a message sent to the place of one not
    yet sent replaces it), parsed once."""
    out = {}
    for page, messages in _captured().items():
        out[page] = []
        for index, message in enumerate(messages):
            moved = ForwardMsg()
            moved.CopyFrom(message)
            moved.metadata.delta_path[:] = [0, 100_000 + index]
            out[page].append(moved)
    return out


messages = _captured()[st.query_params["page"]]
if st.query_params.get("widgets") is not None:
    for index, message in enumerate(_apart()[st.query_params["page"]]):
        build = widget(message)
        if build is None:
            enqueue_message(message)
        else:
            build(f"least_widget_{index}")
elif st.query_params.get("built") is None:
    for message in messages:
        enqueue_message(message)
else:  # as many elements, each built by Streamlit's API from the least content: a dot, an empty box
    for message in messages:
        if message.delta.WhichOneof("type") == "add_block":
            st.container()
        else:
            st.markdown("·")
