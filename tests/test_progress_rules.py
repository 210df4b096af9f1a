"""Every rule of docs/口径说明.md on hand-computed cases (plantrack.engine.progress.assess)."""

import pytest

from plantrack.engine.progress import assess


def run(**kwargs):
    defaults = {"direction": "at_least", "aggregate": "level", "lag_points": 10}
    return assess(**(defaults | kwargs))


def test_level_target_met_at_its_year():
    # 亩均税收 12 by 2023, 2023 value 13.5 → 112.5 %, 达标
    result = run(target=12, target_year=2023, start=2021, as_of=2023, values={2020: 9, 2023: 13.5})
    assert result.actual == 13.5
    assert result.completion == pytest.approx(13.5 / 12)
    assert result.status == "met"


def test_evaluation_year_is_capped_at_the_target_year():
    result = run(target=12, target_year=2023, start=2021, as_of=2025, values={2023: 11, 2025: 15})
    assert result.eval_year == 2023
    assert result.actual == 11


def test_level_target_path_from_the_base_year():
    # base 2020 = 9, target 12 in 2023; as of 2021 one third elapsed → 应达 10 → 序时 10/12
    result = run(target=12, target_year=2023, start=2021, as_of=2021, values={2020: 9, 2021: 10.5})
    assert result.expected == pytest.approx(10 / 12)
    assert result.completion == pytest.approx(10.5 / 12)
    assert result.status == "on_pace"


def test_level_target_behind_within_lag_points():
    # 应达 10 (83.3 %), actual 9.5 (79.2 %): 4.2 points short → 滞后
    result = run(target=12, target_year=2023, start=2021, as_of=2021, values={2020: 9, 2021: 9.5})
    assert result.status == "behind"


def test_level_target_far_behind():
    # 2023 value 9 against 12: 75 % vs 100 % → 严重滞后
    result = run(target=12, target_year=2023, start=2021, as_of=2023, values={2020: 9, 2023: 9})
    assert result.completion == pytest.approx(0.75)
    assert result.status == "far_behind"


def test_level_without_base_compares_with_the_target():
    result = run(target=12, target_year=2023, start=2021, as_of=2022, values={2022: 11})
    assert result.expected == 1.0
    assert result.status == "behind"  # 91.7 % is within 10 points of 100 %


def test_cumulative_sums_flows_from_the_plan_start():
    # 洁美工厂 50 over 2023—2025; new 18 (2023) + 14 (2024) = 32 → 64 %; 序时 by 附件5 totals (20+15)/50 = 70 %
    result = run(
        aggregate="cumulative",
        target=50,
        target_year=2025,
        start=2023,
        as_of=2024,
        values={2022: 99, 2023: 18, 2024: 32},
        flows={2022: 5, 2023: 18, 2024: 14},
        schedule={2023: 20, 2024: 15, 2025: 15},
    )
    assert result.actual == 32
    assert result.completion == pytest.approx(0.64)
    assert result.expected == pytest.approx(0.70)
    assert result.status == "behind"


def test_cumulative_without_schedule_uses_elapsed_time():
    result = run(
        aggregate="cumulative",
        target=30,
        target_year=2023,
        start=2021,
        as_of=2022,
        values={2021: 8, 2022: 10},
    )
    assert result.actual == 18
    assert result.expected == pytest.approx(2 / 3)
    assert result.completion == pytest.approx(0.6)
    assert result.status == "behind"  # 60 % vs 66.7 %: 6.7 points short


def test_cumulative_notes_missing_years():
    result = run(
        aggregate="cumulative",
        target=30,
        target_year=2023,
        start=2021,
        as_of=2023,
        values={2021: 8, 2023: 9},
    )
    assert result.actual == 17
    assert "缺2022年" in result.basis


def test_annual_target_uses_that_year_only():
    result = run(
        aggregate="annual",
        target=40,
        target_year=2022,
        start=2021,
        as_of=2023,
        values={2021: 50, 2022: 36, 2023: 60},
    )
    assert result.eval_year == 2022
    assert result.actual == 36
    assert result.status == "behind"  # 90 % vs 100 %


def test_year_on_year_growth():
    # 增加值 增长 7 %: 107 → 112.35 is +5 % → 5/7 = 71 %
    result = run(
        direction="growth_at_least",
        target=7,
        target_year=2023,
        start=2023,
        as_of=2023,
        values={2022: 107, 2023: 112.35},
    )
    assert result.actual == pytest.approx(5)
    assert result.completion == pytest.approx(5 / 7)
    assert result.status == "far_behind"


