"""The stored projected grades (derived table `month_grades`, read by 预警's 预计滑入D档), firm warnings
(`month_warnings`, its arithmetic rules at every as-of month) and 1—N月累计 (`year_to_date`): a month's import writes again only the
years it touches (and the later ones, or the next), and what it leaves is what a whole rewrite would
store — after a month of this year, a month of last year (this year's seasonal shares and 同比 read it)
and an undo. The 预警 read from them are those judged now. On a copy of the demo database, marked as
real data so that it takes imports."""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from plantrack.engine import warnings
from plantrack.ingest import write
from plantrack.model import warning_rules
from plantrack.model.kinds import MONTHLY
from plantrack.store import db, derived, firm_warnings

STORED = {
    "month_grades": "select * from month_grades order by year, month, credit_code",
    "month_warnings": "select * from month_warnings order by year, month, rule, credit_code",
    "year_to_date": "select * from year_to_date order by year, month, credit_code",
}


@pytest.fixture
def real_copy(tmp_path, demo_db):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, path)
    with db.writable(path) as con:
        db.set_meta(con, "data_kind", "real")  # a demo database refuses real imports
    return path


def _stored(path, table="month_grades") -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(STORED[table]).df()


def _rewritten(path, tmp_path, config, table="month_grades") -> pd.DataFrame:
    """Every derived table written anew on a copy: what the stored ones must equal."""
    copy = tmp_path / "anew.duckdb"
    shutil.copy(path, copy)
    with db.writable(copy) as con:
        derived.store(con, config)
    return _stored(copy, table)


def _same_as_rewritten(path, tmp_path, config) -> None:
    for table in STORED:
        pd.testing.assert_frame_equal(
            _stored(path, table), _rewritten(path, tmp_path, config, table)
        )


def _month_csv(path, tmp_path, name, year, month, source_year, source_month, tax_factor=1.0):
    """A month's CSV (当月 layout) copying every firm's figures of another month, 税收 × `tax_factor`."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select credit_code, name, output_wan, revenue_wan, profit_wan, tax_wan, electricity_wan_kwh "
            "from enterprise_months inner join enterprises using (credit_code) "
            "where year = ? and month = ? order by credit_code",
            [source_year, source_month],
        ).df()
    rows.insert(2, "year", year)
    rows.insert(3, "month", month)
    rows["tax_wan"] = rows["tax_wan"] * tax_factor
    columns = {column.field: MONTHLY.header(column) for column in MONTHLY.columns}
    source = tmp_path / name
    rows.rename(columns=columns).to_csv(source, index=False, encoding="utf-8-sig")
    return source


def test_the_next_month_adds_its_grades_and_leaves_the_rest(real_copy, tmp_path, config):
    before = _stored(real_copy)
    before_warnings = _stored(real_copy, "month_warnings")
    assert set(before["year"]) == {2023, 2024, 2025, 2026} and before["month"].max() == 12
    assert before.loc[before["year"] == 2026, "month"].max() == 10
    november = _month_csv(real_copy, tmp_path, "2026年11月.csv", 2026, 11, 2026, 10)
    report = write.import_file(november, real_copy, config, kind="monthly")
    assert report.ok, report.lines()
    after = _stored(real_copy)
    assert after.loc[after["year"] == 2026, "month"].max() == 11
    assert _stored(real_copy, "month_warnings").query("year == 2026")["month"].max() == 11
    _same_as_rewritten(real_copy, tmp_path, config)
    earlier = after[(after["year"] < 2026) | (after["month"] <= 10)].reset_index(drop=True)
    pd.testing.assert_frame_equal(earlier, before)  # a month's grades never read later months
    warned = _stored(real_copy, "month_warnings")
    earlier = warned[(warned["year"] < 2026) | (warned["month"] <= 10)].reset_index(drop=True)
    pd.testing.assert_frame_equal(earlier, before_warnings)  # nor its warnings
    write.undo(report.import_id, real_copy, config)
    pd.testing.assert_frame_equal(_stored(real_copy), before)
    pd.testing.assert_frame_equal(_stored(real_copy, "month_warnings"), before_warnings)


def test_a_month_of_last_year_grades_this_year_again(real_copy, tmp_path, config):
    """2025-12 arrives late (税收 half the demo's): 2025's December projection and 2026's seasonal shares
    (2025 is complete again: every month of 2026) change; 2023 and 2024 do not."""
    december = _month_csv(real_copy, tmp_path, "2025年12月.csv", 2025, 12, 2025, 12, tax_factor=0.5)
    with db.writable(real_copy) as con:  # as if December had not been reported
        con.execute("delete from enterprise_months where year = 2025 and month = 12")
        derived.store(con, config)
    before = _stored(real_copy)
    report = write.import_file(december, real_copy, config, kind="monthly")
    assert report.ok, report.lines()
    after = _stored(real_copy)
    _same_as_rewritten(real_copy, tmp_path, config)
    changed = after.merge(before, on=["credit_code", "year", "month"], suffixes=("", "_before"))
    changed = changed[changed["score"].ne(changed["score_before"]) & changed["score"].notna()]
    assert set(changed["year"]) == {2026}  # 2025's December is new, not changed
    assert set(changed["month"]) == set(range(1, 11))
    assert set(after.loc[after["year"] == 2025, "month"]) - set(
        before.loc[before["year"] == 2025, "month"]
    ) == {12}


def test_the_stored_warnings_are_those_judged_now(demo_db, config, monkeypatch):
    """预警 as of 2026-10 from the stored tables, and with them taken as stale (judged now): the same."""
    rules = warning_rules.load_rules()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert derived.is_current(con, config) and firm_warnings.is_current(con, rules)
        stored = warnings.evaluate(con, config, rules, 2026, 10)
        monkeypatch.setattr(firm_warnings, "is_current", lambda con, rules: False)
        monkeypatch.setattr(derived, "is_current", lambda con, config: False)
        now = warnings.evaluate(con, config, rules, 2026, 10)
    assert {w.kind for w in stored} >= {"阈值", "同比", "连续下滑", "低于本镇街均值", "预计档次"}
    assert stored == now


def test_other_rules_are_judged_now(demo_db, config):
    """Rules other than those stored (a stricter line): judged now, not read from the stored table."""
    rules = warning_rules.load_rules()
    stricter = rules.model_copy(
        update={
            "rules": [
                rule.model_copy(update={"below": rule.below * 2})
                if rule.kind == "threshold"
                else rule
                for rule in rules.rules
            ]
        }
    )
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert not firm_warnings.is_current(con, stricter)
        loose = [w for w in warnings.evaluate(con, config, rules, 2026, 10) if w.kind == "阈值"]
        strict = [w for w in warnings.evaluate(con, config, stricter, 2026, 10) if w.kind == "阈值"]
    assert len(strict) > len(loose)
