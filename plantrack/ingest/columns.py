"""One column's cells checked and converted in bulk: each distinct value validated once
(plantrack.ingest.cells), plain numbers converted together with the unit factor and bounds applied to
the whole column, and a CSV column read by pyarrow kept in Arrow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from plantrack.ingest import creditcode
from plantrack.ingest.cells import Validator
from plantrack.ingest.parsing import CellError
from plantrack.ingest.read import MAX_CELL
from plantrack.model.kinds import Column


def column_values(
    validator: Validator, column: Column, factor: float, raws: list | pa.Array
) -> tuple[list | np.ndarray, dict[int, str | None]]:
    """One column's values and its bad cells ({position: reason}). Column by column, not cell by cell:
    each distinct cell value is validated once (a town name, a code repeated over six years), and plain
    numbers are converted in bulk, with the unit factor and the bounds checked on the whole column."""
    if isinstance(raws, pa.Array):
        return _arrow_values(validator, column, factor, raws)
    if column.type in ("number", "integer"):
        return _number_values(validator, column, factor, raws)
    cache: dict = {}
    values: list = []
    errors: dict[int, str | None] = {}
    for pos, raw in enumerate(raws):
        key = (raw.__class__, raw)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _checked(validator, column, raw, factor)
        values.append(hit[0])
        if hit[1] is not None:
            errors[pos] = hit[1]
    return values, errors


PLAIN_NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"


def _arrow_values(
    validator: Validator, column: Column, factor: float, raws: pa.Array
) -> tuple[list | np.ndarray, dict[int, str | None]]:
    """As column_values, for a CSV column read by pyarrow as text: plain numbers are converted by
    pyarrow, other values are validated once per distinct text."""
    if column.type in ("number", "integer"):
        try:  # the usual column: every filled cell a plain number, cast in one go
            cast = pc.cast(pc.if_else(pc.equal(raws, ""), None, raws), pa.float64())
            numbers = cast.to_numpy(zero_copy_only=False).astype(float)
            slow = ~np.isfinite(numbers) | (pc.utf8_length(raws).to_numpy() > MAX_CELL)
        except pa.ArrowInvalid:  # some text that is not a plain number: find which cells
            plain = pc.and_(
                pc.match_substring_regex(raws, PLAIN_NUMBER),
                pc.less_equal(pc.utf8_length(raws), MAX_CELL),
            )
            numbers = pc.cast(pc.utf8_trim_whitespace(pc.if_else(plain, raws, None)), pa.float64())
            numbers = numbers.to_numpy(zero_copy_only=False).astype(float)
            slow = ~plain.to_numpy(zero_copy_only=False)
        empty = pc.equal(raws, "").to_numpy(zero_copy_only=False)
        if empty.any():  # an empty cell means the same everywhere: check it once
            value, reason = _checked(validator, column, "", factor)
            numbers[empty] = np.nan if value is None else value
            slow &= ~empty
        numbers, errors = _checked_numbers(
            validator, column, factor, numbers, slow, lambda pos: raws[pos].as_py()
        )
        if empty.any() and reason is not None:
            errors.update(dict.fromkeys(np.flatnonzero(empty).tolist(), reason))
        return numbers, errors
    encoded = pc.dictionary_encode(raws)
    distinct = encoded.dictionary.to_pylist()
    if column.type == "code":
        checked = _checked_codes(validator, column, factor, encoded.dictionary, distinct)
    else:
        checked = [_checked(validator, column, raw, factor) for raw in distinct]
    lookup = np.empty(len(distinct) + 1, dtype=object)
    lookup[:-1] = [value for value, _ in checked]
    lookup[-1] = None
    indices = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    kinds = {value.__class__ for value in lookup if value is not None}
    if kinds == {str}:
        # text stays in Arrow: no Python string per cell, and DuckDB reads it without conversion
        values = pd.arrays.ArrowStringArray(pa.array(lookup, type=pa.string()).take(indices))
    elif kinds in ({int}, {bool}):  # years, 是/否: typed columns, not Python objects
        values = pd.array(list(lookup), dtype="Int64" if kinds == {int} else "boolean")
        values = values.take(indices)
    else:
        values = lookup[indices]
    bad = np.array([reason is not None for _, reason in checked] + [False])
    errors: dict[int, str | None] = {
        int(pos): checked[indices[pos]][1] for pos in np.flatnonzero(bad[indices])
    }
    return values, errors


def _checked_codes(
    validator: Validator, column: Column, factor: float, texts: pa.Array, distinct: list
) -> list[tuple]:
    """统一社会信用代码 checked in bulk: written exactly (18 allowed characters) with a right check
    character, a code is accepted as it is; any other text gets the full check and its message."""
    well_formed = pc.match_substring_regex(texts, f"^[{creditcode.CHARSET}]{{18}}$")
    shaped = well_formed.to_numpy(zero_copy_only=False)
    checked: list[tuple | None] = [None] * len(distinct)
    if shaped.any():
        codes = pc.filter(texts, well_formed)
        raw = np.frombuffer(codes.buffers()[2], dtype=np.uint8)
        start = codes.offset * 18  # every one of these codes is 18 one-byte characters
        chars = raw[start : start + 18 * len(codes)].reshape(-1, 18)
        value_of = np.zeros(256, dtype=np.int64)
        for index, char in enumerate(creditcode.CHARSET):
            value_of[ord(char)] = index
        total = value_of[chars[:, :17]] @ np.array(creditcode.WEIGHTS, dtype=np.int64)
        expected = np.frombuffer(creditcode.CHARSET.encode(), dtype=np.uint8)[
            (31 - total % 31) % 31
        ]
        right = expected == chars[:, 17]
        for position, ok in zip(np.flatnonzero(shaped).tolist(), right.tolist(), strict=True):
            if ok:
                checked[position] = (distinct[position], None)
    return [
        done if done is not None else _checked(validator, column, raw, factor)
        for done, raw in zip(checked, distinct, strict=True)
    ]


def _checked(validator: Validator, column: Column, raw: object, factor: float) -> tuple:
    try:
        return validator.cell(column, raw, factor), None
    except CellError as exc:
        return None, str(exc)


def _number_values(
    validator: Validator, column: Column, factor: float, raws: list
) -> tuple[np.ndarray, dict[int, str | None]]:
    plain: list[float] = []  # nan where the cell needs the full check
    for raw in raws:
        kind = raw.__class__
        if kind is float or kind is int:
            plain.append(raw)
        elif kind is str and len(raw) <= MAX_CELL and "_" not in raw:
            try:
                plain.append(float(raw))
            except ValueError:
                plain.append(np.nan)
        else:
            plain.append(np.nan)
    numbers = np.asarray(plain, dtype=float)
    slow = ~np.isfinite(
        numbers
    )  # empty, text like 1,234 or 12%, nan/inf, None, bool: the full check
    return _checked_numbers(validator, column, factor, numbers, slow, raws.__getitem__)


def _checked_numbers(
    validator: Validator,
    column: Column,
    factor: float,
    numbers: np.ndarray,
    slow: np.ndarray,
    raw_at,
) -> tuple[np.ndarray, dict[int, str | None]]:
    """Unit factor and bounds on the plain numbers at once; the cells marked `slow` get the full
    cell check, once per distinct value."""
    numbers = numbers * factor
    errors: dict[int, str | None] = {}
    if column.minimum is not None:
        for pos in np.flatnonzero(~slow & (numbers < column.minimum)):
            errors[int(pos)] = (
                "不能为负数" if column.minimum == 0 else f"不能小于{column.minimum:g}"
            )
    if column.maximum is not None:
        for pos in np.flatnonzero(~slow & (numbers > column.maximum)):
            errors[int(pos)] = f"超过上限{column.maximum:g}{column.unit or ''}"
    if column.type == "integer":
        numbers = np.round(numbers)
    cache: dict = {}
    for pos in np.flatnonzero(slow).tolist():
        raw = raw_at(pos)
        key = (raw.__class__, raw)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _checked(validator, column, raw, factor)
        value, reason = hit
        numbers[pos] = np.nan if value is None else value
        if reason is not None:
            errors[pos] = reason
    return numbers, errors
