"""Publishing plans: atomic, in the ledger, archived, undoable, replayed by rebuild; the version in force
for a year is the one evaluated; a new reported indicator takes its values from the 上报指标 import.
Through the functions and the command line."""

import hashlib
import json
import os
import shutil
from contextlib import contextmanager

import duckdb
import pytest

from plantrack.__main__ import main
from plantrack.ingest import demo, write
from plantrack.ingest.plans import example, publish, template
from plantrack.model import plan_versions
from plantrack.store import db, plans
from tests.conftest import FIXTURE_ENTERPRISES, FIXTURE_SEED

FIRST, REVISION = (str(path) for path in example.paths())


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory, config):
    """The fixture's demo data without the example plan: the uploads put it in."""
    path = tmp_path_factory.mktemp("bare") / "bare.duckdb"
    demo.build(path, config, seed=FIXTURE_SEED, enterprises=FIXTURE_ENTERPRISES, example_plan=False)
    return path


@pytest.fixture
def db_path(bare_db, tmp_path):
    path = tmp_path / "db" / "plans.duckdb"
    path.parent.mkdir()
    shutil.copyfile(bare_db, path)
    return path


def _progress(capsys, db_path, year, plan="example-dinghai-2024"):
    assert main(["progress", "--as-of", str(year), "--plan", plan, "--db", str(db_path), "--json"]) == 0  # fmt: skip
    return {row["target_id"]: row for row in json.loads(capsys.readouterr().out)}


