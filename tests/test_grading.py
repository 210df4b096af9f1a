"""亩均 grading on a hand-computed fixture (queries/derived/grading.sql through plantrack.engine.grading)."""

import duckdb
import pandas as pd
import pytest

from plantrack.engine import grading
from plantrack.model.targets import Grading
from plantrack.store import db

METHOD = Grading(
    name="测试办法",
    is_default=False,
    source="tests",
    cap=2.0,
    shares={"A": 20, "B": 40, "C": 35, "D": 5},
    min_land_below_scale=3,
    min_age_years=2,
    indicators=[
        {
            "grp": "规上",
            "indicator": "mu_tax_wan_per_mu",
            "label": "亩均税收",
            "unit": "万元/亩",
            "benchmark": 10,
            "weight": 60,
        },
        {
            "grp": "规上",
            "indicator": "mu_value_added_wan_per_mu",
            "label": "亩均增加值",
            "unit": "万元/亩",
            "benchmark": 100,
            "weight": 40,
        },
        {
            "grp": "规上",
            "indicator": "value_added_per_emission_wan_per_t",
            "label": "单位排放增加值",
            "unit": "万元/吨",
            "benchmark": 1000,
            "weight": 10,
        },
        {
            "grp": "规下",
            "indicator": "mu_tax_wan_per_mu",
            "label": "亩均税收",
            "unit": "万元/亩",
            "benchmark": 10,
            "weight": 100,
        },
    ],
)

# code, founded, above_scale, land, tax, value added, emission
FIRMS = [
    (
        "E1",
        2010,
        True,
        10,
        200,
        1000,
        1.0,
    ),  # 20/10 → capped 2 ×60 = 120; 100/100 ×40 = 40; 1000/1000 ×10 = 10
    ("E2", 2010, True, 10, 100, 500, 1.0),  # 60 + 20 + 5 = 85
    ("E3", 2010, True, 20, 100, 1000, None),  # 30 + 20 + group average (10+5+5+10)/4 = 7.5 → 57.5
    ("E4", 2010, True, 10, 50, 200, 0.4),  # 30 + 8 + 5 = 43
    ("E5", 2010, True, 10, 20, 100, 0.1),  # 12 + 4 + 10 = 26
    ("E6", 2022, True, 10, 100, 500, 1.0),  # in production under 2 years → 不参评
    ("E7", 2010, True, None, 100, 500, 1.0),  # no land → 不参评, no division by zero
    ("E8", 2010, False, 2, 10, 50, None),  # 规下 under 3亩 → 不参评
    ("E9", 2010, False, 5, 50, 100, None),  # 规下 alone: 50/5 = 10 → 100
]


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.duckdb"
    with db.writable(path) as con:
        db.create_schema(con)
        firms = pd.DataFrame(
            FIRMS, columns=["code", "founded", "above", "land", "tax", "va", "emission"]
        )
        con.register("firms", firms)
        con.execute(
            "insert into enterprises select code, code, '金塘镇', '机械制造', false, founded from firms"
        )
        con.execute(
            "insert into enterprise_years (credit_code, year, above_scale, land_mu, tax_wan, "
            "value_added_wan, revenue_wan, emission_t, employees) "
            "select code, 2023, above, land, tax, va, va * 4, emission, 100 from firms"
        )
        con.execute("update enterprise_years set official_grade = 'A' where credit_code = 'E5'")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def test_scores_by_hand(tiny):
    graded = grading.grade(tiny, METHOD).set_index("credit_code")
    expected = {"E1": 170, "E2": 85, "E3": 57.5, "E4": 43, "E5": 26, "E9": 100}
    for code, score in expected.items():
        assert graded.loc[code, "score"] == pytest.approx(score), code
    assert graded.loc["E3", "imputed_indicators"] == 1


def test_grades_by_rank_share(tiny):
    graded = grading.grade(tiny, METHOD).set_index("credit_code")
    # cume_dist 0.2 → A, 0.4 and 0.6 → B (≤ 60 %), 0.8 → C (≤ 95 %), 1.0 → D
    assert graded["computed_grade"].loc[["E1", "E2", "E3", "E4", "E5"]].tolist() == [
        "A",
        "B",
        "B",
        "C",
        "D",
    ]


def test_not_graded_never_divides_by_zero(tiny):
    graded = grading.grade(tiny, METHOD).set_index("credit_code")
    assert graded.loc["E6", "computed_grade"] == "不参评"
    assert graded.loc["E6", "not_graded_reason"] == "投产未满规定年限"
    assert graded.loc["E7", "not_graded_reason"] == "用地面积缺失或为0"
    assert graded.loc["E8", "not_graded_reason"] == "规下企业用地不足规定亩数"
    assert graded[["score"]].loc[["E6", "E7", "E8"]].isna().all().all()


def test_groups_rank_separately(tiny):
    graded = grading.grade(tiny, METHOD).set_index("credit_code")
    assert graded.loc["E9", "grp"] == "规下"
    assert graded.loc["E9", "score"] == pytest.approx(100)
    assert graded.loc["E9", "score_rank"] == 1


def test_official_grade_takes_precedence_on_screen(tiny):
    graded = grading.grade(tiny, METHOD).set_index("credit_code")
    assert graded.loc["E5", "computed_grade"] == "D"
    assert graded.loc["E5", "grade"] == "A"
    assert graded.loc["E5", "grade_source"] == "官方"
    assert graded.loc["E4", "grade_source"] == "测算"


def test_default_method_is_labelled_default(config):
    assert config.grading.is_default
    assert "默认" in config.grading.name
    assert config.grading.shares == {"A": 20, "B": 40, "C": 35, "D": 5}
