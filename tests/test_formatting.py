"""Number formatting: the unit's precision, and rounding that never makes a lagging target look met."""

import pytest

from plantrack.report import formatting


@pytest.mark.parametrize(
    ("value", "unit", "direction", "met", "shown"),
    [
        (0.784, "家", "at_least", False, "0 家"),  # 中国质量奖 was shown "1 家/1 家" and lagging
        (11.996, "万元/亩", "at_least", False, "11.99 万元/亩"),
        (99.96, "%", "at_least", False, "99.9%"),
        (1.004, "名", "at_most", False, "2 名"),
        (12.004, "万元/亩", "at_least", True, "12.00 万元/亩"),
        (None, "家", "at_least", False, "—"),
    ],
)
def test_an_actual_short_of_its_target_is_rounded_away_from_it(value, unit, direction, met, shown):
    assert formatting.actual(value, unit, direction, met) == shown


def test_a_completion_under_100_percent_never_shows_100():
    assert formatting.share(0.996, met=False) == "99%"
    assert formatting.share(0.996) == "100%"
    assert formatting.share(1.0, met=True) == "100%"


def test_no_negative_zero_and_whole_counts():
    assert formatting.number(-0.04, "百分点") == "0.0 百分点"
    assert formatting.delta(-0.04, "%") == "0.0 百分点"
    assert formatting.bare(4.0, "家") == "4"
    assert formatting.number(1234.0, "件") == "1,234 件"
    assert formatting.number(123456, "万元") == "12.35 亿元"
