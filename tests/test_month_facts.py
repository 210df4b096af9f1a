"""The stored month facts (derived table `month_facts`, read by the 预警 queries): written when monthly data
are imported, written again when that import is undone; each firm-month's 1—N月累计 beside the same month a
year earlier, its 用地 and 1—N月亩均税收, and last year's whole-year total. Figures by hand from the rows
imported here (tests/test_monthly_import.py's two firms: A 甲机械 in 金塘镇 with 用地 40 亩 in 2025, B 乙水产
in 干览镇 with 20 亩)."""

from __future__ import annotations

import duckdb
import pytest

from plantrack.ingest import write
from plantrack.store import derived
from tests.test_monthly_import import FIRM_A, FIRM_B, _csv, real_db  # noqa: F401 (a fixture)

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "年度",
    "月份",
    "当月税收（万元）",
    "当月工业总产值（万元）",
]


def _facts(path) -> dict[tuple, dict]:
    with duckdb.connect(str(path), read_only=True) as con:
        frame = con.execute("select * from month_facts order by credit_code, year, month").df()
    return {
        (row["credit_code"], row["year"], row["month"]): row
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
    }


@pytest.fixture
def with_months(tmp_path, config, real_db):  # noqa: F811 (the fixture imported above)
    """2025: A 税收 30, 50, 20 in months 1—3 (产值 300, 500, 200); 2026: A 税收 40, 45 in months 1—2,
    B 税收 10 in month 1 only."""
    rows = [
        [FIRM_A, "甲", 2025, 1, 30, 300],
        [FIRM_A, "甲", 2025, 2, 50, 500],
        [FIRM_A, "甲", 2025, 3, 20, 200],
        [FIRM_A, "甲", 2026, 1, 40, 350],
        [FIRM_A, "甲", 2026, 2, 45, 400],
        [FIRM_B, "乙", 2026, 1, 10, 100],
    ]
    report = write.import_file(_csv(tmp_path / "月度.csv", HEADER, rows), real_db, config)
    assert report.ok, report.lines()
    return real_db, report.import_id


def test_month_facts_are_written_with_the_monthly_import(with_months):
    path, _ = with_months
    facts = _facts(path)
    assert set(facts) == {
        (FIRM_A, 2025, 1),
        (FIRM_A, 2025, 2),
        (FIRM_A, 2025, 3),
        (FIRM_A, 2026, 1),
        (FIRM_A, 2026, 2),
        (FIRM_B, 2026, 1),
    }
    a = facts[(FIRM_A, 2026, 2)]
    assert a["town"] == "金塘镇" and a["land_mu"] == 40
    assert a["tax_wan"] == 45 and a["tax_wan_last"] == 50  # 2025-02
    assert a["ytd_tax_wan"] == 40 + 45 and a["ytd_tax_wan_last"] == 30 + 50
    assert a["ytd_output_wan"] == 350 + 400 and a["ytd_output_wan_last"] == 300 + 500
    assert a["ytd_mu_tax_wan_per_mu"] == pytest.approx((40 + 45) / 40)
    assert a["year_tax_wan_last"] == 30 + 50 + 20  # the whole of 2025, not only to February
    assert a["year_output_wan_last"] == 300 + 500 + 200
    first = facts[(FIRM_A, 2025, 1)]
    assert first["ytd_tax_wan"] == 30 and first["ytd_tax_wan_last"] is None  # no 2024 months
    assert first["land_mu"] == 40  # 用地 as of 2025
    b = facts[(FIRM_B, 2026, 1)]
    assert b["town"] == "干览镇" and b["land_mu"] == 20
    assert b["ytd_tax_wan"] == 10 and b["tax_wan_last"] is None and b["year_tax_wan_last"] is None
    assert b["ytd_mu_tax_wan_per_mu"] == pytest.approx(10 / 20)


def test_month_facts_are_written_again_when_the_import_is_undone(tmp_path, config, with_months):
    path, _ = with_months
    later = _csv(tmp_path / "3月.csv", HEADER, [[FIRM_A, "甲", 2026, 3, 60, 500]])
    report = write.import_file(later, path, config)
    assert report.ok, report.lines()
    march = _facts(path)[(FIRM_A, 2026, 3)]
    assert march["ytd_tax_wan"] == 40 + 45 + 60 and march["ytd_tax_wan_last"] == 30 + 50 + 20
    write.undo(report.import_id, path, config)
    facts = _facts(path)
    assert (FIRM_A, 2026, 3) not in facts
    assert facts[(FIRM_A, 2026, 2)]["ytd_tax_wan"] == 40 + 45


def test_a_month_of_last_year_writes_this_years_facts_again(tmp_path, config, with_months):
    """2025-04 (税收 25) changes 2025's facts and 2026's 上年全年 (its 序时), not only 2025's."""
    path, _ = with_months
    april = _csv(tmp_path / "4月.csv", HEADER, [[FIRM_A, "甲", 2025, 4, 25, 250]])
    report = write.import_file(april, path, config)
    assert report.ok, report.lines()
    facts = _facts(path)
    assert facts[(FIRM_A, 2025, 4)]["ytd_tax_wan"] == 30 + 50 + 20 + 25
    assert facts[(FIRM_A, 2026, 2)]["year_tax_wan_last"] == 30 + 50 + 20 + 25
    assert facts[(FIRM_A, 2026, 2)]["ytd_tax_wan_last"] == 30 + 50  # 1—2月 as before
    assert len(facts) == 7


def test_a_changed_grading_method_leaves_the_month_facts_stored(config, with_months):
    """The grades are computed again under a changed 亩均评价 method; the month facts do not read it."""
    path, _ = with_months
    changed = config.model_copy(
        update={"grading": config.grading.model_copy(update={"cap": config.grading.cap + 1})}
    )
    with duckdb.connect(str(path), read_only=True) as con:
        assert set(derived.relations(con, changed, ["grades", "month_facts"])) == {"grades"}
