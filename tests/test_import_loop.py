"""Issue 26, points 8–12, below the page: undo says what it restores and gives the demo back; on demo
data a file's own problems come first, then the question 替换示例数据？ (no command-line flag and no
server path in any message); the ledger's 变化 in words; a town that does not match gets a suggestion
and the list of valid names. The page itself: tests/test_browser_upload.py."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from plantrack.ingest import write
from plantrack.model.reference import TOWN_NAMES
from plantrack.report import tables
from plantrack.store import db
from tests.corpus.make_corpus import CODES, HEADER, ROWS
from tests.test_import_clerk_files import refused, text_file
from tests.test_import_corpus import ENTERPRISE_FILE, fingerprint

FORBIDDEN = ("--", "python", "plantrack", ".duckdb", "/tmp", "archive")


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    path = tmp_path / "data" / "plantrack.duckdb"
    path.parent.mkdir()
    shutil.copyfile(demo_db, path)
    return path


def _words(report) -> str:
    return "\n".join(report.lines())


def test_on_demo_data_the_files_own_problems_come_first(demo_copy, config, tmp_path):
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[1][6] = -8
    before = fingerprint(demo_copy)
    report = write.import_file(text_file(tmp_path / "用地为负.csv", rows), demo_copy, config)
    assert not report.asks_replace_demo
    assert [p.reason for p in report.problems] == ["不能为负数"]
    assert fingerprint(demo_copy) == before


def test_a_valid_file_on_demo_data_asks_in_words(demo_copy, config):
    before = fingerprint(demo_copy)
    report = write.import_file(ENTERPRISE_FILE, demo_copy, config)
    assert report.asks_replace_demo and not report.written
    text = _words(report)
    assert "替换" in text and "示例数据" in text and "撤销这次导入可恢复示例数据" in text
    assert not any(part in text for part in FORBIDDEN), text
    assert fingerprint(demo_copy) == before


def test_undo_of_the_import_that_replaced_the_demo_brings_the_demo_back(demo_copy, config):
    before = fingerprint(demo_copy)
    report = write.import_file(ENTERPRISE_FILE, demo_copy, config, replace_demo=True)
    assert report.written and report.replaced_demo
    text = _words(report)
    assert "撤销这次导入可恢复示例数据" in text
    assert not any(part in text for part in FORBIDDEN), text
    with duckdb.connect(str(demo_copy), read_only=True) as con:
        assert con.execute("select count(*) from enterprises").fetchone() == (4,)
    plan = write.undo_plan(demo_copy)
    assert plan.import_id == report.import_id and plan.restores_demo
    assert "恢复为导入前的示例数据" in plan.text
    message = write.undo(plan.import_id, demo_copy, config)
    assert "已恢复导入前的示例数据" in message
    assert fingerprint(demo_copy) == before
    assert db.file_meta(demo_copy)["data_kind"] == "demo"
    assert write.undo_plan(demo_copy) is None  # the demo has no import to undo


def test_undo_says_what_it_restores(tmp_path, config):
    path = tmp_path / "real.duckdb"
    base = text_file(tmp_path / "基础.csv", [HEADER] + ROWS)
    assert write.import_file(base, path, config).written
    before = fingerprint(path)
    rows = [HEADER] + [list(row) for row in ROWS[:2]]
    rows[1][7] = 999  # one firm's 税收 changed
    rows += [[CODES[4], "舟山测试新增有限公司", "白泉镇", "机械制造", 2025, "是", 10, 50]]
    rows[-1] += [None] * (len(HEADER) - len(rows[-1]))
    report = write.import_file(text_file(tmp_path / "更正.csv", rows), path, config)
    assert report.written
    plan = write.undo_plan(path)
    assert plan.import_id == report.import_id and not plan.restores_demo
    assert "删除这次新增的企业年度数据 1 行" in plan.text and "企业信息 1 行" in plan.text
    assert "企业年度数据 1 行恢复为导入前的值" in plan.text
    assert "示例数据" not in plan.text
    write.undo(plan.import_id, path, config)
    after = fingerprint(path)
    assert after["enterprise_years"] == before["enterprise_years"]
    assert after["enterprises"] == before["enterprises"]


def test_the_ledger_says_what_changed_in_words(tmp_path, config):
    path = tmp_path / "real.duckdb"
    assert write.import_file(
        text_file(tmp_path / "基础.csv", [HEADER] + ROWS), path, config
    ).written
    rows = [HEADER] + [list(row) for row in ROWS]
    for row in rows[1:]:
        row[4] = 2025  # a new year for all four firms
    assert write.import_file(text_file(tmp_path / "2025.csv", rows), path, config).written
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[1][7], rows[2][7], rows[3][7] = 361, 301, 41  # three firms' 税收 corrected
    assert write.import_file(text_file(tmp_path / "更正.csv", rows), path, config).written
    with duckdb.connect(str(path), read_only=True) as con:
        ledger = db.run_query(con, "ledger/import_ledger")
    words = list(tables.ledger_frame(ledger)["变化"])
    assert words[0] == "3 家税收实际贡献有改动"
    assert words[1] == "新增 4 家企业的 2025 年数据"
    assert words[2] == "新增 4 家企业的 2024 年数据"
    assert not any("{" in word for word in words)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("盐仓镇", "盐仓街道"),
        ("金塘街道", "金塘镇"),
        ("定海区白泉", "白泉镇"),
        ("岑巷街道", "岑港街道"),
    ],
)
def test_a_town_that_does_not_match_gets_a_suggestion_and_the_list(
    written, meant, tmp_path, config
):
    path = tmp_path / "real.duckdb"
    assert write.import_file(ENTERPRISE_FILE, path, config).written
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[2][2] = written
    text = refused(text_file(tmp_path / "镇街.csv", rows), path, config, "第3行", "所属镇街")
    assert f"「{written}」是否指 {meant}？" in text
    assert "、".join(TOWN_NAMES) in text


def test_a_town_with_no_likely_meaning_gets_the_list(tmp_path, config):
    path = tmp_path / "real.duckdb"
    assert write.import_file(ENTERPRISE_FILE, path, config).written
    rows = [HEADER] + [list(row) for row in ROWS]
    rows[2][2] = "火星镇"
    text = refused(text_file(tmp_path / "镇街.csv", rows), path, config, "「火星镇」不是已知的镇街")
    assert "、".join(TOWN_NAMES) in text