def test_growth_over_a_base_year():
    # 翻番 (100 %) from 2020 to 2025; as of 2023: 150 vs 100 → +50 %, 序时 3/5
    result = run(
        direction="growth_at_least",
        target=100,
        target_year=2025,
        start=2021,
        as_of=2023,
        base_year=2020,
        values={2020: 100, 2023: 150},
    )
    assert result.actual == pytest.approx(50)
    assert result.expected == pytest.approx(0.6)
    assert result.status == "behind"


def test_decline_from_a_base_year():
    # 单位能耗 2020 0.5 → 2023 0.45: 下降 10 % against 10.4 % → 96 %, at the target year → 滞后
    result = run(
        direction="decline_at_least",
        target=10.4,
        target_year=2023,
        start=2021,
        as_of=2023,
        base_year=2020,
        values={2020: 0.5, 2023: 0.45},
    )
    assert result.actual == pytest.approx(10)
    assert result.completion == pytest.approx(10 / 10.4)
    assert result.status == "behind"


def test_decline_that_went_the_wrong_way_is_far_behind():
    result = run(
        direction="decline_at_least",
        target=10,
        target_year=2023,
        start=2021,
        as_of=2023,
        base_year=2020,
        values={2020: 0.5, 2023: 0.55},
    )
    assert result.actual == pytest.approx(-10)
    assert result.status == "far_behind"


def test_at_most_met():
    result = run(
        direction="at_most", target=0, target_year=2023, start=2021, as_of=2023, values={2023: 0}
    )
    assert result.status == "met"
    assert result.completion == 1.0


def test_at_most_reduction_progress_from_the_base():
    # 低效企业 40 (2020) → 0 by 2023; 2022: 20 left → 压减 50 %, 序时 2/3 → 严重滞后 (16.7 points)
    result = run(
        direction="at_most",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2022,
        values={2020: 40, 2022: 20},
    )
    assert result.completion == pytest.approx(0.5)
    assert result.expected == pytest.approx(2 / 3)
    assert result.status == "far_behind"


def test_at_most_at_the_target_year_with_some_left():
    # 40 → 3 by the deadline: 压减 92.5 % against 100 % → 滞后 (within 10 points); 40 → 10: 75 % → 严重滞后
    left = run(
        direction="at_most",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2023,
        values={2020: 40, 2023: 3},
    )
    assert left.completion == pytest.approx(0.925)
    assert left.status == "behind"
    worse = run(
        direction="at_most",
        target=0,
        target_year=2023,
        start=2021,
        as_of=2023,
        values={2020: 40, 2023: 10},
    )
    assert worse.status == "far_behind"


def test_at_most_without_a_base():
    result = run(
        direction="at_most", target=0, target_year=2023, start=2021, as_of=2023, values={2023: 3}
    )
    assert result.completion == 0.0
    assert result.status == "far_behind"


def test_at_most_positive_target():
    result = run(
        direction="at_most", target=2, target_year=2023, start=2023, as_of=2023, values={2023: 4}
    )
    assert result.completion == pytest.approx(0.5)


def test_zero_target_at_least():
    result = run(
        direction="growth_at_least",
        target=0,
        target_year=2022,
        start=2021,
        as_of=2022,
        values={2021: 10, 2022: 9.8},
    )
    assert result.completion is None
    assert result.status == "behind"
    ok = run(
        direction="growth_at_least",
        target=0,
        target_year=2022,
        start=2021,
        as_of=2022,
        values={2021: 10, 2022: 10.2},
    )
    assert ok.status == "met"


@pytest.mark.parametrize(
    "values",
    [{}, {2022: float("nan")}, {2021: 10}],
)
def test_missing_data_is_no_data(values):
    result = run(target=12, target_year=2023, start=2021, as_of=2022, values=values)
    assert result.status == "no_data"
    assert result.actual is None


def test_growth_needs_both_years():
    result = run(
        direction="growth_at_least",
        target=7,
        target_year=2023,
        start=2023,
        as_of=2023,
        values={2023: 110},
    )
    assert result.status == "no_data"
    assert "2022" in result.basis


def test_growth_from_zero_is_no_data_not_a_division_by_zero():
    result = run(
        direction="growth_at_least",
        target=7,
        target_year=2023,
        start=2023,
        as_of=2023,
        values={2022: 0, 2023: 5},
    )
    assert result.status == "no_data"