def _mu_tax(db_path, year):
    """规上工业亩均税收 from the raw rows: total tax over total land."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select sum(tax_wan) / sum(land_mu) from enterprise_years "
            "where year = ? and above_scale and land_mu > 0",
            [year],
        ).fetchone()[0]


def test_publish_then_progress_includes_the_new_plan(db_path, capsys):
    inode = os.stat(db_path).st_ino
    assert main(["plan", "publish", FIRST, "--db", str(db_path), "--by", "张三"]) == 0
    out = capsys.readouterr().out
    assert "已发布规划「示例三年计划」第1版" in out and "plan undo 1" in out
    assert os.stat(db_path).st_ino != inode  # a new file replaced the old one at once
    rows = _progress(capsys, db_path, 2025)
    assert len(rows) == 11
    assert rows["mu-tax-2026"]["target"] == 22
    assert rows["mu-tax-2026"]["actual"] == pytest.approx(_mu_tax(db_path, 2025))
    with duckdb.connect(str(db_path), read_only=True) as con:
        ledger = con.execute(
            "select import_id, file_name, kind, imported_by, outcome, sha256 from imports"
        ).fetchall()
    sha = hashlib.sha256(example.paths()[0].read_bytes()).hexdigest()
    assert ledger == [(1, example.paths()[0].name, "plan", "张三", "成功", sha)]
    archived = sorted((db_path.parent / "archive").iterdir())
    assert [p.name.split("__", 2)[2] for p in archived] == [
        f"plan__{example.paths()[0].name}",
        f"plan__{example.paths()[0].name}.publish.json",
    ]
    assert archived[0].read_bytes() == example.paths()[0].read_bytes()


def test_evaluation_as_of_a_year_uses_the_version_in_force(db_path, capsys, config):
    assert main(["plan", "publish", FIRST, "--db", str(db_path)]) == 0
    assert main(["plan", "publish", REVISION, "--db", str(db_path)]) == 0
    capsys.readouterr()
    as_2024 = _progress(capsys, db_path, 2024)
    as_2025 = _progress(capsys, db_path, 2025)
    assert as_2024["mu-tax-2026"]["target"] == 22  # version 1, in force from 2024
    assert as_2025["mu-tax-2026"]["target"] == 24  # version 2, in force from 2025
    assert "rd-coverage-2026" not in as_2024 and "rd-coverage-2026" in as_2025
    # before its first 生效年度 (2024) the new plan is not on the dashboard; the seeded ones are
    assert main(["progress", "--as-of", "2023", "--db", str(db_path), "--json"]) == 0
    shown = {row["plan"] for row in json.loads(capsys.readouterr().out)}
    assert shown == {plan.id for plan in config.plans}
    # 序时进度 still runs from the plan's start (2024) after the revision: 2 of 3 years, linear from 2023
    base = _mu_tax(db_path, 2023)
    assert as_2025["mu-tax-2026"]["expected"] == pytest.approx((base + (24 - base) * 2 / 3) / 24)
    with db.read_only(db_path) as con:
        town = plans.config_as_of(con, config, 2025).plan("example-dinghai-2024").quotas
    cells = {(q.town, q.award, q.year): q.count for q in town}
    assert (cells[("金塘镇", "洁美工厂", 2025)], cells[("白泉镇", "洁美工厂", 2025)]) == (2, 2)


def test_history_says_what_changed_when_and_why(db_path, capsys):
    main(["plan", "publish", FIRST, "--db", str(db_path), "--by", "张三"])
    main(["plan", "publish", REVISION, "--db", str(db_path), "--by", "李四"])
    capsys.readouterr()
    assert main(["plan", "history", "example-dinghai-2024", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "第1版 · 2025年起由第2版取代 · 2024年起生效" in out
    assert "第2版 · 现行 · 2025年起生效" in out and "李四 发布" in out
    assert "调整原因：【示例】2024年规上工业亩均税收增长快于预期" in out
    assert "目标值：22 → 24" in out
    assert "金塘镇 洁美工厂 2025年 › 任务数：3 家 → 2 家" in out
    assert main(["plan", "history", "no-such-plan", "--db", str(db_path)]) == 2


def test_undo_goes_back_one_version_and_only_the_latest(db_path, capsys):
    main(["plan", "publish", FIRST, "--db", str(db_path)])
    main(["plan", "publish", REVISION, "--db", str(db_path)])
    capsys.readouterr()
    assert main(["plan", "undo", "1", "--db", str(db_path)]) == 2
    assert "只能撤销规划「示例三年计划」最近的一次发布" in capsys.readouterr().err
    assert main(["undo", "2", "--db", str(db_path)]) == 2
    assert "plan undo 2" in capsys.readouterr().err
    assert main(["plan", "undo", "2", "--db", str(db_path)]) == 0
    assert "现行为第1版" in capsys.readouterr().out
    assert _progress(capsys, db_path, 2025)["mu-tax-2026"]["target"] == 22
    assert main(["plan", "undo", "2", "--db", str(db_path)]) == 2  # already undone
    assert main(["plan", "undo", "1", "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["progress", "--as-of", "2025", "--plan", "example-dinghai-2024", "--db", str(db_path)]) == 2  # fmt: skip
    assert all(p.name.endswith(".undone") for p in (db_path.parent / "archive").iterdir())
    with duckdb.connect(str(db_path), read_only=True) as con:
        outcomes = con.execute("select outcome from imports order by import_id").fetchall()
    assert outcomes == [("已撤销",), ("已撤销",)]


@pytest.mark.parametrize("step", ["storing the version", "replacing the file"])
def test_a_failed_write_leaves_nothing_behind(step, db_path, config, monkeypatch):
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    if step == "storing the version":

        def broken(con, version):
            raise OSError("磁盘已满")

        monkeypatch.setattr(plans, "store_version", broken)
    else:  # after the file was archived, before the new database replaces the old one
        real = publish.replacing

        @contextmanager
        def failing(path, fresh):
            with real(path, fresh) as con:
                yield con
                raise OSError("提交失败")

        monkeypatch.setattr(publish, "replacing", failing)
    with pytest.raises(OSError):
        publish.publish(example.paths()[0], db_path, config)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    archive = db_path.parent / "archive"
    assert not archive.exists() or list(archive.iterdir()) == []
    assert not [p for p in db_path.parent.iterdir() if ".import-" in p.name]


def test_rebuild_replays_publications_with_their_reason_and_time(db_path, config, tmp_path):
    seeded = plan_versions.seeded(config.plan("dinghai-upgrade-2023"))
    cells = template.content(seeded, config.district)
    value = [field.key for field in template.sheets.TARGET_FIELDS].index("target")
    cells["目标"][1][value] = 25
    revised = tmp_path / "三年行动_调整.xlsx"
    revised.write_bytes(template.workbook_bytes(cells, config.metrics))
    assert publish.publish(example.paths()[0], db_path, config, published_by="张三").written
    result = publish.publish(
        revised, db_path, config, reason="上调示范工厂目标", published_by="李四"
    )
    assert result.written and result.version.version == 2
    assert publish.publish(example.paths()[1], db_path, config).written
    publish.undo(3, db_path, config)
    rebuilt = tmp_path / "rebuilt" / "new.duckdb"
    rebuilt.parent.mkdir()
    reports = write.rebuild(db_path.parent / "archive", rebuilt, config)
    assert [r.ok for r in reports] == [True, True]
    with db.read_only(db_path) as con:
        before = [v for v in plans.stored_versions(con) if not v.undone]
    with db.read_only(rebuilt) as con:
        after = plans.stored_versions(con)
    keep = ("plan", "version", "effective_year", "metrics", "reason", "published_by", "published_at", "file_name")  # fmt: skip
    assert [[getattr(v, k) for k in keep] for v in after] == [
        [getattr(v, k) for k in keep] for v in before
    ]
    assert after[1].reason == "上调示范工厂目标" and after[1].plan.targets[0].target == 25


def test_a_declared_indicator_takes_its_values_from_the_indicator_import(db_path, config, tmp_path, capsys):  # fmt: skip
    assert publish.publish(example.paths()[0], db_path, config).written
    good = tmp_path / "上报指标.csv"
    good.write_text(
        "地区,指标,年度,数值,单位\n"
        "定海区,example_smart_renovation_projects,2024,21,个\n"
        "定海区,智能化改造项目数（示例）,2025,23,个\n",
        encoding="utf-8",
    )
    bad = tmp_path / "上报指标_超上限.csv"
    bad.write_text(
        "地区,指标,年度,数值,单位\n定海区,example_micro_park_occupancy,2025,130,%\n",
        encoding="utf-8",
    )
    assert main(["import", str(bad), "--db", str(db_path), "--replace-demo", "--dry-run"]) == 2
    out = capsys.readouterr().out
    assert "第2行「数值」列：值「130」" in out and "不能大于 100%" in out
    # the demo database takes no real data: import into a copy holding only the plan
    real = tmp_path / "real" / "real.duckdb"
    real.parent.mkdir()
    assert publish.publish(example.paths()[0], real, config).written
    assert main(["import", str(good), "--db", str(real)]) == 0
    capsys.readouterr()
    row = _progress(capsys, real, 2025)["smart-projects-2026"]
    assert (row["actual"], row["series"]) == (44, {"2024": 21, "2025": 23})  # 2024—2025 累计


def test_publish_refuses_a_second_new_plan_with_the_same_id(db_path, config):
    assert publish.publish(example.paths()[0], db_path, config).written
    again = publish.publish(example.paths()[0], db_path, config)
    assert not again.ok and "已有编号为 example-dinghai-2024 的规划" in again.errors[0].text()


def test_export_then_check_from_the_command_line(db_path, tmp_path, capsys):
    out = tmp_path / "三年行动.xlsx"
    assert main(["plan", "export", "dinghai-upgrade-2023", "--out", str(out), "--db", str(db_path)]) == 0  # fmt: skip
    assert main(["plan", "check", str(out), "--db", str(db_path), "--reason", "只看看"]) == 2
    assert "完全相同" in capsys.readouterr().out
    blank = tmp_path / "模板.xlsx"
    assert main(["template", "plan", "--out", str(blank)]) == 0
    assert blank.read_bytes()[:2] == b"PK"
    assert main(["plan", "export", "nope", "--out", str(out), "--db", str(db_path)]) == 2
    capsys.readouterr()
    assert main(["plan", "check", str(FIRST), "--db", str(db_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["plan"]["action"] == "new" and report["as_of"] == 2025
    assert len(report["preview"]) == 11 and report["written"] is False
    assert {"actual", "completion", "status_label"} <= set(report["preview"][0])


def test_a_declared_indicator_id_must_be_new(db_path, config, tmp_path):
    """A new plan may not declare an indicator under an id another plan in force has declared: the
    refusal names that plan and points at the 新增指标 sheet's row 2 (the declaration) and its 指标编号."""
    assert publish.publish(example.paths()[0], db_path, config).written
    first = example.versions(config)[0]
    cells = template.content(first, config.district)
    plan_rows = {row[0]: row for row in cells["规划"]}
    plan_rows["操作"][1] = "新规划"
    plan_rows["规划编号"][1] = "another-plan-2024"
    plan_rows["生效年度"][1] = plan_rows["基于版本"][1] = None
    other = tmp_path / "另一规划.xlsx"
    other.write_bytes(template.workbook_bytes(cells, config.metrics))
    result = publish.publish(other, db_path, config)
    texts = [problem.text() for problem in result.errors]
    assert not result.written
    assert any(
        f"已由规划「{first.plan.short}」声明" in t and "「新增指标」第2行「指标编号」" in t
        for t in texts
    ), texts
