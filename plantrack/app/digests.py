"""How a shared computation's inputs are named by their content (plantrack.app.data): plain values and
frozen models by what they hold, frames in full, and a frame handed out from a shared result by where
it came from, for as long as it is unchanged."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import weakref

import pandas as pd
from pydantic import BaseModel

from plantrack.app.shared import key_of


def handed_out(shared: pd.DataFrame, *origin) -> pd.DataFrame:
    """A shallow copy of the shared frame `shared` (changing it never changes the shared one, under
    pandas' copy-on-write), recorded as the content that `origin` names (a query and its version and
    parameters, a shared computation's key): `of` then reads that name instead of pickling every
    cell, for as long as the copy is not changed."""
    frame = shared.copy(deep=False)
    return _remember(frame, hashlib.blake2b(key_of(origin), digest_size=20).digest(), shared)


# frames whose content is known by where they came from (a shared result, unchanged since): id → (a weak
# reference to the frame, what it was made of then, its digest)
_known: dict[int, tuple] = {}


def _parts(frame: pd.DataFrame) -> tuple | None:
    """What a frame is made of: its axes and column arrays (pandas' blocks), and the axes' names (the
    one thing changed in place). Under copy-on-write, a frame changed in any other way (a cell, a
    column, a row) holds other objects afterwards; these are kept with the record, so none of their
    ids can be reused by another object."""
    try:
        arrays = (frame.index, frame.columns, *(block.values for block in frame._mgr.blocks))
    except AttributeError:  # another pandas: frames are pickled
        return None
    return (tuple(frame.index.names), tuple(frame.columns.names), *arrays)


def _remember(frame: pd.DataFrame, digest: bytes, shared: pd.DataFrame | None = None):
    """Records `frame` as having `digest` while it is unchanged. The frame it shares its arrays with
    (or a shallow copy) is kept with the record: with another frame holding them, copy-on-write copies
    them before any change, so a changed frame never holds the same arrays (even once its shared
    result is dropped from the cache)."""
    parts = _parts(frame)
    if parts is not None:
        at = id(frame)
        ref = weakref.ref(frame, lambda _: _known.pop(at, None))
        anchor = shared if shared is not None else frame.copy(deep=False)
        _known[at] = (ref, parts, digest, anchor)
    return frame


def _known_digest(frame: pd.DataFrame) -> bytes | None:
    entry = _known.get(id(frame))
    if entry is None or entry[0]() is not frame:
        return None
    parts, then = _parts(frame), entry[1]
    if parts is None or len(parts) != len(then) or parts[:2] != then[:2]:
        return None
    return entry[2] if all(a is b for a, b in zip(parts[2:], then[2:], strict=True)) else None


def of(value) -> bytes:
    """What a shared computation is given, every value of it: frames in full (Streamlit's own hash
    samples a frame of 50,000 rows or more, and a result must never be mistaken for another's). A frame
    is pickled, which writes out every cell and is several times faster than hashing it column by column;
    equal frames may pickle differently (shared objects), which only costs computing again. A frame
    recorded unchanged (a shared result named by its origin, or one pickled before) is not read again."""
    if isinstance(value, pd.DataFrame):
        known = _known_digest(value)
        if known is not None:
            return known
        pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        digest = hashlib.blake2b(b"frame\x00" + pickled, digest_size=20).digest()
        _remember(value, digest)  # a frame handed to several computations is read once
        return digest
    elif isinstance(value, BaseModel):  # the plans and rules of the targets file (frozen)
        return _model_digest(value)
    elif dataclasses.is_dataclass(value) and type(value).__dataclass_params__.frozen:
        fields = [(field.name, getattr(value, field.name)) for field in dataclasses.fields(value)]
        parts = [type(value).__qualname__.encode(), of(fields)]
    elif isinstance(value, (list, tuple)):
        parts = [type(value).__name__.encode(), *map(of, value)]
    elif isinstance(value, dict):
        parts = [b"dict", *(of(item) for pair in value.items() for item in pair)]
    elif value is None or isinstance(value, (str, int, float, bool)):
        parts = [repr((type(value).__name__, value)).encode()]
    else:
        raise TypeError(f"共享计算的参数不能按内容识别：{type(value).__name__}")
    return hashlib.blake2b(b"\x00".join(parts), digest_size=20).digest()


# digests of frozen models (a plan, the status rules: the same objects on every run), by identity
_models: dict[int, tuple] = {}


def _model_digest(model: BaseModel) -> bytes:
    known = _models.get(id(model))
    if known is not None and known[0]() is model:
        return known[1]
    text = type(model).__qualname__ + "\x00" + model.model_dump_json()
    digest = hashlib.blake2b(text.encode(), digest_size=20).digest()
    if model.model_config.get("frozen"):
        at = id(model)
        _models[at] = (weakref.ref(model, lambda _: _models.pop(at, None)), digest)
    return digest
