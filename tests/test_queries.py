"""SQL contracts: every queries/*.sql runs on the fixture database; columns and invariants asserted."""

import pytest

from plantrack import db, grading

# name → (params, relations needed, columns it must return)
CONTRACTS = {
    "meta": ({}, False, ["key", "value"]),
    "data_years": ({}, False, ["year"]),
    "district_yearly_indicators": (
        {"town": None},
        False,
        [
            "year",
            "enterprise_count",
            "land_mu",
            "mu_tax_wan_per_mu",
            "mu_value_added_wan_per_mu",
            "rd_ratio_pct",
            "labour_productivity_wan_per_person",
            "output_yi",
            "value_added_yi",
            "revenue_yi",
        ],
    ),
    "enterprise_indicators": (
        {"year": None, "min_land_below_scale": 3, "min_age_years": 2},
        False,
        [
            "credit_code",
            "year",
            "name",
            "town",
            "industry",
            "grp",
            "eligible",
            "not_graded_reason",
            "mu_tax_wan_per_mu",
            "mu_value_added_wan_per_mu",
            "rd_ratio_pct",
        ],
    ),
    "grading": (
        "method",
        False,
        [
            "credit_code",
            "year",
            "grp",
            "score",
            "computed_grade",
            "official_grade",
            "not_graded_reason",
        ],
    ),
    "grade_distribution": (
        {},
        True,
        ["year", "grp", "grade", "enterprise_count", "computed_count"],
    ),
    "factory_eligibility_facts": (
        {},
        True,
        [
            "credit_code",
            "year",
            "town",
            "grade",
            "previous_grade",
            "mu_tax_at_least_industry_avg",
            "has_rd",
            "rd_ratio_at_least_district_avg",
        ],
    ),
}


def _run(con, config, name):
    params, needs_grades, _ = CONTRACTS[name]
    if params == "method":
        params = {"year": None, **config.grading.query_params()}
    relations = {"grades": grading.grade(con, config.grading)} if needs_grades else None
    return db.run_query(con, name, relations=relations, **params)


def test_every_query_has_a_contract():
    assert set(db.query_names()) == set(CONTRACTS)


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_query_runs_and_returns_its_columns(con, config, name):
    frame = _run(con, config, name)
    assert not frame.empty, name
    missing = [column for column in CONTRACTS[name][2] if column not in frame.columns]
    assert missing == [], name


def test_every_query_has_a_header():
    for name in db.query_names():
        header = db.load_sql(name).splitlines()[:3]
        assert header[0].startswith("-- ") and header[1].startswith("-- Params:"), name


def test_missing_parameter_fails_loudly(con):
    with pytest.raises(Exception, match="town"):
        db.run_query(con, "district_yearly_indicators")


def test_district_ratios_are_ratios_of_totals(con, config):
    frame = _run(con, config, "district_yearly_indicators").set_index("year")
    tax, land = con.execute(
        "select sum(tax_wan), sum(land_mu) from enterprise_years where year = 2023 and above_scale and land_mu > 0"
    ).fetchone()
    assert frame.loc[2023, "mu_tax_wan_per_mu"] == pytest.approx(tax / land)


def test_town_filter_partitions_the_district(con):
    district = db.run_query(con, "district_yearly_indicators", town=None).set_index("year")
    towns = [row[0] for row in con.execute("select town from towns").fetchall()]
    counted = sum(
        db.run_query(con, "district_yearly_indicators", town=town)
        .set_index("year")["enterprise_count"]
        .get(2023, 0)
        for town in towns
    )
    assert counted == district.loc[2023, "enterprise_count"]


def test_grades_cover_every_enterprise_year_once(con, config):
    graded = _run(con, config, "grading")
    total = con.execute("select count(*) from enterprise_years").fetchone()[0]
    assert len(graded) == total
    assert not graded.duplicated(["credit_code", "year"]).any()
    assert set(graded["computed_grade"]) <= {"A", "B", "C", "D", "不参评"}
    shares = (
        graded[graded["computed_grade"] != "不参评"]
        .groupby(["year", "grp"])["computed_grade"]
        .apply(lambda grades: (grades == "A").mean())
    )
    assert shares.between(0.1, 0.3).all()
