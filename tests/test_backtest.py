"""The outlook's backtest (plantrack/engine/backtest.py) on the fixture: judgements come from the data,
checked for one target by hand from raw award rows, and the hit rates are counted from the cases."""

import pytest

from plantrack.__main__ import main
from plantrack.engine import backtest

PLAN = "dinghai-upgrade-2023"


@pytest.fixture(scope="module")
def found(demo_db, config):
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        return backtest.cases(con, config, 2025)


def test_judgement_of_a_cumulative_count_from_raw_awards(found, con, config):
    # 三年行动 洁美工厂 (50 over 2023—2025) judged as of 2023: one year done, run-rate × 3
    target = next(t for t in config.plan(PLAN).targets if t.params.get("awards") == ["洁美工厂"])
    done = con.execute(
        "select count(*) from (select credit_code, min(year) as first from awards "
        "where award = '洁美工厂' group by credit_code) where first = 2023"
    ).fetchone()[0]
    projected = done * 3 / target.target
    expected = "预计完成" if projected >= 1 else "有风险" if projected >= 0.9 else "难以完成"
    (case,) = [c for c in found if c.plan == PLAN and c.target == target.id and c.as_of == 2023]
    assert case.judgement == expected
    outcome_met = case.outcome == "met"
    claim = {"预计完成": True, "难以完成": False}.get(expected)  # 有风险 claims neither
    assert case.hit == (None if claim is None else claim == outcome_met)


def test_hit_rates_are_counted_from_the_cases(found):
    assert {c.judgement for c in found} >= {
        "难以完成",
        "数据不足",
        "有风险",
    }  # judged, not constant
    for row in backtest.summary(found):
        mine = [c for c in found if c.method == row["method"]]
        scored = [c for c in mine if c.hit is not None]
        assert (row["cases"], row["scored"]) == (len(mine), len(scored))
        assert row["hits"] == sum(c.hit for c in scored)


def test_per_label_counts_and_what_each_label_claims(found):
    rows = {row["judgement"]: row for row in backtest.by_label(found)}
    for label, claim in (("预计完成", True), ("难以完成", False), ("已完成", True)):
        mine = [c for c in found if c.judgement == label]
        came_true = sum((c.outcome == "met") == claim for c in mine)
        assert (rows[label]["cases"], rows[label]["hits"]) == (len(mine), came_true)
    risky = [c for c in found if c.judgement == "有风险"]
    assert rows["有风险"]["hits"] is None  # claims neither way
    assert rows["有风险"]["met"] == sum(c.outcome == "met" for c in risky)


def test_each_label_meets_its_stated_rate_on_the_fixture(found):
    """Calibration (issue #25): 预计完成 and 难以完成 come true at least 80 % of the time; 已完成 always."""
    for label, rate in (("预计完成", 0.8), ("难以完成", 0.8), ("已完成", 1.0)):
        mine = [c for c in found if c.judgement == label]
        assert mine, label
        assert sum(c.hit for c in mine) / len(mine) >= rate, label


def test_a_trend_pointing_away_is_never_likely(con, config):
    """No 预计完成 or 有风险 for a target not yet met whose line moves away from it."""
    from plantrack.engine import progress

    for as_of in (2022, 2023):
        for row in progress.evaluate(con, config, as_of):
            o = row.outlook
            if o is None or "线性趋势" not in o.method or not o.remaining:
                continue
            away = o.pace_so_far <= 0 if row.direction != "at_most" else o.pace_so_far >= 0
            if away:
                assert o.judgement == "难以完成", (row.target_id, as_of)


def test_cli_prints_the_table_per_label_and_warns_on_demo_data(demo_db, capsys):
    assert main(["outlook-backtest", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "示例数据是模拟的" in out and "说明不了真实数据上的命中率" in out
    for label in ("已完成", "预计完成", "有风险", "难以完成", "数据不足"):
        assert f"| 截至2025年 | {label} |" in out


def test_the_table_in_the_method_note_is_the_commands_output(capsys):
    """口径说明 第 10 节 shows `outlook-backtest --seed 20231 --seed 7` as printed: a rule changed without
    the note fails here (the demo databases are built in a temporary folder)."""
    from plantrack.settings import ROOT

    assert main(["outlook-backtest", "--seed", "20231", "--seed", "7"]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    note = (ROOT / "docs" / "口径说明.md").read_text(encoding="utf-8")
    assert "outlook-backtest --seed 20231 --seed 7" in note
    assert len(printed) == 12  # header, rule, 5 judgements × 2 seeds
    assert "\n".join(printed) in note
