"""Every malformed plan template in tests/plans/bad is refused with a Chinese message naming sheet, row,
column and value, from the functions and the command line, and publishes nothing; a template whose
town quotas do not add up to its stated total gets a warning, as 附件5 does, and may be published."""

import hashlib
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from plantrack.__main__ import main
from plantrack.ingest.plans import check, publish

PLANS = Path(__file__).resolve().parent / "plans"
EXPECTED = tomllib.loads((PLANS / "expected.toml").read_text(encoding="utf-8"))
WARNING_ONLY = EXPECTED.pop("warning_only")


@pytest.fixture
def db_copy(demo_db, tmp_path):
    """The fixture demo database (with the example plan, both versions), copied: publishing writes."""
    path = tmp_path / "db" / "plans.duckdb"
    path.parent.mkdir()
    shutil.copyfile(demo_db, path)
    return path


def test_corpus_is_big_enough():
    assert len(EXPECTED) >= 15
    assert {p.name for p in (PLANS / "bad").iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_template_is_refused_and_nothing_published(name, db_copy, config, capsys):
    path = PLANS / "bad" / name
    before = hashlib.sha256(db_copy.read_bytes()).hexdigest()
    result = check.check(path, db_copy, config)
    assert not result.ok
    text = "\n".join(problem.text() for problem in result.errors)
    for word in EXPECTED[name]:
        assert word in text, (word, text)
    located = [p for p in result.errors if p.sheet and p.row]
    if name not in {
        "缺少工作表.xlsx",
        "没有目标.xlsx",
        "不是Excel文件.xlsx",
        "调整后没有变动.xlsx",
    }:
        assert located, text  # sheet and row named (the column and value where there is a cell)
    assert main(["plan", "publish", str(path), "--db", str(db_copy)]) == 2
    out = capsys.readouterr().out
    assert "未发布" in out and EXPECTED[name][-1] in out
    assert hashlib.sha256(db_copy.read_bytes()).hexdigest() == before
    assert not (db_copy.parent / "archive").exists()


def test_check_json_lists_problems_with_their_place(db_copy, capsys):
    path = PLANS / "bad" / "未知指标.xlsx"
    assert main(["plan", "check", str(path), "--db", str(db_copy), "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["written"] is False
    problem = report["errors"][0]
    assert (problem["sheet"], problem["row"], problem["column"], problem["value"]) == (
        "目标",
        2,
        "指标",
        "mu_tax_above_scal",
    )
    assert "mu_tax_above_scale" in problem["reason"]


@pytest.mark.parametrize("name", sorted(WARNING_ONLY))
def test_quota_sums_that_differ_from_the_total_are_a_warning(name, db_copy, config):
    path = PLANS / name
    result = check.check(path, db_copy, config)
    assert result.ok
    text = "\n".join(problem.text() for problem in result.warnings)
    for word in WARNING_ONLY[name]:
        assert word in text, (word, text)
    published = publish.publish(path, db_copy, config, published_by="测试")
    assert published.written
    assert any("各镇街任务相加为 15 个" in p.text() for p in published.warnings)
