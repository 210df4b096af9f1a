"""Property-based tests of reading numbers, units and headers (plantrack.ingest.parsing)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantrack.ingest.parsing import MISSING, CellError, conversion, parse_number, split_header

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(finite)
def test_numbers_pass_through(value):
    assert parse_number(value) == value


@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_text_with_thousands_separators(value):
    text = f"{value:,.2f}"
    assert parse_number(text) == pytest.approx(float(value))
    assert parse_number(f" {text} ") == pytest.approx(float(value))


@given(st.integers(min_value=0, max_value=10**9))
def test_full_width_digits(value):
    full = "".join(chr(ord(char) + 0xFEE0) if char.isdigit() else char for char in str(value))
    assert parse_number(full) == value


@given(st.sampled_from(sorted(MISSING)))
def test_missing_marks_are_none(mark):
    assert parse_number(mark) is None


@given(
    st.text(alphabet="甲乙丙丁十百千万亿abcxyz!?#", min_size=1, max_size=8).filter(
        lambda t: t not in MISSING
    )
)
def test_words_are_not_numbers(text):
    with pytest.raises(CellError):
        parse_number(text)


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])
def test_excel_errors(error):
    with pytest.raises(CellError, match="公式错误"):
        parse_number(error)


def test_nan_and_booleans_are_rejected():
    with pytest.raises(CellError):
        parse_number(math.nan)
    with pytest.raises(CellError):
        parse_number(True)


@given(finite.filter(lambda v: v >= 0))
def test_unit_conversions_round_trip(value):
    assert value * conversion("元", "万元") * 10000 == pytest.approx(value)
    assert value * conversion("亿元", "万元") == pytest.approx(value * 10000)
    assert value * conversion("平方米", "亩") * 666.6667 == pytest.approx(value)
    assert conversion(None, "万元") == 1.0


def test_units_that_do_not_fit():
    with pytest.raises(CellError, match="无法换算"):
        conversion("公里", "亩")
    with pytest.raises(CellError):
        conversion("元", "亩")


names = st.sampled_from(["用地面积", "税收实际贡献", "企业名称", "统一社会信用代码"])
units = st.sampled_from(["亩", "万元", "元", "平方米", None])
brackets = st.sampled_from([("（", "）"), ("(", ")"), ("【", "】"), ("[", "]")])


@given(names, units, brackets, st.sampled_from(["", " ", "\u3000", "*"]))
def test_header_variants(name, unit, pair, noise):
    header = f"{noise}{name}{noise}" + (f"{pair[0]}{unit}{pair[1]}" if unit else "")
    assert split_header(header) == (name, unit)
