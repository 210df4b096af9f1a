"""The staging layer (queries/staging/): the macros exist in every warehouse, an older file gets them, and
the per-enterprise ratios equal a plain computation from the raw row."""

from __future__ import annotations

import json
import math

import duckdb
import pytest

from plantrack.store import db, writer


def ratio(top, bottom, scale=1.0):
    return None if top is None or bottom is None or bottom == 0 else scale * top / bottom


def test_per_enterprise_ratios_match_the_raw_row(con):
    rows = con.execute(
        "select credit_code, year, tax_wan, land_mu, value_added_wan, energy_tce, employees, rd_wan,"
        " revenue_wan from enterprise_years order by credit_code, year limit 50"
    ).fetchall()
    frame = con.execute(
        "select credit_code, year, mu_tax_wan_per_mu, value_added_per_energy_wan_per_tce,"
        " labour_productivity_wan_per_person, rd_ratio_pct from stg_enterprise_years()"
    ).df()
    by_key = frame.set_index(["credit_code", "year"])
    for code, year, tax, land, added, energy, staff, rd, revenue in rows:
        got = by_key.loc[(code, year)]

        for column, expected in [
            ("mu_tax_wan_per_mu", ratio(tax, land)),
            ("value_added_per_energy_wan_per_tce", ratio(added, energy)),
            ("labour_productivity_wan_per_person", ratio(added, staff)),
            ("rd_ratio_pct", ratio(rd, revenue, 100.0)),
        ]:
            value = got[column]
            if expected is None or (isinstance(expected, float) and math.isnan(expected)):
                assert value is None or math.isnan(value), (code, year, column)
            else:
                assert value == pytest.approx(expected), (code, year, column)


def test_an_older_warehouse_gets_the_macros(tmp_path, demo_db):
    path = tmp_path / "old.duckdb"
    path.write_bytes(demo_db.read_bytes())
    with duckdb.connect(str(path)) as con:
        for (name,) in con.execute(
            "select distinct function_name from duckdb_functions() where macro_definition is not null"
            " and not internal"
        ).fetchall():
            con.execute(f'drop macro table if exists "{name}"')
            con.execute(f'drop macro if exists "{name}"')
        db.set_meta(con, "schema_version", "1")
        tax_before = con.execute("select sum(tax_wan) from enterprise_years").fetchone()
    with duckdb.connect(str(path), read_only=True) as con, pytest.raises(duckdb.Error):
        db.run_query(con, "derived/yearly_summary")
    assert writer.upgrade(path) is True
    assert writer.upgrade(path) is False  # once
    with duckdb.connect(str(path), read_only=True) as con:
        assert db.read_meta(con)["schema_version"] == db.SCHEMA_VERSION
        assert not db.run_query(con, "derived/yearly_summary").empty
        assert con.execute("select sum(tax_wan) from enterprise_years").fetchone() == tax_before


def test_an_older_files_derived_tables_are_dropped_before_the_macros_read_new_columns(
    tmp_path, demo_db, config
):
    """A file from the plantrack before grades carried 亩均税收: its grades lack the column the new
    stg_low_efficiency reads. The upgrade drops its derived tables (an older layout), creates the macros,
    and the low-efficiency figures are computed afresh — the same as on a current file."""
    from plantrack.store import derived

    path = tmp_path / "older.duckdb"
    path.write_bytes(demo_db.read_bytes())
    params = {"town": None, "line": 5.0, "park_only": False}
    with duckdb.connect(str(demo_db), read_only=True) as con:
        expected = db.run_query(con, "metrics/low_efficiency_count", **params)
    with duckdb.connect(str(path)) as con:
        con.execute("drop macro table if exists stg_low_efficiency")
        con.execute("alter table grades drop column mu_tax_wan_per_mu")
        db.set_meta(con, "derived", "3:older")
        db.set_meta(con, "schema_version", "2")
    assert writer.upgrade(path) is True
    with duckdb.connect(str(path), read_only=True) as con:
        assert not derived.is_current(con, config)
        got = derived.run(con, config, "metrics/low_efficiency_count", **params)
    assert got.equals(expected)
    assert expected["firms"].sum() > 0


def test_a_file_with_the_old_electricity_column_is_renamed_and_keeps_its_figures(tmp_path, demo_db):
    """Before schema 4 用电量 (万千瓦时) was stored as electricity_mwh: the upgrade renames the column,
    and the rows an import saved for undo, without changing a figure; the ratios read it again."""
    path = tmp_path / "schema3.duckdb"
    path.write_bytes(demo_db.read_bytes())
    with duckdb.connect(str(path)) as con:
        con.execute(
            "alter table enterprise_years rename column electricity_wan_kwh to electricity_mwh"
        )
        con.execute(
            "insert into import_changes values (99, 'enterprise_years', '{}',"
            ' \'{"credit_code": "X", "electricity_mwh": 12.5}\')'
        )
        db.set_meta(con, "schema_version", "3")
        before = con.execute(
            "select sum(electricity_mwh), sum(tax_wan) / sum(electricity_mwh) from enterprise_years"
            " where electricity_mwh > 0 and tax_wan is not null"
        ).fetchone()
    assert writer.upgrade(path) is True
    with duckdb.connect(str(path), read_only=True) as con:
        columns = db.run_query(con, "warehouse/table_columns", table_name="enterprise_years")
        assert "electricity_wan_kwh" in set(columns["column_name"])
        assert "electricity_mwh" not in set(columns["column_name"])
        after = con.execute(
            "select sum(electricity_wan_kwh), sum(tax_wan) / sum(electricity_wan_kwh)"
            " from enterprise_years where electricity_wan_kwh > 0 and tax_wan is not null"
        ).fetchone()
        saved = con.execute("select old_json from import_changes where import_id = 99").fetchone()
        ratios = con.execute(
            "select count(tax_per_electricity_wan_per_wan_kwh) from stg_enterprise_years()"
        ).fetchone()
    assert after == before
    assert json.loads(saved[0]) == {"credit_code": "X", "electricity_wan_kwh": 12.5}
    assert ratios[0] > 0
