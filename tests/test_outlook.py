"""还需多少、能否完成 (plantrack/engine/outlook.py) on hand-computed cases, one per kind of target."""

import math

import pytest

from plantrack.engine.outlook import project


def _cumulative(actual, flows):
    return project(direction="at_least", aggregate="cumulative", target=50, target_year=2025,
                   start=2023, as_of=2024, unit="家", series=flows, actual=actual)  # fmt: skip


@pytest.mark.parametrize(
    ("actual", "projection", "judgement"),
    [(34, 51.0, "预计完成"), (32, 48.0, "有望完成"), (28, 42.0, "难以完成")],
)
def test_cumulative_count_run_rate(actual, projection, judgement):
    # 2 years elapsed (2023, 2024): pace = actual ÷ 2; 1 year left
    result = _cumulative(actual, {2023: actual / 2, 2024: actual / 2})
    assert result.years_left == 1
    assert result.remaining == 50 - actual
    assert result.pace_so_far == actual / 2
    assert result.pace_needed == 50 - actual
    assert result.projection == projection
    assert result.judgement == judgement
    assert result.pace_unit == "家/年"


def test_a_quota_cell_is_a_cumulative_count():
    # 金塘镇 洁美工厂: quotas 4 + 3 + 3 = 10 over 2023—2025; 3 recognised by 2023 (1 year elapsed)
    result = project(direction="at_least", aggregate="cumulative", target=10, target_year=2025,
                     start=2023, as_of=2023, unit="家", series={2023: 3}, actual=3)  # fmt: skip
    assert (result.years_left, result.remaining, result.pace_needed) == (2, 7, 3.5)
    assert result.projection == 9  # 3 + 3 × 2
    assert result.judgement == "有望完成"  # 90 %


def test_level_linear_trend():
    # 亩均税收 10, 11, 12 万元/亩 in 2021—2023, target 15 in 2025: the line reaches 14
    result = project(direction="at_least", aggregate="level", target=15, target_year=2025,
                     start=2021, as_of=2023, unit="万元/亩",
                     series={2021: 10.0, 2022: 11.0, 2023: 12.0, 2024: 99.0})  # fmt: skip
    assert result.projection == pytest.approx(14.0)  # 2024's figure is after the as-of year: unused
    assert result.pace_so_far == pytest.approx(1.0)
    assert result.remaining == 3.0 and result.pace_needed == 1.5
    assert result.projected_completion == pytest.approx(14 / 15)
    assert result.judgement == "有望完成"


def test_growth_from_a_base_year_compound_rate():
    # 比2020年翻一番 (growth ≥ 100 % by 2025): 100 → 121 in 2022 is 10 % a year, which gives
    # 1.1⁵ − 1 = 61.051 % by 2025; what it takes: (200 ÷ 121)^(1/3) − 1 = 18.23 % a year
    result = project(direction="growth_at_least", aggregate="level", target=100, target_year=2025,
                     start=2021, as_of=2022, unit="%", series={2020: 100.0, 2021: 110.0, 2022: 121.0},
                     base_year=2020)  # fmt: skip
    assert result.pace_so_far == pytest.approx(10.0)
    assert result.projection == pytest.approx(61.051)
    assert result.pace_needed == pytest.approx((200 / 121) ** (1 / 3) * 100 - 100)
    assert result.remaining == pytest.approx(79.0)  # 100 − 21 points
    assert result.judgement == "难以完成"


def test_decline_from_a_base_year():
    # 单位能耗比2020年下降10%: 1.00 → 0.94 by 2023, i.e. 0.94^(1/3) a year; by 2025 0.94^(5/3)
    result = project(direction="decline_at_least", aggregate="level", target=10, target_year=2025,
                     start=2021, as_of=2023, unit="%", series={2020: 1.0, 2023: 0.94},
                     base_year=2020)  # fmt: skip
    expected = (1 - math.exp(5 / 3 * math.log(0.94))) * 100  # 9.799 %
    assert result.projection == pytest.approx(expected)
    assert result.judgement == "有望完成"


def test_at_most_target_reduction_still_needed():
    # 低效企业清零 by 2023: 30, 20, 10 in 2020—2022; the line reaches 0 in 2023
    result = project(direction="at_most", aggregate="level", target=0, target_year=2023, start=2021,
                     as_of=2022, unit="家", series={2020: 30, 2021: 20, 2022: 10})  # fmt: skip
    assert result.remaining == 10 and result.pace_needed == 10
    assert result.pace_so_far == pytest.approx(10.0)  # a reduction of 10 a year
    assert result.projection == pytest.approx(0.0, abs=1e-9)
    assert result.judgement == "预计完成"


@pytest.mark.parametrize(
    ("series", "reason"),
    [
        ({2022: 10.0, 2023: 12.0}, "不足 3 年数据"),
        ({2020: 10.0, 2021: 20.0, 2022: 5.0, 2023: 25.0}, "数据波动过大"),
    ],
)
def test_too_little_or_too_noisy_data_gives_no_number(series, reason):
    result = project(direction="at_least", aggregate="level", target=15, target_year=2025,
                     start=2021, as_of=2023, unit="万元/亩", series=series)  # fmt: skip
    assert result.judgement == "数据不足" and reason in result.reason
    assert result.projection is None and result.projected_completion is None


def test_a_target_due_has_no_outlook():
    assert (
        project(
            direction="at_least",
            aggregate="level",
            target=15,
            target_year=2023,
            start=2021,
            as_of=2023,
            unit="万元/亩",
            series={2021: 1.0, 2022: 2.0, 2023: 3.0},
        )  # fmt: skip
        is None
    )


def test_annual_target_average_so_far():
    # 每年新增高企和科小40家: 36 and 44 in two years average 40
    result = project(direction="at_least", aggregate="annual", target=40, target_year=2023,
                     start=2021, as_of=2022, unit="家", series={2021: 36, 2022: 44})  # fmt: skip
    assert result.pace_so_far == 40 and result.judgement == "预计完成"
