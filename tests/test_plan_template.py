"""The plan template: every plan (the five seeded ones, the example) exports to it and reads back as the
same plan; the blank template has the sheets, drop-downs and catalogue it promises; versions, what is in
force for a year, and what a revision changes."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from plantrack.ingest.parsing import CellError
from plantrack.ingest.plans import example, read, template
from plantrack.model import plan_sheets as sheets
from plantrack.model import plan_versions
from plantrack.model.plan_versions import PlanVersion


def _read(tmp_path, content: bytes, config, catalogue=None, reason=None):
    path = tmp_path / "规划.xlsx"
    path.write_bytes(content)
    return read.read(path, content, catalogue or config.metrics, config.district, reason)


@pytest.mark.parametrize("index", range(5))
def test_every_seeded_plan_round_trips(index, config, tmp_path):
    plan = config.plans[index]
    exported = template.plan_bytes(plan_versions.seeded(plan), config.metrics, config.district)
    reading = _read(tmp_path, exported, config, reason="往返测试")
    assert reading.errors == []
    assert reading.version.plan == plan  # every field, every target, quota and stated total
    assert reading.action == sheets.REVISE
    assert reading.based_on == 1
    assert reading.version.effective_year == plan.start


def test_the_example_round_trips_with_its_new_indicators(config, tmp_path):
    first, second = example.versions(config)
    catalogue = plan_versions.catalogue(config, [first])
    for version in (first, second):
        exported = template.plan_bytes(version, catalogue, config.district)
        reading = _read(tmp_path, exported, config, catalogue, reason="往返测试")
        assert reading.errors == []
        assert reading.version.plan == version.plan
        assert reading.version.metrics == version.metrics
        assert reading.version.effective_year == version.effective_year
    assert {m.nature for m in first.metrics.values()} == {"level", "flow"}
    assert all(m.kind == "reported" for m in first.metrics.values())


def test_the_example_is_marked_and_runs_across_the_demo_years(config):
    first, second = example.versions(config)
    for version in (first, second):
        plan = version.plan
        assert "示例" in plan.title and "示例" in plan.short and "示例" in plan.source
        assert plan.start <= 2025 < plan.end  # in progress as of the latest demo year
    assert (first.effective_year, second.effective_year) == (2024, 2025)
    assert "示例" in second.reason


def test_blank_template_has_its_sheets_lists_and_catalogue(config, tmp_path):
    content = template.plan_bytes(None, config.metrics, config.district)
    path = tmp_path / "blank.xlsx"
    path.write_bytes(content)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["规划", "目标", "镇街任务", "新增指标", "说明"]
    plan_rows = book.get_sheet_by_name("规划").to_python()
    assert [row[0] for row in plan_rows[1:]] == [field.name for field in sheets.PLAN_FIELDS]
    assert book.get_sheet_by_name("目标").to_python()[0] == [f.name for f in sheets.TARGET_FIELDS]
    notes = book.get_sheet_by_name("说明").to_python()
    header = notes.index(["指标编号", "指标名称", "单位", "类型", "性质", "可用参数", "含义"])
    listed = {row[0]: row for row in notes[header + 1 :]}
    assert set(listed) == set(config.metrics)
    for key, metric in config.metrics.items():
        assert listed[key][1:4] == [
            metric.label,
            metric.unit,
            "计算（企业数据）" if metric.kind == "query" else "上报",
        ]
        assert listed[key][6] == metric.description
    assert listed["award_count"][5] == "awards、levels、min_level"
    with zipfile.ZipFile(path) as archive:
        names = {n: archive.read(n).decode() for n in archive.namelist() if "worksheets/sheet" in n}
    lists = "".join(re.findall(r'<dataValidation type="list".*?</dataValidation>', "".join(names.values()), re.S))  # fmt: skip
    for choice in ("不低于", "期内累计", "洁美工厂", "金塘镇", "调整已有规划", "对标规划", "存量"):
        assert choice in lists, choice
    # the 指标 drop-down reads the catalogue's rows on 说明
    assert f"'说明'!$A${header + 2}:$A${header + 1 + len(config.metrics)}" in lists


def test_blank_template_read_back_says_what_is_missing(config, tmp_path):
    reading = _read(tmp_path, template.plan_bytes(None, config.metrics, config.district), config)
    texts = [problem.text() for problem in reading.errors]
    assert any("「规划」第3行「内容（规划编号）」列" in t and "必填" in t for t in texts)
    assert any("没有目标" in t for t in texts)
    assert reading.version is None


def test_columns_may_come_in_another_order(config, tmp_path):
    version = plan_versions.seeded(config.plan("dinghai-climb-2023"))
    cells = template.content(version, config.district)
    cells["目标"] = [list(reversed(row)) for row in cells["目标"]]
    reading = _read(tmp_path, template.workbook_bytes(cells, config.metrics), config, reason="x")
    assert reading.errors == []
    assert reading.version.plan == version.plan


def test_unknown_metric_names_close_matches(config):
    with pytest.raises(CellError, match="mu_tax_above_scale（规上工业亩均税收）"):
        read.resolve_metric("mu_tax_above_scal", config.metrics)
    with pytest.raises(CellError, match="rd_ratio_above_scale"):
        read.resolve_metric("规上工业R&D经费支出占营收比重", config.metrics)
    assert read.resolve_metric("规上工业亩均税收", config.metrics) == "mu_tax_above_scale"
    with pytest.raises(CellError, match="「新增指标」表中声明"):
        read.resolve_metric("完全无关的东西", config.metrics)


@pytest.mark.parametrize(
    "params",
    [
        {"awards": ["示范工厂"]},
        {"awards": ['专精特新"小巨人"', "单项冠军"], "min_level": "省级"},
        {"line": 8, "park_only": True},
        {"min_wan": 1000000, "max_wan": 5000000.5},
    ],
)
def test_parameters_round_trip_through_their_cell(params):
    assert read.parse_params(plan_versions.params_text(params)) == params


def test_parameters_typed_with_chinese_punctuation_are_read():
    assert read.parse_params("awards ＝ [“洁美工厂”]，min_level = “省级”") == {
        "awards": ["洁美工厂"],
        "min_level": "省级",
    }


def _version(config, number, effective, import_id, **changes):
    plan = config.plan("dinghai-upgrade-2023")
    return PlanVersion(
        plan=plan.model_copy(update=changes),
        version=number,
        effective_year=effective,
        import_id=import_id,
        published_at=dt.datetime(2024, 1, import_id),
        reason="测试",
    )


def test_version_in_force_for_each_year(config):
    seeded = plan_versions.seeded(config.plan("dinghai-upgrade-2023"))
    second = _version(config, 2, 2024, 1, short="二")
    third = _version(config, 3, 2025, 2, short="三")
    versions = [seeded, second, third]
    assert [plan_versions.in_force(versions, year).version for year in (2022, 2023, 2024, 2025)] == [1, 1, 2, 3]  # fmt: skip
    assert plan_versions.in_force(versions).version == 3
    undone = [seeded, second, PlanVersion(**{**third.__dict__, "undone": True})]
    assert plan_versions.in_force(undone, 2025).version == 2
    as_2024 = plan_versions.as_of(config, [second, third], 2024)
    as_2025 = plan_versions.as_of(config, [second, third], 2025)
    assert as_2024.plan("dinghai-upgrade-2023").short == "二"
    assert as_2025.plan("dinghai-upgrade-2023").short == "三"
    assert [p.id for p in as_2025.plans] == [p.id for p in config.plans]


def test_changes_name_each_field_and_cell(config):
    old = plan_versions.seeded(config.plan("dinghai-upgrade-2023"))
    targets = [
        t.model_copy(update={"target": 25}) if t.id == "model-factory" else t
        for t in old.plan.targets
        if t.id != "digital-coverage"
    ]
    quotas = [
        q.model_copy(update={"count": q.count + 1})
        if (q.town, q.award, q.year) == ("金塘镇", "洁美工厂", 2024)
        else q
        for q in old.plan.quotas
    ]
    new = PlanVersion(
        plan=old.plan.model_copy(update={"targets": targets, "quotas": quotas, "doc_no": "新文号"}),
        version=2,
        effective_year=2024,
    )
    found = {(c.part, c.item, c.field, c.before, c.after) for c in plan_versions.changes(old, new)}
    jintang = next(
        q.count
        for q in old.plan.quotas
        if (q.town, q.award, q.year) == ("金塘镇", "洁美工厂", 2024)
    )
    assert found == {
        ("规划", "三年行动", "文号", "定政办发〔2023〕24号", "新文号"),
        ("目标", "目标 model-factory「打造“示范工厂”」", "目标值", "20", "25"),
        ("目标", "目标 digital-coverage「规上工业企业数字化改造覆盖率」", "删除", "不低于 100 %（2025年，当年值）", "（无）"),
        ("镇街任务", "金塘镇 洁美工厂 2024年", "任务数", f"{jintang} 家", f"{jintang + 1} 家"),
    }  # fmt: skip
    assert plan_versions.summary(plan_versions.changes(old, new)) == (
        "规划 修改1项；目标 修改1项、删除1项；镇街任务 修改1格"
    )


def test_timeline_says_what_each_version_did(config):
    seeded = plan_versions.seeded(config.plan("dinghai-upgrade-2023"))
    second = _version(config, 2, 2024, 1, doc_no="二")
    third = PlanVersion(**{**_version(config, 3, 2025, 2, doc_no="三").__dict__, "undone": True})
    entries = plan_versions.timeline([seeded, second, third])
    assert [e.status for e in entries] == ["2024年起由第2版取代", "现行", "已撤销"]
    assert entries[1].previous is seeded and entries[2].previous is second
    assert [c.after for c in entries[2].changes] == ["三"]


def test_example_files_exist_where_the_pages_offer_them():
    assert all(Path(path).is_file() for path in example.paths())
