import pytest
from hypothesis import given
from hypothesis import strategies as st

from plantrack.ingest import creditcode


@pytest.mark.parametrize(
    "code",
    ["91110000802100433B", "91310000MA1FL4B24G"],  # published codes of real companies
)
def test_known_codes_are_valid(code):
    assert creditcode.problem(code) is None


def test_check_character_by_hand():
    # 9 1 3 3 0 9 0 2 0 0 0 0 0 0 0 1 X: Σ value × 3^i mod 31, check = 31 − (Σ mod 31)
    first17 = "91330902000000010"
    values = [creditcode.VALUES[char] for char in first17]
    total = sum(value * pow(3, index, 31) for index, value in enumerate(values))
    assert creditcode.check_char(first17) == creditcode.CHARSET[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "为空"),
        ("9133090200000001", "应为18位"),
        ("91330902MA2A1B3CIK", "非法字符"),
        ("91110000802100433C", "校验位错误"),
    ],
)
def test_problems_are_named_in_chinese(code, reason):
    assert reason in creditcode.problem(code)


@given(st.text(alphabet=creditcode.CHARSET, min_size=8, max_size=8))
def test_made_codes_validate_and_one_changed_character_does_not(body):
    code = creditcode.make("330902", body)
    assert creditcode.is_valid(code)
    last = code[-1]
    other = creditcode.CHARSET[(creditcode.VALUES[last] + 1) % 31]
    assert not creditcode.is_valid(code[:-1] + other)


def test_every_generated_code_is_valid(con):
    codes = [row[0] for row in con.execute("select credit_code from enterprises").fetchall()]
    assert codes
    assert [code for code in codes if not creditcode.is_valid(code)] == []
