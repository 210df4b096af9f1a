"""The catalogue of quantities (plantrack/model/quantities.py) against what is stored and what is shown:
every numeric column of the warehouse and of every query is in it; every numeric column a page, an export
or an import template shows carries the catalogue's label and unit; the grading keys are its columns."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from plantrack.app.navigation import PAGES
from plantrack.model.kinds import KINDS
from plantrack.model.quantities import HEADERS, QUANTITIES
from tests.apptest import as_user
from tests.test_queries import CONTRACTS, _run

# a column's name ends in its unit (the longest suffix that fits)
SUFFIX_UNITS = {
    "_wan_per_mu": "万元/亩",
    "_wan_per_person": "万元/人",
    "_wan_per_tce": "万元/吨标准煤",
    "_wan_per_t": "万元/吨",
    "_wan_per_wan_kwh": "万元/万千瓦时",
    "_tce_per_wan": "吨标准煤/万元",
    "_wan_kwh": "万千瓦时",
    "_wan": "万元",
    "_yi": "亿元",
    "_mu": "亩",
    "_tce": "吨标准煤",
    "_pct": "%",
    "_t": "吨",
    "_points": "百分点",
}
NUMERIC = ("INTEGER", "BIGINT", "DOUBLE", "DECIMAL", "HUGEINT", "SMALLINT", "FLOAT", "REAL")
# `标签（单位）`, `标签（单位，说明）`: a header that names a unit
WITH_UNIT = re.compile(r"^(?P<label>[^（]+)（(?P<unit>[^（），]+)(，[^（）]*)?）$")


def _suffix_unit(column: str) -> str | None:
    fitting = [suffix for suffix in SUFFIX_UNITS if column.endswith(suffix)]
    return SUFFIX_UNITS[max(fitting, key=len)] if fitting else None


def test_every_numeric_column_of_the_warehouse_is_catalogued(con):
    columns = con.execute(
        "select table_name, column_name, data_type from information_schema.columns"
    ).fetchall()
    numeric = {(table, column) for table, column, kind in columns if kind.startswith(NUMERIC)}
    assert {"enterprise_years", "grades", "yearly_summary"} <= {table for table, _ in numeric}
    assert sorted(f"{t}.{c}" for t, c in numeric if c not in QUANTITIES) == []


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_every_numeric_column_a_query_returns_is_catalogued(con, config, name):
    frame = _run(con, config, name)
    numeric = frame.select_dtypes("number").columns
    assert [column for column in numeric if column not in QUANTITIES] == []


def test_a_columns_name_says_its_unit_and_none_lies(con):
    said = {column: _suffix_unit(column) for column in QUANTITIES}
    assert {
        c: (u, QUANTITIES[c].unit) for c, u in said.items() if u and u != QUANTITIES[c].unit
    } == {}
    stored = [
        row[0]
        for row in con.execute("select column_name from information_schema.columns").fetchall()
    ]
    assert [column for column in [*QUANTITIES, *stored] if column.endswith("_mwh")] == []


def test_every_entry_is_complete():
    for column, entry in QUANTITIES.items():
        assert entry.label and entry.definition and entry.source and entry.frequency, column
        assert 0 <= entry.decimals <= 3, column
        assert entry.better in {"higher", "lower", None}, column


def test_import_template_headers_are_the_catalogues():
    for kind in KINDS.values():
        for column in kind.columns:
            if column.type in {"number", "integer"}:
                # a monthly file's 当月 figures are the catalogue's columns read for one month
                said = "当月" if kind.key == "monthly" and column.name.startswith("当月") else ""
                expected = said + QUANTITIES[column.field].header
                assert kind.header(column) == expected, (kind.key, column)


def test_grading_keys_are_catalogued_columns_with_their_label_and_unit(config):
    for item in config.grading.indicators:
        entry = QUANTITIES[item.indicator]
        assert (item.label, item.unit) == (entry.label, entry.unit), item.indicator


def test_the_metric_catalogue_uses_the_columns_units(config):
    """targets.toml's metrics name a query column: the metric's unit is that column's."""
    for key, metric in config.metrics.items():
        if metric.kind == "query" and metric.column in QUANTITIES:
            assert metric.unit == QUANTITIES[metric.column].unit, key


def _allowed_headers(config) -> set[str]:
    """The catalogue's headers, and a metric's (targets.toml) where it names a catalogued column: its
    label with that column's unit (`规上工业亩均税收（万元/亩）`)."""
    metric_headers = {
        f"{metric.label}（{QUANTITIES[metric.column].unit}）"
        for metric in config.metrics.values()
        if metric.kind == "query" and metric.column in QUANTITIES
    }
    return HEADERS | metric_headers


