"""What an import does to a table, cell by cell: rows inserted or replaced (the ledger keeps the old
rows for undo), every changed cell, and the import's changes in the ledger's words."""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass, field

import pandas as pd

from plantrack.model.kinds import KINDS, Kind
from plantrack.store import db
from plantrack.store.db import Connection

# Each kind's table, and the enterprises an 企业年度数据 file also writes: the fields that identify a
# row, and what the table is called on screen (a new kind of file brings its own)
TABLE_KEYS = {"enterprises": ("credit_code",)} | {kind.table: kind.keys for kind in KINDS.values()}
TABLE_LABELS = {"enterprises": "企业信息"} | {kind.table: kind.label for kind in KINDS.values()}


@dataclass
class Changes:
    """What an import did to one table: rows added, replaced and unchanged, and every changed cell of
    the replaced rows (key, column, old value, new value)."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    cells: list[tuple[dict, str, object, object]] = field(default_factory=list)
    added_years: dict[int, int] = field(default_factory=dict)  # rows added per year (keyed by year)


def upsert(con: Connection, table: str, incoming: pd.DataFrame, import_id: int) -> Changes:
    """Insert or replace rows; columns the file does not have keep their old values. Returns what
    changed, and records in the ledger what import `import_id` added and replaced (undo restores it).

    New keys are handled in bulk (their ledger entry is just the key, written by DuckDB); only rows whose
    key already exists are compared one by one, to tell replaced from unchanged and keep the old row."""
    keys = list(TABLE_KEYS[table])
    current = db.run_query(con, f"write/current_{table}", relations={"incoming": incoming[keys]})
    full_columns = list(
        db.run_query(con, "warehouse/table_columns", table_name=table)["column_name"]
    )
    merged = incoming.copy()
    if not current.empty:
        merged = incoming.merge(current, on=keys, how="left", suffixes=("", "__old"))
        for column in full_columns:
            if column in keys:
                continue
            if column in incoming.columns:
                continue
            merged[column] = merged[column] if column in merged.columns else None
        merged = merged[[c for c in merged.columns if not c.endswith("__old")]]
    for column in full_columns:
        if column not in merged.columns:
            merged[column] = None
    merged = merged[full_columns]
    if current.empty:
        exists = pd.Series(False, index=merged.index)
    else:
        exists = (
            merged[keys]
            .merge(current[keys].assign(__exists=True), on=keys, how="left")["__exists"]
            .fillna(False)
            .astype(bool)
            .set_axis(merged.index)
        )
    added = int((~exists).sum())
    if added:
        db.run_query(
            con,
            "write/record_added",
            relations={"new_keys": merged.loc[~exists, keys]},
            import_id=import_id,
            table_name=table,
        )
    old_by_key = {tuple(row[k] for k in keys): row for row in current.to_dict("records")}
    changes = Changes(added=added)
    if added and "year" in keys:
        years = merged.loc[~exists, "year"].value_counts().sort_index()
        changes.added_years = {int(year): int(count) for year, count in years.items()}
    kept = []
    for row in merged[exists].to_dict("records"):
        key = tuple(row[k] for k in keys)
        old = old_by_key[key]
        differ = [column for column, value in row.items() if _differs(old.get(column), value)]
        if not differ:
            changes.unchanged += 1
        else:
            changes.replaced += 1
            named = dict(zip(keys, key, strict=True))
            changes.cells += [(named, column, old.get(column), row[column]) for column in differ]
            kept.append(
                {
                    "table_name": table,
                    "key_json": json.dumps(
                        dict(zip(keys, key, strict=True)), ensure_ascii=False, default=str
                    ),
                    "old_json": json.dumps(old, ensure_ascii=False, default=str),
                }
            )
    if kept:
        db.run_query(
            con,
            "write/record_changes",
            relations={"changes": pd.DataFrame(kept)},
            import_id=import_id,
        )
    if added:
        db.run_query(con, f"write/insert_{table}", relations={"incoming": merged[~exists]})
    if added < len(merged):
        db.run_query(con, f"write/upsert_{table}", relations={"incoming": merged[exists]})
    return changes


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def _differs(before: object, after: object) -> bool:
    """Whether a cell changed: a value that becomes empty (or empty that gets a value) is a change;
    numbers compare with a relative tolerance of 1e-9."""
    if _missing(before) or _missing(after):
        return _missing(before) != _missing(after)
    numeric = (numbers.Number,)
    if (
        isinstance(before, numeric)
        and isinstance(after, numeric)
        and not isinstance(before, bool)
        and not isinstance(after, bool)
    ):
        before, after = float(before), float(after)
        if math.isinf(before) or math.isinf(after):
            return before != after
        return abs(after - before) > 1e-9 * max(1.0, abs(after))
    return before != after


def summary(tables: dict[str, Changes]) -> str:
    """Changed cells per table, and renamed enterprises by name, for the report."""
    parts = []
    for table, changes in tables.items():
        if changes.cells:
            parts.append(f"{TABLE_LABELS[table]}改动 {len(changes.cells)} 个单元格")
    renamed = [
        f"{old}→{new}"
        for _, column, old, new in tables.get("enterprises", Changes()).cells
        if column == "name"
    ]
    if renamed:
        shown = "、".join(renamed[:10]) + (f" 等 {len(renamed)} 家" if len(renamed) > 10 else "")
        parts.append(f"更名 {len(renamed)} 家：{shown}")
    return "；".join(parts)


def in_words(kind: Kind, tables: dict[str, Changes]) -> str:
    """What an import changed, as the ledger says it: "新增 12 家企业的 2025 年数据；3 家税收实际贡献有
    改动；更名 1 家"."""
    main = tables.get(kind.table, Changes())
    by_firm = "credit_code" in kind.keys
    parts = []
    for year, count in main.added_years.items():
        if by_firm and kind.keys == ("credit_code", "year"):
            parts.append(f"新增 {count} 家企业的 {year} 年数据")
        else:
            parts.append(f"新增 {year} 年{kind.label} {count} 条")
    if main.added and not main.added_years:
        parts.append(f"新增{kind.label} {main.added} 条")
    names = {column.field: column.name for column in kind.columns}
    changed: dict[str, set] = {}
    for table in (kind.table, "enterprises"):
        for key, column, _, _ in tables.get(table, Changes()).cells:
            if column in names and (column != "name" or table != "enterprises"):
                changed.setdefault(names[column], set()).add(tuple(key.values()))
    unit = "家" if by_firm else "条"
    parts += [f"{len(keys)} {unit}{name}有改动" for name, keys in changed.items()]
    renamed = sum(
        column == "name" for _, column, _, _ in tables.get("enterprises", Changes()).cells
    )
    if renamed:
        parts.append(f"更名 {renamed} 家")
    if not parts:
        return "与库中已有数据相同，没有改动"
    return "；".join(parts)
