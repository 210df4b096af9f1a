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
    expected = "预计完成" if projected >= 1 else "有望完成" if projected >= 0.9 else "难以完成"
    (case,) = [c for c in found if c.plan == PLAN and c.target == target.id and c.as_of == 2023]
    assert case.judgement == expected
    outcome_met = case.outcome == "met"
    assert case.hit == ((expected != "难以完成") == outcome_met)


def test_hit_rates_are_counted_from_the_cases(found):
    assert {c.judgement for c in found} >= {"难以完成", "数据不足"}  # judged, not constant
    for row in backtest.summary(found):
        mine = [c for c in found if c.method == row["method"]]
        scored = [c for c in mine if c.hit is not None]
        assert (row["cases"], row["scored"]) == (len(mine), len(scored))
        assert row["hits"] == sum(c.hit for c in scored)


def test_cli_prints_the_table_and_warns_on_demo_data(demo_db, capsys):
    assert main(["outlook-backtest", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "示例数据" in out and "| 累计：按年均进度外推 |" in out
