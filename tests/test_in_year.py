"""年内进度 (issue 27): 序时进度 by month — linear N/12 and seasonal from an earlier year's monthly shares —
and this year's targets after N months, on a small warehouse worked out by hand.

Two firms, 金塘镇 (10 亩) and 干览镇 (20 亩). 2025, each firm: 产值 50 in January and February, 110 in every
other month (1,200 in the year); 税收 10 a month (120). 2026, each firm: 产值 60, 60, 120; 税收 9, 9, 12.
Seasonal share of 产值 by the end of March = (50 + 50 + 110) ÷ 1,200 = 17.5 % (linear: 25 %);
of 税收 = 30 ÷ 120 = 25 %."""

from __future__ import annotations

import duckdb
import pytest

from plantrack.engine import in_year
from plantrack.ingest import creditcode
from plantrack.model.targets import Plan
from plantrack.store import db, derived

FIRMS = {
    creditcode.make("330902", "MA2A1B3C"): ("金塘镇", 10.0),
    creditcode.make("330902", "MA2A1B4D"): ("干览镇", 20.0),
}
OUTPUT_2025 = [50, 50] + [110] * 10
MONTHS_2026 = [(60, 9), (60, 9), (120, 12)]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("in_year") / "w.duckdb"
    con = duckdb.connect(str(path))
    db.create_schema(con)
    for code, (town, land) in FIRMS.items():
        con.execute(
            "insert into enterprises values (?, ?, ?, '机械制造', false, 2010)", [code, code, town]
        )
        con.execute(
            "insert into enterprise_years (credit_code, year, above_scale, land_mu, tax_wan) "
            "values (?, 2025, true, ?, 120)",
            [code, land],
        )
        for month, output in enumerate(OUTPUT_2025, start=1):
            con.execute(
                "insert into enterprise_months values (?, 2025, ?, ?, null, null, 10, null)",
                [code, month, output],
            )
        for month, (output, tax) in enumerate(MONTHS_2026, start=1):
            con.execute(
                "insert into enterprise_months values (?, 2026, ?, ?, null, null, ?, null)",
                [code, month, output, tax],
            )
    con.close()
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def _config(config, pace=None, preset="seasonal"):
    plan = Plan.model_validate(
        {
            "id": "t",
            "title": "测试计划",
            "short": "测试",
            "jurisdiction": config.district,
            "doc_no": "—",
            "start": 2024,
            "end": 2026,
            "targets": [
                {
                    "id": "growth",
                    "metric": "output_above_scale",
                    "label": "规上工业总产值增长",
                    "target": 5,
                    "unit": "%",
                    "year": 2026,
                    "direction": "growth_at_least",
                    "clause": "一",
                    "pace": pace,
                },
                {
                    "id": "mu",
                    "metric": "mu_tax_above_scale",
                    "label": "规上工业亩均税收",
                    "target": 4,
                    "unit": "万元/亩",
                    "year": 2026,
                    "direction": "at_least",
                    "clause": "二",
                },
            ],
        }
    )
    status = config.status.model_copy(update={"in_year_pace": preset})
    return config.model_copy(update={"plans": [plan], "status": status})


def test_seasonal_shares_by_hand(warehouse):
    shares = in_year.month_shares(warehouse, 2026)
    assert shares.loc[2, "output_share"] == pytest.approx(100 / 1200)
    assert shares.loc[3, "output_share"] == pytest.approx(210 / 1200)
    assert shares.loc[3, "linear"] == pytest.approx(0.25)
    assert shares.loc[3, "tax_share"] == pytest.approx(0.25)


def test_growth_target_against_the_seasonal_pace(warehouse, config):
    # the year needs 2 × 1,200 × 1.05 = 2,520; done 2 × 240 = 480: 19.05 %; seasonal 序时 17.5 %: on pace
    rows = {r.target_id: r for r in in_year.evaluate(warehouse, _config(config), 2026, 3)}
    growth = rows["growth"]
    assert growth.completion == pytest.approx(480 / 2520)
    assert growth.expected == pytest.approx(0.175)
    assert growth.actual == pytest.approx(100 * (480 / 420 - 1))  # 1—3月同比: 480 against 2 × 210
    assert growth.status == "on_pace" and growth.as_of == "2026-03"


def test_the_same_target_against_the_linear_pace(warehouse, config):
    # 19.05 % against 25 %: 5.95 points behind, within the 10 points of 滞后
    for chosen in (_config(config, pace="linear"), _config(config, preset="linear")):
        growth = next(
            r for r in in_year.evaluate(warehouse, chosen, 2026, 3) if r.target_id == "growth"
        )
        assert growth.expected == pytest.approx(0.25)
        assert growth.status == "behind"


