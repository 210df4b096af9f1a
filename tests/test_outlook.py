"""还需多少、能否完成 (plantrack/engine/outlook.py) on hand-computed cases, one per case of 口径说明 第 10 节,
and the figures of issue #25 (O1—O4, the future-years leak, a falling trend, a target of 0)."""

import math

import pytest

from plantrack.engine.outlook import project


def _cumulative(actual, flows):
    return project(
        direction="at_least",
        aggregate="cumulative",
        target=50,
        target_year=2025,
        start=2023,
        as_of=2024,
        unit="家",
        series=flows,
        actual=actual,
    )


@pytest.mark.parametrize(
    ("actual", "projection", "judgement"),
    [(34, 51.0, "预计完成"), (32, 48.0, "有风险"), (28, 42.0, "难以完成")],
)
def test_cumulative_count_run_rate(actual, projection, judgement):
    # 2 years elapsed (2023, 2024): pace = actual ÷ 2; 1 year left; 48 ÷ 50 = 96 % is the 有风险 band
    result = _cumulative(actual, {2023: actual / 2, 2024: actual / 2})
    assert result.years_left == 1
    assert result.remaining == 50 - actual
    assert result.pace_so_far == actual / 2
    assert result.pace_needed == 50 - actual
    assert result.projection == projection
    assert result.judgement == judgement
    assert result.pace_unit == "家/年"


def test_a_summed_count_that_reached_its_target_is_done_a_stock_is_not():
    done = _cumulative(52, {2023: 30, 2024: 22})
    assert (done.judgement, done.remaining) == ("已完成", 0)
    # 新增 read from year-end stocks (end − the stock before the plan) can fall back: judged, not done
    stock = project(
        direction="at_least",
        aggregate="cumulative",
        target=6,
        target_year=2025,
        start=2023,
        as_of=2024,
        unit="家",
        series={2022: 10, 2024: 17},
        actual=7,
        stock=True,
    )
    assert stock.judgement == "预计完成"  # 7 + 3.5 × 1 = 10.5 ≥ 6


def test_no_judgement_before_a_cumulative_plan_starts():
    result = project(
        direction="at_least",
        aggregate="cumulative",
        target=50,
        target_year=2025,
        start=2023,
        as_of=2022,
        unit="家",
        series={2021: 30, 2022: 40},
        actual=None,
    )
    assert (result.judgement, result.reason) == ("数据不足", "规划尚未开始")


def test_a_quota_cell_is_a_cumulative_count():
    # 金塘镇 洁美工厂: quotas 4 + 3 + 3 = 10 over 2023—2025; 3 recognised by 2023 (1 year elapsed)
    result = project(
        direction="at_least",
        aggregate="cumulative",
        target=10,
        target_year=2025,
        start=2023,
        as_of=2023,
        unit="家",
        series={2023: 3},
        actual=3,
    )
    assert (result.years_left, result.remaining, result.pace_needed) == (2, 7, 3.5)
    assert result.projection == 9  # 3 + 3 × 2
    assert result.judgement == "有风险"  # 90 %


def test_o1_a_yearly_target_averages_the_plans_elapsed_years_only():
    # hitech-tech-sme-new-2022 (40 家 every year, plan from 2021) at 截至2021: 59 in 2020 is before the
    # plan; the elapsed years are 2021 alone: 23 → 57.5 %, 难以完成 (the old average (59 + 23) ÷ 2 = 41
    # said 预计完成; 2022 ended at 26, 严重滞后)
    result = project(
        direction="at_least",
        aggregate="annual",
        target=40,
        target_year=2022,
        start=2021,
        as_of=2021,
        unit="家",
        series={2020: 59, 2021: 23},
    )
    assert result.pace_so_far == 23 and result.projection == 23
    assert result.projected_completion == pytest.approx(23 / 40)
    assert result.remaining == 17  # target − the same average: the row agrees with itself
    assert result.judgement == "难以完成"


