"""预警 rules (issue 27): each kind fires at its boundary and not just past it, on a small warehouse whose
figures are worked out by hand below; a 镇街 user gets only its own town's firm warnings; warnings.toml is
validated with errors in Chinese.

The data: three 规上 firms. 2025: every month 产值 100, 税收 10, 用电 50, 利润 5 for each firm (so the
seasonal 序时 of 2026 is exactly N/12). 2026, months 1—3:
  A (金塘镇, 10 亩): 产值 90, 85, 80; 税收 8 a month; 利润 −1 a month
  B (金塘镇, 20 亩): 产值 100 a month; 税收 10 a month; 利润 5 a month
  C (干览镇, 10 亩): 产值 110 a month; 税收 12 a month; 利润 5 a month
"""

from __future__ import annotations

import duckdb
import pytest

from plantrack.engine import in_year, warnings
from plantrack.ingest import creditcode
from plantrack.model import warning_rules
from plantrack.model.warning_rules import Rule, Rules
from plantrack.store import db

A = creditcode.make("330902", "MA2A1B3C")
B = creditcode.make("330902", "MA2A1B4D")
C = creditcode.make("330902", "MA2A1B5E")
FIRMS = {
    A: ("甲公司", "金塘镇", 10.0),
    B: ("乙公司", "金塘镇", 20.0),
    C: ("丙公司", "干览镇", 10.0),
}
MONTHS_2026 = {
    A: [(90, 8, -1), (85, 8, -1), (80, 8, -1)],
    B: [(100, 10, 5)] * 3,
    C: [(110, 12, 5)] * 3,
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("warnings") / "w.duckdb"
    con = duckdb.connect(str(path))
    db.create_schema(con)
    for code, (name, town, land) in FIRMS.items():
        con.execute(
            "insert into enterprises values (?, ?, ?, '机械制造', false, 2010)", [code, name, town]
        )
        con.execute(
            "insert into enterprise_years (credit_code, year, above_scale, land_mu, tax_wan, output_wan) "
            "values (?, 2025, true, ?, 120, 1200)",
            [code, land],
        )
        for month in range(1, 13):
            con.execute(
                "insert into enterprise_months values (?, 2025, ?, 100, 100, 5, 10, 50)",
                [code, month],
            )
        for month, (output, tax, profit) in enumerate(MONTHS_2026[code], start=1):
            con.execute(
                "insert into enterprise_months values (?, 2026, ?, ?, ?, ?, ?, 50)",
                [code, month, output, output, profit, tax],
            )
    con.close()
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def _fired(con, config, viewer_town=None, **fields) -> dict[str, warnings.Warning]:
    rule = Rule(id="r", label="测试规则", **fields)
    found = warnings.evaluate(con, config, Rules(rules=[rule]), 2026, 3, viewer_town=viewer_town)
    return {w.subject: w for w in found}


def test_threshold_on_annualised_mu_tax(warehouse, config):
    # A: 1—3月税收 24 ÷ 序时 3/12 = 96 万元 a year, over 10 亩 = 9.6 万元/亩; B: 120 ÷ 20 = 6; C: 14.4
    rule = dict(kind="threshold", scope="企业", metric="mu_tax_annualised")
    fired = _fired(warehouse, config, **rule, below=9.6)
    assert set(fired) == {"乙公司"} and fired["乙公司"].value == pytest.approx(6.0)
    assert set(_fired(warehouse, config, **rule, below=9.61)) == {"甲公司", "乙公司"}


def test_threshold_on_a_loss(warehouse, config):
    rule = dict(kind="threshold", scope="企业", metric="ytd_profit")
    fired = _fired(warehouse, config, **rule, below=0)
    assert set(fired) == {"甲公司"} and fired["甲公司"].value == -3.0
    assert fired["甲公司"].since == "2026-01"  # a loss since January
    assert _fired(warehouse, config, **rule, below=-3) == {}


def test_year_on_year_decline(warehouse, config):
    # A: 1—3月税收 24 against 30 a year earlier: −20 %
    rule = dict(kind="yoy", scope="企业", metric="tax")
    assert (
        _fired(warehouse, config, **rule, decline_pct=20) == {}
    )  # 下降超过20%: −20 % is not beyond
    fired = _fired(warehouse, config, **rule, decline_pct=19.9)
    assert set(fired) == {"甲公司"} and fired["甲公司"].value == pytest.approx(-20.0)
    assert fired["甲公司"].threshold == -19.9 and fired["甲公司"].town == "金塘镇"


def test_streak_of_monthly_declines(warehouse, config):
    # A's 当月产值 90, 85, 80 against 100 each a year earlier: three months down, since January
    rule = dict(kind="streak", scope="企业", metric="output")
    fired = _fired(warehouse, config, **rule, months=3)
    assert set(fired) == {"甲公司"}
    assert (fired["甲公司"].value, fired["甲公司"].since) == (3.0, "2026-01")
    assert _fired(warehouse, config, **rule, months=4) == {}


def test_peer_below_the_town_mean(warehouse, config):
    # 金塘镇 1—3月亩均税收 = (24 + 30) ÷ (10 + 20) = 1.8; B: 30 ÷ 20 = 1.5, i.e. 83.33 % of it; A 133 %
    rule = dict(kind="peer", scope="企业", metric="mu_tax")
    fired = _fired(warehouse, config, **rule, below_share_pct=83.4)
    assert set(fired) == {"乙公司"} and fired["乙公司"].value == pytest.approx(100 * 1.5 / 1.8)
    assert _fired(warehouse, config, **rule, below_share_pct=83.3) == {}


def test_town_year_on_year_and_rank(warehouse, config):
    # 金塘镇 1—3月产值 255 + 300 = 555 against 600: −7.5 %; 干览镇 330 against 300: +10 %
    rule = dict(kind="yoy", scope="镇街", metric="output")
    assert _fired(warehouse, config, **rule, decline_pct=7.5) == {}
    fired = _fired(warehouse, config, **rule, decline_pct=7.4)
    assert set(fired) == {"金塘镇"} and fired["金塘镇"].value == pytest.approx(-7.5)
    ranked = _fired(warehouse, config, kind="rank", scope="镇街", metric="output", bottom=1)
    assert set(ranked) == {"金塘镇"} and ranked["金塘镇"].value == 2
    assert ranked["金塘镇"].detail == "第2名（共2个镇街）"
    assert set(_fired(warehouse, config, kind="rank", scope="镇街", metric="output", bottom=2)) == {
        "金塘镇",
        "干览镇",
    }


def test_gap_against_the_linear_pace(warehouse, config):
    # 金塘镇: target = last year's 2400 × (1 + 0 %); done 555 = 23.125 %; 序时 3/12 = 25 %: 1.875 points
    rule = dict(kind="gap", scope="镇街", metric="output", target_growth_pct=0, pace="linear")
    fired = _fired(warehouse, config, **rule, behind_points=1.87)
    assert set(fired) == {"金塘镇"} and fired["金塘镇"].value == pytest.approx(1.875)
    assert fired["金塘镇"].severity == "黄色"
    assert _fired(warehouse, config, **rule, behind_points=1.88) == {}
    red = _fired(warehouse, config, **rule, behind_points=1, red_points=1.87)
    assert red["金塘镇"].severity == "红色" and red["金塘镇"].threshold == 1.87


def test_seasonal_pace_equals_linear_on_even_months(warehouse, config):
    # 2025's months are all equal, so the seasonal share of 1—3月 is 3/12 as well
    shares = in_year.month_shares(warehouse, 2026)
    assert shares.loc[3, "output_share"] == pytest.approx(0.25)
    assert shares.loc[12, "tax_share"] == pytest.approx(1.0)


def test_projection_fires_for_the_weakest_firm(warehouse, config):
    # 亩均税收 is the only figure the three firms report: A's projected 96 ÷ 10 = 9.6 against B's
    # 120 ÷ 20 = 6 and C's 144 ÷ 10 = 14.4. By rank, the share of firms at or above: C 1/3, A 2/3, B 3/3;
    # against the cut-offs 20 / 60 / 95 %: C is B, A is C, B is D
    fired = _fired(warehouse, config, kind="projection", scope="企业", grade="D")
    assert set(fired) == {"乙公司"} and fired["乙公司"].value == "D"
    assert fired["乙公司"].since == "2026-01"
    assert _fired(warehouse, config, kind="projection", scope="企业", grade="C").keys() == {
        "甲公司"
    }
    assert _fired(warehouse, config, kind="projection", scope="企业", grade="A") == {}


def test_a_town_user_sees_only_its_own_firms(warehouse, config):
    rules = warning_rules.load_rules()
    everyone = warnings.evaluate(warehouse, config, rules, 2026, 3)
    mine = warnings.evaluate(warehouse, config, rules, 2026, 3, viewer_town="干览镇")
    assert {w.subject for w in everyone if w.scope == "企业"} >= {"甲公司", "乙公司"}
    assert {w.town for w in mine if w.scope == "企业"} <= {"干览镇"}
    assert not {w.subject for w in mine} & {"甲公司", "乙公司"}
    # town totals: every town's to 科室; to a 镇街 user, not another town's of fewer than 3 firms
    # (金塘镇 has two firms here, 干览镇 one: their totals would be those firms' own figures). With two
    # towns, both are among the last three of the rank rules.
    assert {w.town for w in everyone if w.scope == "镇街"} == {"金塘镇", "干览镇"}
    assert {w.town for w in mine if w.scope == "镇街"} == {"干览镇"}
    own = warnings.evaluate(warehouse, config, rules, 2026, 3, viewer_town="金塘镇")
    assert {w.town for w in own if w.scope == "镇街"} == {"金塘镇"}


def test_the_rules_file_is_valid_and_has_every_kind():
    rules = warning_rules.load_rules()
    assert len(rules.rules) >= 12
    assert {rule.kind for rule in rules.rules} == set(warning_rules.KIND_LABELS)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            {
                "id": "x",
                "label": "a",
                "kind": "rank",
                "scope": "企业",
                "metric": "output",
                "bottom": 3,
            },
            "镇街排名规则只能用于镇街",
        ),
        (
            {"id": "x", "label": "a", "kind": "yoy", "scope": "企业", "metric": "tax"},
            "同比规则须填写降幅（decline_pct）",
        ),
        (
            {
                "id": "x",
                "label": "a",
                "kind": "yoy",
                "scope": "企业",
                "metric": "size",
                "decline_pct": 5,
            },
            "指标“size”不可用",
        ),
        (
            {
                "id": "x",
                "label": "a",
                "kind": "streak",
                "scope": "企业",
                "metric": "tax",
                "months": 1,
            },
            "月数",
        ),
    ],
)
def test_bad_rules_are_reported_in_chinese(rule, message):
    rules, problems = warning_rules.parse({"rules": [rule]})
    assert rules is None
    assert any(message in error for error in problems.errors), problems.errors


def test_the_bench_reference_flags_the_same_firms_on_the_demo(con, config):
    """bench/monthly.py's pandas reference of the arithmetic firm rules agrees with the engine (2026-10)."""
    from bench import monthly

    rules = warning_rules.load_rules()
    found = warnings.evaluate(con, config, rules, 2026, 10)
    ours = {(w.rule, w.credit_code) for w in found if w.scope == "企业" and w.kind != "预计档次"}
    theirs = monthly.reference(con, rules, in_year.month_shares(con, 2026))
    assert ours and ours == theirs
