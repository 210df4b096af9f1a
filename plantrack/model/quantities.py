"""The catalogue of quantities: what each numeric column is called on screen, its unit and precision, what
it means, where it comes from, how often, and which way is better. One place, read by every table header,
Excel column, chart axis, deck label, import-template header and grading key.

The entries are data, in quantities.toml beside this file, keyed by SQL column name (queries/schema.sql,
the derived tables, the queries' results) and the few columns the engine adds to what pages show (完成率,
序时进度, 镇街任务). A column's name carries its unit as a suffix (`_wan` 万元, `_yi` 亿元, `_mu` 亩, `_tce`
吨标准煤, `_wan_kwh` 万千瓦时, `_pct` %), and the entry says the same unit (tests/test_quantities.py checks
both)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

CATALOGUE = Path(__file__).with_suffix(".toml")
COMPUTED = "区经信局（由企业数据计算）"  # 来源部门 of a figure computed here from enterprise data
YEARLY = "年度"


@dataclass(frozen=True)
class Quantity:
    label: str
    unit: str  # "" for a year, a rank or an identifier; a figure whose unit is on its row says so
    decimals: int
    definition: str
    source: str = COMPUTED  # 来源部门
    frequency: str = YEARLY  # 更新频率
    better: Literal["higher", "lower"] | None = None
    graded: bool = (
        False  # a 亩均评价 method may score it (targets.toml [grading], keyed by the column)
    )

    @property
    def header(self) -> str:
        """As a table header, Excel column or chart axis: `亩均税收（万元/亩）`."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label


def load(path: Path = CATALOGUE) -> dict[str, Quantity]:
    """The catalogue from its TOML file; a misspelt field or a bad `better` fails here, at import."""
    with path.open("rb") as handle:
        entries = tomllib.load(handle)
    catalogue = {column: Quantity(**entry) for column, entry in entries.items()}
    for column, entry in catalogue.items():
        if entry.better not in {"higher", "lower", None} or not isinstance(entry.decimals, int):
            raise ValueError(f"quantities.toml › {column}: {entry}")
    return catalogue


QUANTITIES: dict[str, Quantity] = load()
# the per-enterprise ratios a 亩均评价 method may score, in the catalogue's order
GRADED = tuple(column for column, entry in QUANTITIES.items() if entry.graded)


def header(column: str) -> str:
    """`用地面积（亩）` for `land_mu`."""
    return QUANTITIES[column].header


def headers(columns: Iterable[str]) -> dict[str, str]:
    """{column: header}, to rename a frame's columns for display."""
    return {column: header(column) for column in columns}


def label(column: str) -> str:
    return QUANTITIES[column].label


def unit(column: str) -> str:
    return QUANTITIES[column].unit


HEADERS = {entry.header for entry in QUANTITIES.values()}
