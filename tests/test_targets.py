"""targets.toml: the real file is complete and valid; bad files are reported in Chinese."""

import copy
import tomllib

import pytest

from plantrack.__main__ import main
from plantrack.model import targets
from plantrack.settings import TARGETS_FILE


@pytest.fixture(scope="module")
def raw():
    return tomllib.loads(TARGETS_FILE.read_text(encoding="utf-8"))


def test_real_file_is_valid(config):
    assert len(config.plans) == 5
    assert sum(len(plan.targets) for plan in config.plans) > 200
    for plan in config.plans:
        for target in plan.targets:
            assert target.clause and target.quote, f"{plan.id}/{target.id}"


def test_headline_targets_are_present(config):
    checks = {
        ("dinghai-tenglong-2021", "mu_tax_above_scale"): 12,
        ("dinghai-upgrade-2023", "award_count"): 20,
        ("cixi-tenglong-2021", "mu_tax_above_scale"): 40,
    }
    for (plan_id, metric), value in checks.items():
        plan = config.plan(plan_id)
        assert any(t.metric == metric and t.target == value for t in plan.targets), (
            plan_id,
            metric,
        )


def test_quota_table_is_annex_5_cell_by_cell(config):
    plan = config.plan("dinghai-upgrade-2023")
    assert len(plan.quotas) == 11 * 9
    cells = {(q.town, q.award, q.year): q.count for q in plan.quotas}
    assert cells[("金塘镇", "洁美工厂", 2023)] == 4
    assert cells[("城东街道", "洁美工厂", 2024)] == 0
    assert cells[("定海工业园区", "示范工厂", 2025)] == 1


def test_quota_discrepancy_is_a_warning_not_an_error():
    loaded = targets.load()
    assert loaded.config is not None
    assert any("洁美工厂2024年" in w and "16" in w and "15" in w for w in loaded.problems.warnings)
    assert any("52" in w and "50" in w for w in loaded.problems.warnings)


def _problems(raw, mutate):
    data = copy.deepcopy(raw)
    mutate(data)
    return targets.parse(data).problems.errors


def test_unknown_metric(raw):
    errors = _problems(raw, lambda d: d["plans"][1]["targets"][0].update(metric="no_such_metric"))
    assert any("未知指标 no_such_metric" in e and "dinghai-tenglong-2021" in e for e in errors)


def test_missing_unit(raw):
    errors = _problems(raw, lambda d: d["plans"][1]["targets"][0].pop("unit"))
    assert any("单位" in e and "缺少必填项" in e for e in errors)


def test_year_outside_the_plan(raw):
    errors = _problems(raw, lambda d: d["plans"][1]["targets"][0].update(year=2030))
    assert any("年度 2030 不在规划期 2021—2023 内" in e for e in errors)


def test_duplicate_target_id(raw):
    def duplicate(d):
        d["plans"][1]["targets"].append(copy.deepcopy(d["plans"][1]["targets"][0]))

    errors = _problems(raw, duplicate)
    assert any("编号重复" in e for e in errors)


def test_wrong_query_parameter(raw):
    errors = _problems(raw, lambda d: d["plans"][1]["targets"][0].update(params={"colour": "red"}))
    assert any("colour" in e and "不是查询" in e for e in errors)


def test_duplicate_grading_indicator(raw):
    def duplicate(d):
        d["grading"]["indicators"].append(copy.deepcopy(d["grading"]["indicators"][0]))

    errors = _problems(raw, duplicate)
    assert any("亩均评价办法" in e and "mu_tax" in e and "重复" in e for e in errors)


def test_unknown_town_in_quotas(raw):
    errors = _problems(raw, lambda d: d["plans"][0]["quotas"][0].update(town="火星镇"))
    assert any("未知镇街 火星镇" in e for e in errors)


def test_bad_toml_is_reported_not_raised(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text("[[plans]\nid = ", encoding="utf-8")
    loaded = targets.load(path)
    assert loaded.config is None
    assert "不是合法的 TOML" in loaded.problems.errors[0]


def test_cli_validate(tmp_path, capsys):
    assert main(["validate"]) == 0
    assert "校验通过" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(
        TARGETS_FILE.read_text(encoding="utf-8").replace('unit = "万元/亩"', 'unit = ""', 1),
        encoding="utf-8",
    )
    assert main(["validate", "--file", str(bad)]) == 1
    assert "错误" in capsys.readouterr().out


def test_a_grading_key_that_is_no_graded_column_is_refused(raw):
    # the short key of before: a grading key is the column it scores (mu_tax_wan_per_mu)
    errors = _problems(raw, lambda d: d["grading"]["indicators"][0].update(indicator="mu_tax"))
    assert any("mu_tax 不是可评价的指标" in e for e in errors), errors