def test_o1_yearly_growth_still_needed_is_against_the_growth_judged():
    # 园区 output growth, 8 % every year, plan from 2021: 100 → 106.25 is 6.25 %, so 1.75 points short
    # (2019's 80 is before the plan and not used)
    result = project(
        direction="growth_at_least",
        aggregate="level",
        target=8,
        target_year=2023,
        start=2021,
        as_of=2021,
        unit="%",
        series={2019: 80, 2020: 100, 2021: 106.25},
    )
    assert result.pace_so_far == pytest.approx(6.25)
    assert result.remaining == pytest.approx(1.75)
    assert result.pace_needed == 8 and result.pace_unit == "%/年"
    assert result.judgement == "难以完成"  # 6.25 ÷ 8 = 78 %


def test_o2_one_elapsed_year_of_growth_is_enough():
    # 工业投资增速 ≥ 15 % every year, at 截至2021: 100 → 118 is 18 %: 120 %, 预计完成 (was 数据不足)
    result = project(
        direction="growth_at_least",
        aggregate="level",
        target=15,
        target_year=2023,
        start=2021,
        as_of=2021,
        unit="%",
        series={2020: 100, 2021: 118},
    )
    assert result.pace_so_far == pytest.approx(18.0)
    assert result.projected_completion == pytest.approx(1.2)
    assert result.judgement == "预计完成"


def test_growth_over_two_elapsed_years_is_the_compound_rate():
    # 100 → 121 over 2021—2022: 10 % a year against 12 % → 83 %, 难以完成
    result = project(
        direction="growth_at_least",
        aggregate="level",
        target=12,
        target_year=2024,
        start=2021,
        as_of=2022,
        unit="%",
        series={2020: 100, 2021: 115, 2022: 121},
    )
    assert result.pace_so_far == pytest.approx(10.0)
    assert result.judgement == "难以完成"


def test_a_reported_rate_due_every_year_is_its_elapsed_years_average_not_a_line():
    # 技改投资增长 ≥ 8 % (reported 增速), plan 2021—2023: 7 and 9 → average 8: 预计完成; a line through
    # 2019's 20 and 2020's 14 (before the plan) is not drawn
    result = project(
        direction="at_least",
        aggregate="level",
        target=8,
        target_year=2023,
        start=2021,
        as_of=2022,
        unit="%",
        linear_path=False,
        series={2019: 20, 2020: 14, 2021: 7, 2022: 9},
    )
    assert result.projection == 8 and result.pace_unit == "%/年"
    assert result.judgement == "预计完成"


def test_level_linear_trend():
    # 亩均税收 10, 11, 12 万元/亩 in 2021—2023, target 15 in 2025: the line reaches 14 (93 %)
    result = project(
        direction="at_least",
        aggregate="level",
        target=15,
        target_year=2025,
        start=2021,
        as_of=2023,
        unit="万元/亩",
        series={2021: 10.0, 2022: 11.0, 2023: 12.0, 2024: 99.0},
    )
    assert result.projection == pytest.approx(14.0)  # 2024's figure is after the as-of year: unused
    assert result.pace_so_far == pytest.approx(1.0)
    assert result.remaining == 3.0 and result.pace_needed == 1.5
    assert result.pace_unit == "万元/亩/年"
    assert result.projected_completion == pytest.approx(14 / 15)
    assert result.judgement == "有风险"


def test_a_falling_trend_is_never_likely_and_shows_the_fall():
    # 慈溪 数控化率 ≥ 90 %: 92.8, 89.7, 86.6, 83.5 (−3.1 points a year); the line ends at 71.1 % in 2025
    # (77 %); whatever the 完成率, a line moving away from the target is 难以完成
    series = {2019: 92.8, 2020: 89.7, 2021: 86.6, 2022: 83.5}
    result = project(
        direction="at_least",
        aggregate="level",
        target=90,
        target_year=2025,
        start=2021,
        as_of=2022,
        unit="%",
        series=series,
    )
    assert result.pace_so_far == pytest.approx(-3.1)
    assert result.pace_unit == "个百分点/年"
    assert result.projection == pytest.approx(83.5 - 3 * 3.1)
    assert (result.judgement, result.reason) == ("难以完成", "趋势背离目标")
    # near the target it is still 难以完成, not the 90 % band: 89.7 → 89.4 → 89.1, line ends at 88.5
    near = project(
        direction="at_least",
        aggregate="level",
        target=90,
        target_year=2025,
        start=2021,
        as_of=2022,
        unit="%",
        series={2020: 89.7, 2021: 89.4, 2022: 89.1},
    )
    assert near.projected_completion == pytest.approx(88.2 / 90)
    assert near.judgement == "难以完成"