def test_mu_tax_annualised_against_the_target(warehouse, config):
    # 1—3月税收 2 × 30 = 60 ÷ 25 % = 240 a year, over 30 亩: 8 万元/亩 ≥ 4: met; for 金塘镇 alone 30 ÷ 25 % ÷ 10 = 12
    rows = {r.target_id: r for r in in_year.evaluate(warehouse, _config(config), 2026, 3)}
    assert rows["mu"].actual == pytest.approx(8.0) and rows["mu"].status == "met"
    town = {
        r.target_id: r for r in in_year.evaluate(warehouse, _config(config), 2026, 3, town="金塘镇")
    }
    assert town["mu"].actual == pytest.approx(12.0)


def test_without_an_earlier_complete_year_the_pace_is_linear(warehouse):
    shares = in_year.month_shares(warehouse, 2025)  # no year before 2025 has twelve months
    assert shares.loc[3, "output_share"] == pytest.approx(0.25)
    assert shares.loc[3, "seasonal_years"] == 0
    assert in_year.month_shares(warehouse, 2026).loc[3, "seasonal_years"] == 1


def test_year_to_date_totals_and_their_growth_by_hand(warehouse):
    # 1—2月: 税收 2 × (9 + 9) = 36 against 2 × (10 + 10) = 40 a year earlier: −10 %; 产值 2 × 120 = 240
    # against 2 × 100 = 200: +20 %; 亩均税收 折全年 36 ÷ (20 ÷ 120) ÷ 30 亩 = 7.2 万元/亩
    facts = in_year.indicators(warehouse, 2026, 2)
    assert facts["ytd_tax_wan"] == pytest.approx(36)
    assert facts["ytd_tax_growth_pct"] == pytest.approx(-10)
    assert facts["ytd_output_growth_pct"] == pytest.approx(20)
    assert facts["mu_tax_annualised_wan_per_mu"] == pytest.approx(7.2)
    assert facts["firm_count"] == 2
    # one town: 金塘镇 alone, 18 against 20, over 10 亩: 18 ÷ (1 ÷ 6) ÷ 10 = 10.8
    town = in_year.indicators(warehouse, 2026, 2, town="金塘镇")
    assert town["ytd_tax_wan"] == pytest.approx(18) and town["ytd_tax_growth_pct"] == pytest.approx(
        -10
    )
    assert town["mu_tax_annualised_wan_per_mu"] == pytest.approx(10.8)
    # a year without a year before it has no 同比, said as None, never NaN
    assert in_year.indicators(warehouse, 2025, 2)["ytd_tax_growth_pct"] is None


def test_year_to_date_of_firms_that_skip_months_by_hand(tmp_path, config):
    """Firms that miss months: 1—N月 sums the months each reported up to N. 甲: 2025 产值 10 and 税收 1
    every month (120 in the year); 2026 only March (30, 3) and May (50, 5). 乙: 2025 only November and
    December (产值 7, 8); 2026 January and February (20, 2 each). Stored (year_to_date) and computed
    from the months (a file without the stored table) give the same."""
    a, b = creditcode.make("330902", "MA2A1B5E"), creditcode.make("330902", "MA2A1B6F")
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        db.create_schema(con)
        for code in (a, b):
            con.execute(
                "insert into enterprises values (?, ?, '金塘镇', '机械制造', false, 2010)",
                [code, code],
            )
        rows = [(a, 2025, m, 10, 1) for m in range(1, 13)] + [
            (a, 2026, 3, 30, 3),
            (a, 2026, 5, 50, 5),
        ]
        rows += [
            (b, 2025, 11, 7, None),
            (b, 2025, 12, 8, None),
            (b, 2026, 1, 20, 2),
            (b, 2026, 2, 20, 2),
        ]
        con.executemany(
            "insert into enterprise_months values (?, ?, ?, ?, null, null, ?, null)", rows
        )
        computed = in_year.indicators(con, 2026, 4)
        derived.store(con, config)
        stored = in_year.indicators(con, 2026, 4)
    assert computed == stored
    # 截至4月: 甲 30 (March) against 40 (1—4月 2025): −25 %; 乙 40, no 1—4月 a year earlier: in the
    # totals, not in 同比. 税收 3 + 4 = 7; 同比 甲 3 against 4: −25 %
    assert stored["firm_count"] == 2
    assert stored["ytd_tax_wan"] == pytest.approx(7)
    assert stored["ytd_output_growth_pct"] == pytest.approx(-25)
    assert stored["ytd_tax_growth_pct"] == pytest.approx(-25)
    with duckdb.connect(str(path), read_only=True) as con:
        # 截至2月: 甲 has reported no month yet; 乙 alone, with no 1—2月 a year earlier
        february = in_year.indicators(con, 2026, 2)
        assert february["firm_count"] == 1 and february["ytd_tax_wan"] == pytest.approx(4)
        assert february["ytd_output_growth_pct"] is None
        # 截至12月: 甲 80 against its whole 2025 (120), 乙 40 against its November and December (15):
        # 120 ÷ 135 − 1 = −11.1 %
        december = in_year.indicators(con, 2026, 12)
        assert december["ytd_output_growth_pct"] == pytest.approx(100 * (120 / 135 - 1))