def test_before_the_plan_starts_nothing_is_expected_of_cumulative_targets():
    result = run(
        aggregate="cumulative",
        target=30,
        target_year=2025,
        start=2023,
        as_of=2022,
        values={2022: 3},
    )
    assert result.status == "no_data"  # no year of the plan has passed


def test_exactly_ten_points_behind_is_behind_not_far_behind():
    # 洁美工厂 15 of 50 by 2023 = 30 %, 序时 20/50 = 40 %: exactly 10 points short → 滞后 (in floating point
    # 0.4 − 0.1 = 0.30000000000000004 > 0.3 said 严重滞后)
    result = run(
        aggregate="cumulative",
        target=50,
        target_year=2025,
        start=2023,
        as_of=2023,
        values={2023: 15},
        schedule={2023: 20, 2024: 15, 2025: 15},
    )
    assert result.completion == pytest.approx(0.30)
    assert result.expected == pytest.approx(0.40)
    assert result.status == "behind"
    # a hair further behind is 严重滞后
    slightly_less = run(
        aggregate="cumulative",
        target=50,
        target_year=2025,
        start=2023,
        as_of=2023,
        values={2023: 14.999},
        schedule={2023: 20, 2024: 15, 2025: 15},
    )
    assert slightly_less.status == "far_behind"


@pytest.mark.parametrize(
    ("actual", "target", "lag", "expected"),
    [(0.7, 1.0, 30, "behind"), (0.9, 1.0, 10, "behind"), (8.9, 10, 10, "far_behind")],
)
def test_lag_boundary_is_exact_for_any_figures(actual, target, lag, expected):
    # 70 % against 100 % with a 30-point lag: 1.0 − 0.3 = 0.7 exactly as written
    result = run(target=target, target_year=2023, start=2021, as_of=2023, values={2023: actual},
                 lag_points=lag)  # fmt: skip
    assert result.status == expected


def test_new_on_a_stock_is_end_minus_base():
    # 新增100亿元以上企业 6 (2021—2023) on a year-end count: 2020 = 17.22 … 2023 = 21.00 → 3.78, 63 %
    result = run(
        aggregate="cumulative",
        target=6,
        target_year=2023,
        start=2021,
        as_of=2023,
        values={2020: 17.22, 2021: 18.5, 2022: 19.5, 2023: 21.0},
        stock=True,
    )
    assert result.actual == pytest.approx(3.78)
    assert result.completion == pytest.approx(0.63)
    assert result.status == "far_behind"
    yearly = run(aggregate="annual", target=2, target_year=2023, start=2021, as_of=2022,
                 values={2021: 18.5, 2022: 19.5}, stock=True)  # fmt: skip
    assert yearly.actual == pytest.approx(1.0)
    missing_base = run(aggregate="cumulative", target=6, target_year=2023, start=2021, as_of=2023,
                       values={2023: 21.0}, stock=True)  # fmt: skip
    assert missing_base.status == "no_data"


def test_cumulative_doubling_against_an_earlier_period():
    # 2016—2020 total 100; 2021—2023 total 150 → +50 %; 翻番 needs 200 → 75 % of it; 序时 3/5
    result = run(
        direction="growth_at_least",
        aggregate="cumulative",
        target=100,
        target_year=2025,
        start=2021,
        as_of=2023,
        values={2016: 20, 2017: 20, 2018: 20, 2019: 20, 2020: 20, 2021: 50, 2022: 50, 2023: 50},
        base_period=(2016, 2020),
    )
    assert result.actual == pytest.approx(50)
    assert result.completion == pytest.approx(0.75)
    assert result.expected == pytest.approx(0.6)
    assert result.status == "on_pace"
    gap = run(direction="growth_at_least", aggregate="cumulative", target=100, target_year=2025,
              start=2021, as_of=2023, values={2020: 20, 2021: 50, 2022: 50, 2023: 50},
              base_period=(2016, 2020))  # fmt: skip
    assert gap.status == "no_data"


def test_a_reported_growth_rate_is_due_in_full_every_year():
    # 工业投资年均增长15% (2021—2025), 2020 rate 5 %: 2023's 14 % is short of 15 %, not "on a path" from 5 %
    on_path = run(target=15, target_year=2025, start=2021, as_of=2023, values={2020: 5, 2023: 14})
    assert on_path.status == "on_pace"  # a level: straight line from the base
    rate = run(target=15, target_year=2025, start=2021, as_of=2023, values={2020: 5, 2023: 14},
               linear_path=False)  # fmt: skip
    assert rate.expected == 1.0
    assert rate.status == "behind"