def _labels(config) -> set[str]:
    return {entry.label for entry in QUANTITIES.values()} | {
        m.label for m in config.metrics.values() if m.kind == "query" and m.column in QUANTITIES
    }


def _is_year(header: str, values: pd.Series) -> bool:
    """年度, 申报年度, 认定年度 …: a year, not a quantity."""
    return header.endswith(("年度", "年份")) and values.dropna().between(1900, 2100).all()


def _wrong_headers(frame: pd.DataFrame, allowed: set[str], labels: set[str]) -> list[str]:
    wrong = []
    for header in frame.columns:
        values = frame[header]
        shaped = WITH_UNIT.match(str(header))
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values):
            if header not in allowed and not _is_year(str(header), values):
                wrong.append(header)
        elif shaped and shaped["label"] in labels and header not in allowed:
            wrong.append(header)
    return wrong


def _wrong_titles(titles: list[str], allowed: set[str], labels: set[str]) -> list[str]:
    """Titles that name a catalogued quantity (`标签（单位，说明）`) with another unit."""
    wrong = []
    for title in titles:
        shaped = WITH_UNIT.match(title)
        named = shaped and f"{shaped['label']}（{shaped['unit']}）"
        if shaped and shaped["label"] in labels and named not in allowed:
            wrong.append(title)
    return wrong


def _chart_titles(spec: dict) -> list[str]:
    layout = spec["layout"]
    axes = [
        (value.get("title") or {}).get("text") or ""
        for key, value in layout.items()
        if key.startswith(("xaxis", "yaxis"))
    ]
    return axes + [note.get("text", "") for note in layout.get("annotations", [])]


@pytest.mark.slow  # every page under AppTest
def test_every_page_shows_numbers_under_the_catalogues_headers(app, config):
    """Each page as 管理员 sees it: every numeric table column, and every chart axis or panel title that
    names a catalogued quantity, carries the catalogue's label and unit."""
    allowed, labels = _allowed_headers(config), _labels(config)
    as_user(app)
    wrong = {}
    for spec in PAGES:
        app.switch_page(spec.path).run()
        assert not app.exception, (spec.path, app.exception)
        for index, table in enumerate(app.dataframe):
            wrong_here = _wrong_headers(table.value, allowed, labels)
            if wrong_here:
                wrong[f"{spec.path} table {index}"] = wrong_here
        for chart in app.get("plotly_chart"):
            titles = _chart_titles(json.loads(chart.proto.spec))
            wrong_here = _wrong_titles(titles, allowed, labels)
            if wrong_here:
                wrong[f"{spec.path} {chart.proto.id}"] = wrong_here
    assert wrong == {}


def test_excel_exports_carry_the_catalogues_headers(con, config):
    """The downloads that are not the table on screen (numbers stay numbers, the unit in the header)."""
    from plantrack.engine import progress, quotas
    from plantrack.report import tables

    frame = progress.to_frame(progress.evaluate(con, config, 2024))
    plan = next(plan for plan in config.plans if plan.quotas)
    fulfilled = quotas.fulfillment(quotas.cells(con, plan), plan, 2024, config.status)
    exports = {
        "进度": tables.progress_export(frame, config.status.labels),
        "镇街任务": tables.town_quota_export(fulfilled),
    }
    allowed, labels = _allowed_headers(config), _labels(config)
    for sheet, frame in exports.items():
        assert _wrong_headers(frame, allowed, labels) == [], sheet


def test_the_decks_figures_carry_the_catalogues_labels_and_units(con, config):
    """A slide's series named as a catalogued quantity carries its unit; the 低效企业 slide's figures are
    headed by the catalogue's labels and written in its units."""
    from plantrack.report.deck import slides

    allowed, labels = _allowed_headers(config), _labels(config)
    deck = slides.build(con, config, 2024)
    for slide in deck.slides:
        assert _wrong_titles([series.name for series in slide.series], allowed, labels) == []
    low = next(s for s in deck.slides if s.kind == "table" and s.title.startswith("低效企业"))
    assert low.rows
    for column in ["land_mu", "tax_wan", "mu_tax_wan_per_mu"]:
        entry = QUANTITIES[column]
        index = low.columns.index(entry.label)
        units = {entry.unit, "亿元"} if entry.unit == "万元" else {entry.unit}
        assert all(row[index].endswith(tuple(units)) for row in low.rows), column