def test_met_now_but_the_line_leaves_the_target_is_at_risk():
    # 95, 93, 91 against ≥ 90 by 2025: met in 2022, the line reaches 85 (beyond its scatter of 0)
    result = project(
        direction="at_least",
        aggregate="level",
        target=90,
        target_year=2025,
        start=2021,
        as_of=2022,
        unit="%",
        series={2020: 95, 2021: 93, 2022: 91},
    )
    assert result.remaining == 0 and result.projection == pytest.approx(85.0)
    assert result.judgement == "有风险"


def test_a_projection_within_the_lines_scatter_of_the_target_is_at_risk():
    # 10, 14, 12, 16 in 2020—2023: mean 13 at 2021.5, slope 8 ÷ 5 = 1.6 a year; residuals −0.6, 1.8,
    # −1.8, 0.6: spread √(7.2 ÷ 4) = 1.342. Read at 2025: 13 + 1.6 × 3.5 = 18.6; against 19 it is 0.4
    # short, within 1.342: 有风险
    series = {2020: 10.0, 2021: 14.0, 2022: 12.0, 2023: 16.0}
    result = project(
        direction="at_least",
        aggregate="level",
        target=19,
        target_year=2025,
        start=2021,
        as_of=2023,
        unit="万元/亩",
        series=series,
    )
    assert result.projection == pytest.approx(18.6)
    assert result.judgement == "有风险"
    # against 18, 0.6 beyond but within the scatter: also 有风险, not 预计完成
    above = project(
        direction="at_least",
        aggregate="level",
        target=18,
        target_year=2025,
        start=2021,
        as_of=2023,
        unit="万元/亩",
        series=series,
    )
    assert above.judgement == "有风险"
    # against 17, 1.6 beyond: 预计完成; against 21, 2.4 short and 18.6 ÷ 21 = 88.6 %: 难以完成
    clear = project(
        direction="at_least",
        aggregate="level",
        target=17,
        target_year=2025,
        start=2021,
        as_of=2023,
        unit="万元/亩",
        series=series,
    )
    assert clear.judgement == "预计完成"
    short = project(
        direction="at_least",
        aggregate="level",
        target=21,
        target_year=2025,
        start=2021,
        as_of=2023,
        unit="万元/亩",
        series=series,
    )
    assert short.judgement == "难以完成"


def test_growth_from_a_base_year_compound_rate():
    # 比2020年翻一番 (growth ≥ 100 % by 2025): 100 → 121 in 2022 is 10 % a year, which gives
    # 1.1⁵ − 1 = 61.051 % by 2025; what it takes: (200 ÷ 121)^(1/3) − 1 = 18.23 % a year
    result = project(
        direction="growth_at_least",
        aggregate="level",
        target=100,
        target_year=2025,
        start=2021,
        as_of=2022,
        unit="%",
        series={2020: 100.0, 2021: 110.0, 2022: 121.0},
        base_year=2020,
    )
    assert result.pace_so_far == pytest.approx(10.0)
    assert result.projection == pytest.approx(61.051)
    assert result.pace_needed == pytest.approx((200 / 121) ** (1 / 3) * 100 - 100)
    assert result.remaining == pytest.approx(79.0)  # 100 − 21 points
    assert result.judgement == "难以完成"


def test_decline_from_a_base_year():
    # 单位能耗比2020年下降10%: 1.00 → 0.94 by 2023, i.e. 0.94^(1/3) a year; by 2025 0.94^(5/3): 98 %
    result = project(
        direction="decline_at_least",
        aggregate="level",
        target=10,
        target_year=2025,
        start=2021,
        as_of=2023,
        unit="%",
        series={2020: 1.0, 2023: 0.94},
        base_year=2020,
    )
    expected = (1 - math.exp(5 / 3 * math.log(0.94))) * 100  # 9.799 %
    assert result.projection == pytest.approx(expected)
    assert result.judgement == "有风险"


