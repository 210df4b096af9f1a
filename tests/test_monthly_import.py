"""企业月度数据 (issue 27): the 当月 and the 1—N月累计 layouts give the same stored figures; a 累计 that
decreases, a month reported twice with other figures, and a missing earlier month are refused; a finished
year's twelve months are compared with its annual figure; undo removes the months. Figures by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from plantrack.ingest import archive, creditcode, write

FIRM_A = creditcode.make("330902", "MA2A1B3C")
FIRM_B = creditcode.make("330902", "MA2A1B4D")


def _csv(path: Path, header: list[str], rows: list[list]) -> Path:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def real_db(tmp_path, config) -> Path:
    """Two firms with a 2025 annual row: A's 税收 1200, 工业总产值 12000; B's 税收 600."""
    path = tmp_path / "real.duckdb"
    header = [
        "统一社会信用代码",
        "企业名称",
        "所属镇街",
        "所属行业",
        "年度",
        "是否规上",
        "用地面积（亩）",
        "税收实际贡献（万元）",
        "工业总产值（万元）",
    ]
    rows = [
        [FIRM_A, "甲机械有限公司", "金塘镇", "机械制造", 2025, "是", 40, 1200, 12000],
        [FIRM_B, "乙水产有限公司", "干览镇", "水产品加工", 2025, "是", 20, 600, 6000],
    ]
    report = write.import_file(_csv(tmp_path / "年度.csv", header, rows), path, config)
    assert report.ok, report.lines()
    return path


def _months(path: Path) -> dict[tuple, tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select credit_code, year, month, tax_wan, output_wan, profit_wan "
            "from enterprise_months order by all"
        ).fetchall()
    return {(code, year, month): tuple(rest) for code, year, month, *rest in rows}


def test_cumulative_and_current_layouts_store_the_same_figures(tmp_path, config, real_db):
    other = tmp_path / "other.duckdb"
    other.write_bytes(real_db.read_bytes())
    # 当月: 税收 100, 80, 120; 利润 10, -4, 6
    current = _csv(
        tmp_path / "当月.csv",
        [
            "统一社会信用代码",
            "企业名称",
            "年度",
            "月份",
            "当月税收（万元）",
            "当月利润总额（万元）",
        ],
        [
            [FIRM_A, "甲", 2026, m, tax, profit]
            for m, tax, profit in ((1, 100, 10), (2, 80, -4), (3, 120, 6))
        ],
    )
    # the same as 1—N月累计: 税收 100, 180, 300; 利润 10, 6, 12 (a 利润 累计 may fall)
    cumulative = _csv(
        tmp_path / "累计.csv",
        [
            "统一社会信用代码",
            "企业名称",
            "年度",
            "月份",
            "1—N月累计税收（万元）",
            "累计利润总额（万元）",
        ],
        [
            [FIRM_A, "甲", 2026, m, tax, profit]
            for m, tax, profit in ((1, 100, 10), (2, 180, 6), (3, 300, 12))
        ],
    )
    assert write.import_file(current, real_db, config, kind="monthly").ok
    report = write.import_file(cumulative, other, config)  # the kind found from the header
    assert report.ok, report.lines()
    expected = {
        (FIRM_A, 2026, 1): (100.0, None, 10.0),
        (FIRM_A, 2026, 2): (80.0, None, -4.0),
        (FIRM_A, 2026, 3): (120.0, None, 6.0),
    }
    assert _months(real_db) == expected
    assert _months(other) == expected


def test_cumulative_continues_from_stored_months(tmp_path, config, real_db):
    first = _csv(
        tmp_path / "1月.csv",
        ["统一社会信用代码", "企业名称", "年度", "月份", "累计税收"],
        [[FIRM_A, "甲", 2026, 1, 100]],
    )
    second = _csv(
        tmp_path / "2月.csv",
        ["统一社会信用代码", "企业名称", "年度", "月份", "累计税收"],
        [[FIRM_A, "甲", 2026, 2, 175]],
    )
    assert write.import_file(first, real_db, config).ok
    assert write.import_file(second, real_db, config).ok
    assert _months(real_db)[(FIRM_A, 2026, 2)][0] == 75.0  # 175 − 100


def test_a_decreasing_cumulative_is_refused(tmp_path, config, real_db):
    path = _csv(
        tmp_path / "累计.csv",
        ["统一社会信用代码", "企业名称", "年度", "月份", "累计税收"],
        [[FIRM_A, "甲", 2026, 1, 100], [FIRM_A, "甲", 2026, 2, 90]],
    )
    report = write.import_file(path, real_db, config)
    assert not report.ok
    assert "累计值90小于上月累计100" in report.problems[0].reason
    assert _months(real_db) == {}


def test_a_cumulative_without_the_month_before_is_refused(tmp_path, config, real_db):
    path = _csv(
        tmp_path / "累计.csv",
        ["统一社会信用代码", "企业名称", "年度", "月份", "累计税收"],
        [[FIRM_A, "甲", 2026, 3, 300]],
    )
    report = write.import_file(path, real_db, config)
    assert [p.reason.split("，")[0] for p in report.problems] == ["缺少2026年1—2月累计"]


def test_a_month_reported_twice_with_other_figures_is_a_conflict(tmp_path, config, real_db):
    header = ["统一社会信用代码", "企业名称", "年度", "月份", "当月税收"]
    assert write.import_file(
        _csv(tmp_path / "a.csv", header, [[FIRM_A, "甲", 2026, 1, 100]]), real_db, config
    ).ok
    same = write.import_file(
        _csv(tmp_path / "b.csv", header, [[FIRM_A, "甲机械", 2026, 1, 100]]), real_db, config
    )
    assert same.ok and same.unchanged == 1  # the same figures again: nothing to resolve
    other = write.import_file(
        _csv(tmp_path / "c.csv", header, [[FIRM_A, "甲", 2026, 1, 101]]), real_db, config
    )
    assert not other.ok
    assert "税收实际贡献 已有100，本次101" in other.problems[0].reason
    assert _months(real_db)[(FIRM_A, 2026, 1)][0] == 100.0


def test_twelve_months_against_the_annual_figure(tmp_path, config, real_db):
    # A: twelve months of 税收 100 = 1200, the annual figure; B: 12 × 49 = 588 vs 600, 2 % off (> 1 %)
    rows = [[FIRM_A, "甲", 2025, m, 100] for m in range(1, 13)]
    rows += [[FIRM_B, "乙", 2025, m, 49] for m in range(1, 13)]
    path = _csv(
        tmp_path / "2025.csv", ["统一社会信用代码", "企业名称", "年度", "月份", "当月税收"], rows
    )
    report = write.import_file(path, real_db, config)
    assert report.ok
    notes = [note for note in report.notes if note.startswith("税收")]
    assert len(notes) == 1
    assert "1 家企业" in notes[0] and FIRM_B in notes[0] and "12个月合计588，年度600" in notes[0]
    assert FIRM_A not in notes[0]


def test_undo_removes_the_months(tmp_path, config, real_db):
    path = _csv(
        tmp_path / "1月.csv",
        ["统一社会信用代码", "企业名称", "年度", "月份", "当月税收"],
        [[FIRM_A, "甲", 2026, 1, 100]],
    )
    report = write.import_file(path, real_db, config)
    assert report.ok
    write.undo(report.import_id, real_db, config)
    assert _months(real_db) == {}


def test_an_unknown_firm_is_refused(tmp_path, config, real_db):
    stranger = creditcode.make("330902", "MA2A1B5E")
    path = _csv(
        tmp_path / "1月.csv",
        ["统一社会信用代码", "企业名称", "年度", "月份", "当月税收"],
        [[stranger, "丙", 2026, 1, 100]],
    )
    report = write.import_file(path, real_db, config)
    assert "数据库中没有该企业" in report.problems[0].reason


def test_rebuild_replays_the_monthly_files(tmp_path, config, real_db):
    header = ["统一社会信用代码", "企业名称", "年度", "月份", "1—N月累计税收（万元）"]
    first = _csv(tmp_path / "1月.csv", header, [[FIRM_A, "甲", 2026, 1, 100]])
    second = _csv(tmp_path / "2月.csv", header, [[FIRM_A, "甲", 2026, 2, 175]])
    assert write.import_file(first, real_db, config).ok
    assert write.import_file(second, real_db, config).ok
    rebuilt = tmp_path / "rebuilt.duckdb"
    reports = write.rebuild(archive.archive_dir(real_db), rebuilt, config, ledger=real_db)
    assert all(report.ok for report in reports)
    assert (
        _months(rebuilt)
        == _months(real_db)
        == {
            (FIRM_A, 2026, 1): (100.0, None, None),
            (FIRM_A, 2026, 2): (75.0, None, None),
        }
    )