def test_o3_a_ceiling_projects_completion_from_the_plans_base():
    # 亩均税收5万元以下低效企业清零 by 2023 (plan from 2021): 126, 90, 77 in 2020—2022. The line:
    # slope (−28.33 − 20.67) ÷ 2 = −24.5 a year, at 2023 97.67 − 49 = 48.67; 完成率 from the base
    # (2020, the year before the plan): (126 − 48.67) ÷ 126 = 61.4 % (not (77 − 48.67) ÷ 77 = 36.8 %)
    result = project(
        direction="at_most",
        aggregate="level",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2022,
        unit="家",
        series={2020: 126, 2021: 90, 2022: 77},
    )
    assert result.projection == pytest.approx(48.6667, abs=1e-4)
    assert result.projected_completion == pytest.approx((126 - 48.6667) / 126, abs=1e-6)
    assert round(result.projected_completion, 3) == 0.614
    assert result.remaining == 77 and result.pace_needed == -77  # down by 77 in the one year left
    assert result.pace_so_far == pytest.approx(-24.5)
    assert result.judgement == "难以完成"


def test_at_most_target_reduction_reaching_zero():
    # 低效企业清零 by 2023: 30, 20, 10 in 2020—2022; the line reaches 0 in 2023
    result = project(
        direction="at_most",
        aggregate="level",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2022,
        unit="家",
        series={2020: 30, 2021: 20, 2022: 10},
    )
    assert result.remaining == 10 and result.pace_needed == -10
    assert result.pace_so_far == pytest.approx(-10.0)  # falling 10 a year
    assert result.projection == pytest.approx(0.0, abs=1e-9)
    assert result.projected_completion == pytest.approx(1.0)  # (30 − 0) ÷ (30 − 0)
    assert result.judgement == "预计完成"


def test_o4_a_target_of_zero_is_judged_on_reaching_zero():
    # 财政科技投入增速 ≥ 0 every year (fiscal-st-growth-2023): 100 → 105 is 5 %: no 完成率, reaches 0
    fiscal = project(
        direction="growth_at_least",
        aggregate="level",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2021,
        unit="%",
        series={2020: 100, 2021: 105},
    )
    assert fiscal.projected_completion is None
    assert fiscal.judgement == "预计完成"
    # 工业用地总量不低于2020年 (industrial-land-total-2023, growth ≥ 0 on base 2020): was 数据不足
    land = project(
        direction="growth_at_least",
        aggregate="level",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2022,
        unit="%",
        series={2020: 50, 2021: 52, 2022: 54},
        base_year=2020,
    )
    assert land.projection == pytest.approx(((54 / 50) ** 1.5 - 1) * 100)  # 12.2 %
    assert land.judgement == "预计完成"
    shrinking = project(
        direction="growth_at_least",
        aggregate="level",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2022,
        unit="%",
        series={2020: 50, 2022: 48},
        base_year=2020,
    )
    assert shrinking.judgement == "难以完成"


def test_too_little_data_gives_no_number():
    result = project(
        direction="at_least",
        aggregate="level",
        target=15,
        target_year=2025,
        start=2021,
        as_of=2023,
        unit="万元/亩",
        series={2022: 10.0, 2023: 12.0},
    )
    assert result.judgement == "数据不足" and "不足 3 年数据" in result.reason
    assert result.projection is None and result.projected_completion is None


def test_a_target_due_has_no_outlook():
    result = project(
        direction="at_least",
        aggregate="level",
        target=15,
        target_year=2023,
        start=2021,
        as_of=2023,
        unit="万元/亩",
        series={2021: 1.0, 2022: 2.0, 2023: 3.0},
    )
    assert result is None


def test_annual_target_average_so_far():
    # 每年新增高企和科小40家: 36 and 44 in the plan's two years average 40
    result = project(
        direction="at_least",
        aggregate="annual",
        target=40,
        target_year=2023,
        start=2021,
        as_of=2022,
        unit="家",
        series={2021: 36, 2022: 44},
    )
    assert result.pace_so_far == 40 and result.judgement == "预计完成"


def test_a_view_as_of_a_year_holds_no_later_figures(con, config):
    """The future-years leak: `progress --json` at 截至2023 carried 2024's and 2025's figures in `series`
    (district rows and a town's 三大工厂 cells)."""
    from plantrack.engine import progress

    for town in (None, "城东街道"):
        rows = progress.evaluate(con, config, 2023, town=town)
        assert rows
        for row in rows:
            assert all(year <= 2023 for year in row.series), (row.target_id, row.series)
    latest = con.execute("select max(year) from awards").fetchone()[0]
    assert latest > 2023  # the fixture does have later figures to leak
