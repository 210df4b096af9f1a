"""SQL contracts: every queries/*.sql runs on the fixture database; columns and invariants asserted."""

import pytest

from plantrack.engine import grading, quotas
from plantrack.model.reference import LEVELS, THREE_FACTORIES
from plantrack.model.targets import query_parameters
from plantrack.store import db, projection

PROJECTION_SHARES = {
    "output_share": 0.5,
    "revenue_share": 0.5,
    "tax_share": 0.5,
    "electricity_share": 0.5,
}

# name → (params, relations needed, columns it must return)
CONTRACTS = {
    "warehouse/meta": ({}, False, ["key", "value"]),
    "data_years": ({}, False, ["year"]),
    "yearly_indicators": (
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
    "metrics/award_count": (
        {"town": None, "awards": ["高新技术企业"], "min_level": None, "levels": LEVELS},
        False,
        ["year", "awarded_firms", "new_firms"],
    ),
    "metrics/award_coverage": (
        {"town": None, "awards": THREE_FACTORIES, "min_level": None, "levels": LEVELS},
        False,
        ["year", "above_scale_firms", "awarded_above_scale_firms", "coverage_pct"],
    ),
    "metrics/band_count": (
        {"town": None, "measure": "revenue", "min_wan": 50000, "max_wan": None},
        False,
        ["year", "firms", "new_firms"],
    ),
    "metrics/low_efficiency_count": (
        {"town": None, "line": 5, "park_only": False},
        True,
        ["year", "firms", "evaluated_firms"],
    ),
    "metrics/factory_revenue_growth_gap": (
        {"town": None, "factories": THREE_FACTORIES},
        False,
        ["year", "factory_growth_pct", "district_growth_pct", "gap_points"],
    ),
    "reported_indicators": (
        {},
        False,
        ["jurisdiction", "metric", "year", "value", "unit", "source"],
    ),
    "town_factory_fulfillment": (
        "quotas",
        False,
        ["town", "sort_order", "award", "year", "quota_count", "awarded_count"],
    ),
    "application_pipeline": (
        {"year": None, "town": None},
        False,
        ["town", "sort_order", "category", "applied", "recommended", "passed_review", "recognised"],
    ),
    "town_applications": (
        {"town": "金塘镇", "year": None},
        False,
        ["year", "category", "name", "credit_code", "total_score", "stage", "reject_reason"],
    ),
    "town_indicators": (
        {"year": 2024, "line": 5, "park_only": False, "min_firms": 3},
        True,
        [
            "town",
            "above_scale_count",
            "mu_tax_wan_per_mu",
            "low_efficiency_count",
            "evaluated_count",
        ],
    ),
    "enterprise_evaluation": (
        {
            "year": 2024,
            "grades": None,
            "towns": None,
            "industries": None,
            "grp": None,
            "in_park": None,
            "search": None,
            "limit": None,
            "sample": False,
        },
        True,
        [
            "credit_code",
            "name",
            "town",
            "grp",
            "mu_tax_wan_per_mu",
            "score",
            "grade",
            "grade_source",
        ],
    ),
    "evaluation_summary": (
        {
            "year": 2024,
            "grades": None,
            "towns": None,
            "industries": None,
            "grp": None,
            "in_park": None,
            "search": None,
        },
        True,
        ["town", "industry", "grade", "enterprise_count"],
    ),
    "grade_transitions": (
        {"from_year": 2023, "to_year": 2024, "computed": False, "movements": None, "limit": None},
        True,
        ["credit_code", "name", "from_grade", "to_grade", "movement"],
    ),
    "grade_transition_matrix": (
        {"from_year": 2023, "to_year": 2024, "computed": False},
        True,
        ["from_grade", "to_grade", "movement", "enterprise_count"],
    ),
    "low_efficiency_enterprises": (
        {"year": 2024, "line": 5, "park_only": False},
        True,
        ["credit_code", "name", "town", "land_mu", "tax_wan", "mu_tax_wan_per_mu"],
    ),
    "ledger/import_ledger": (
        {},
        False,
        ["import_id", "file_name", "sha256", "kind", "imported_at", "outcome"],
    ),
    "ledger/import_changes_of": ({"import_id": 1}, False, ["table_name", "key_json", "old_json"]),
    "plans/plan_versions": (
        {},
        False,
        ["plan_id", "version", "import_id", "effective_year", "reason", "plan_json", "undone"],
    ),
    "warehouse/table_columns": ({"table_name": "enterprise_years"}, False, ["column_name"]),
    "warehouse/enterprise_codes": ({}, False, ["credit_code"]),
    "warehouse/table_counts": ({}, False, ["table_name", "row_count"]),
    "enterprise_list": (
        {"search": None, "include": None, "limit": None},
        False,
        ["credit_code", "name", "town", "industry", "last_year", "matches"],
    ),
    "enterprise_identity": (
        {"credit_code": "CODE"},
        False,
        ["credit_code", "name", "town", "industry", "in_park"],
    ),
    "enterprise_history": (
        {"credit_code": "CODE"},
        False,
        ["year", "indicator", "value", "industry_median", "district_median"],
    ),
    "enterprise_awards": ({"credit_code": "CODE"}, False, ["year", "award", "level", "doc_no"]),
    "enterprise_applications": (
        {"credit_code": "CODE"},
        False,
        ["year", "category", "total_score", "stage", "reject_reason"],
    ),
    "enterprise_grades": (
        {"credit_code": "CODE"},
        True,
        ["year", "score", "grade", "grade_source"],
    ),
    "derived/grading": (
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
    "derived/indicator_medians": ({}, False, ["year", "scope", "indicator", "median_value"]),
    "derived/revenue_pairs": (
        {},
        False,
        ["credit_code", "year", "above_scale", "revenue_wan", "last_revenue_wan"],
    ),
    "derived/month_facts": (
        {"years": None, "from_month": 1},
        False,
        ["credit_code", "town", "year", "month", "land_mu", "ytd_tax_wan", "ytd_tax_wan_last"],
    ),
    "derived/year_to_date": (
        {"years": None, "from_month": 1},
        False,
        ["credit_code", "town", "year", "month", "land_mu", "ytd_output_wan", "ytd_tax_wan"],
    ),
    "derived/month_warnings": (
        {
            "year": 2026,
            "month": 10,
            "from_month": 1,
            # 1—N月利润 below 10亿元: every firm reporting, every month
            "rules": [
                {
                    "id": "r",
                    "kind": "threshold",
                    "metric": "ytd_profit",
                    "threshold": 1e5,
                    "months": 0,
                }
            ],
            "tax_shares": [n / 12 for n in range(1, 13)],
            "town_means": [{"town": "金塘镇", "month": 10, "mean": 5.0}],
        },
        False,
        ["rule", "credit_code", "year", "month", "town", "value", "threshold", "since"],
    ),
    "derived/yearly_summary": (
        {},
        False,
        ["town", "year", "enterprise_count", "new_above_scale_count", "mu_tax_wan_per_mu"],
    ),
    "grade_distribution": (
        {},
        True,
        ["year", "grp", "grade", "enterprise_count", "computed_count"],
    ),
    "factory_eligibility_facts": (
        {"credit_code": None},
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
    # 预警 (issue 27): the monthly facts of 2026 (the demo's months 1—10), projections from June 2025
    "in_year_indicators": (
        {"year": 2026, "month": 10, "town": None, "tax_share": 0.8},
        False,
        [
            "ytd_output_wan",
            "year_output_wan_last",
            "ytd_output_growth_pct",
            "ytd_tax_wan",
            "ytd_tax_growth_pct",
            "mu_tax_annualised_wan_per_mu",
        ],
    ),  # fmt: skip
    "warnings/monthly_shares": ({"year": 2026}, False, ["month", "output_share", "tax_share"]),
    "warnings/month_span": ({}, False, ["year", "month_count", "last_month"]),
    "warnings/firm_warnings": (
        {"year": 2026, "month": 10},
        False,
        ["rule", "credit_code", "name", "town", "value", "threshold", "since"],
    ),
    "warnings/town_month_facts": (
        {"year": 2026, "month": 10},
        False,
        ["town", "month", "ytd_output_growth_pct", "year_output_wan_last", "ytd_mu_tax_wan_per_mu"],
    ),
    "warnings/year_grades": ({"year": 2025}, False, ["credit_code", "town", "grade"]),
    "warnings/projected_years": (
        {"year": 2025, "shares": [{"month": 6, **PROJECTION_SHARES}]},
        False,
        ["credit_code", "year", "land_mu", "tax_wan", "value_added_wan", "energy_tce"],
    ),
    "warnings/projected_grades": (
        {"year": 2025, "month": 6, "grade": None},
        "projected",
        ["credit_code", "month", "name", "town", "projected_grade", "last_grade"],
    ),
    "derived/month_grades": (
        {"year": 2025, "month": 6},
        "projected",
        ["credit_code", "year", "month", "score", "computed_grade"],
    ),
}


def _run(con, config, name):
    params, needs_grades, _ = CONTRACTS[name]
    if needs_grades == "projected":  # graded now on its own cursor (plantrack/store/projection.py)
        if name == "warnings/projected_grades":
            return projection.projected_grades(
                con,
                config.grading.query_params(),
                params["year"],
                params["month"],
                None,
                stored=False,
            )
        with con.cursor() as cur:
            projection.grade_months(
                cur, config.grading.query_params(), params["year"], params["month"]
            )
            return cur.execute(db.load_sql(name), {"year": params["year"]}).df()
    if params == "method":
        params = config.grading.query_params()
    elif params == "quotas":
        params = {"quotas": quotas.quota_param(config.plan("dinghai-upgrade-2023"))}
    elif "CODE" in params.values():
        # an enterprise with honours and 三大工厂 applications
        code = con.execute(
            "select credit_code from applications join awards using (credit_code) order by credit_code limit 1"
        ).fetchone()[0]
        params = {key: code if value == "CODE" else value for key, value in params.items()}
    relations = {"grades": grading.grade(con, config.grading)} if needs_grades else None
    if "viewer_town" in query_parameters(
        name
    ):  # an enterprise-level query: read as 科室 (every town)
        params = {**params, "viewer_town": None}
    return db.run_query(con, name, relations=relations, **params)


def test_every_query_has_a_contract():
    assert set(db.query_names()) == set(CONTRACTS)


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_query_runs_and_returns_its_columns(con, config, name):
    frame = _run(con, config, name)
    # the demo fixture has no imports; test_import_corpus.py checks the ledger on real imports
    assert not frame.empty or name in {"ledger/import_ledger", "ledger/import_changes_of"}, name
    missing = [column for column in CONTRACTS[name][2] if column not in frame.columns]
    assert missing == [], name


def test_every_query_has_a_header():
    for name in db.query_names():
        header = db.load_sql(name).splitlines()[:3]
        assert header[0].startswith("-- ") and header[1].startswith("-- Params:"), name


def test_missing_parameter_fails_loudly(con):
    with pytest.raises(Exception, match="town"):
        db.run_query(con, "yearly_indicators")


def test_district_ratios_are_ratios_of_totals(con, config):
    frame = _run(con, config, "yearly_indicators").set_index("year")
    tax, land = con.execute(
        "select sum(tax_wan), sum(land_mu) from enterprise_years where year = 2023 and above_scale and land_mu > 0"
    ).fetchone()
    assert frame.loc[2023, "mu_tax_wan_per_mu"] == pytest.approx(tax / land)


def test_town_filter_partitions_the_district(con):
    district = db.run_query(con, "yearly_indicators", town=None).set_index("year")
    towns = [row[0] for row in con.execute("select town from towns").fetchall()]
    counted = sum(
        db.run_query(con, "yearly_indicators", town=town)
        .set_index("year")["enterprise_count"]
        .get(2023, 0)
        for town in towns
    )
    assert counted == district.loc[2023, "enterprise_count"]


def test_grades_cover_every_enterprise_year_once(con, config):
    graded = _run(con, config, "derived/grading")
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


def test_award_count_stock_and_flow(con):
    frame = db.run_query(
        con,
        "metrics/award_count",
        town=None,
        awards=["高新技术企业"],
        min_level=None,
        levels=LEVELS,
    )
    frame = frame.set_index("year")
    # the stock grows by the new firms each year
    assert (frame["awarded_firms"].diff().dropna() == frame["new_firms"].iloc[1:]).all()
    first_years = con.execute(
        "select min(year) as y, count(*) from awards where award = '高新技术企业' group by credit_code"
    ).fetchall()
    assert frame["awarded_firms"].iloc[-1] == len(first_years)


def test_award_level_filter_is_at_least(con):
    any_level = db.run_query(
        con, "metrics/award_count", town=None, awards=["绿色工厂"], min_level=None, levels=LEVELS
    )
    provincial = db.run_query(
        con, "metrics/award_count", town=None, awards=["绿色工厂"], min_level="省级", levels=LEVELS
    )
    national = db.run_query(
        con,
        "metrics/award_count",
        town=None,
        awards=["绿色工厂"],
        min_level="国家级",
        levels=LEVELS,
    )
    assert (any_level["awarded_firms"] >= provincial["awarded_firms"]).all()
    assert (provincial["awarded_firms"] >= national["awarded_firms"]).all()


def test_low_efficiency_line_is_monotonic(con):
    low = db.run_query(con, "metrics/low_efficiency_count", town=None, line=5, park_only=False)
    high = db.run_query(con, "metrics/low_efficiency_count", town=None, line=8, park_only=False)
    park = db.run_query(con, "metrics/low_efficiency_count", town=None, line=8, park_only=True)
    assert (high["firms"] >= low["firms"]).all()
    assert (park["firms"] <= high["firms"]).all()


def test_band_counts_partition(con):
    def firms(low, high):
        frame = db.run_query(
            con, "metrics/band_count", town=None, measure="revenue", min_wan=low, max_wan=high
        )
        return frame.set_index("year")["firms"]

    assert (firms(0, 50000) + firms(50000, None) == firms(0, None)).all()


def test_stored_grades_equal_grades_computed_now(con, config):
    stored = con.execute("select * from grades").df()
    computed = grading.grade(con, config.grading)
    merged = stored.merge(computed, on=["credit_code", "year"], suffixes=("", "_now"))
    assert len(merged) == len(stored) == len(computed)
    for column in ["grade", "grade_source", "computed_grade", "score_rank", "grp"]:
        assert merged[column].fillna(-1).eq(merged[f"{column}_now"].fillna(-1)).all(), column
    assert merged["score"].fillna(-1).sub(merged["score_now"].fillna(-1)).abs().max() < 1e-9


def _evaluation(con, **params):
    base = {
        "year": 2024,
        "grades": None,
        "towns": None,
        "industries": None,
        "grp": None,
        "in_park": None,
        "search": None,
    }
    return db.run_query(con, "enterprise_evaluation", viewer_town=None, **{**base, **params})


def test_evaluation_limit_keeps_the_best_scores_and_sample_is_fixed(con):
    full = _evaluation(con, limit=None, sample=False)
    top = _evaluation(con, limit=25, sample=False)
    assert list(top["credit_code"]) == list(full["credit_code"].head(25))
    picked = _evaluation(con, limit=25, sample=True)
    assert len(picked) == 25
    assert list(picked["credit_code"]) == list(
        _evaluation(con, limit=25, sample=True)["credit_code"]
    )
    assert set(picked["credit_code"]) <= set(full["credit_code"])


def test_evaluation_summary_counts_the_same_enterprises(con):
    filters = {"grades": ["C", "D"], "grp": "规上"}
    full = _evaluation(con, limit=None, sample=False, **filters)
    summary = db.run_query(
        con,
        "evaluation_summary",
        viewer_town=None,
        year=2024,
        towns=None,
        industries=None,
        in_park=None,
        search=None,
        **filters,
    )
    counted = full.groupby(["town", "industry", "grade"]).size()
    assert summary.set_index(["town", "industry", "grade"])["enterprise_count"].to_dict() == (
        counted.to_dict()
    )


def test_transition_matrix_counts_the_named_moves(con):
    names = db.run_query(
        con,
        "grade_transitions",
        viewer_town=None,
        from_year=2023,
        to_year=2024,
        computed=False,
        movements=None,
        limit=None,
    )
    matrix = db.run_query(
        con, "grade_transition_matrix", from_year=2023, to_year=2024, computed=False
    )
    assert matrix["enterprise_count"].sum() == len(names)
    counted = names.groupby(["from_grade", "to_grade", "movement"]).size()
    assert (
        matrix.set_index(["from_grade", "to_grade", "movement"])["enterprise_count"].to_dict()
        == counted.to_dict()
    )
    moved = db.run_query(
        con,
        "grade_transitions",
        viewer_town=None,
        from_year=2023,
        to_year=2024,
        computed=False,
        movements=["上升"],
        limit=None,
    )
    assert set(moved["movement"]) == {"上升"}
    assert len(moved) == int(matrix.loc[matrix["movement"] == "上升", "enterprise_count"].sum())


def test_enterprise_history_medians_match_a_direct_median(con):
    code, industry = con.execute(
        "select credit_code, industry from enterprises order by credit_code limit 1"
    ).fetchone()
    history = db.run_query(con, "enterprise_history", viewer_town=None, credit_code=code).set_index(
        ["indicator", "year"]
    )
    year = int(history.index.get_level_values("year").max())
    expected_industry, expected_district = con.execute(
        """
        select
            median(tax_wan / nullif(land_mu, 0)) filter (where industry = $industry),
            median(tax_wan / nullif(land_mu, 0)) filter (where above_scale)
        from enterprise_years join enterprises using (credit_code)
        where year = $year
        """,
        {"industry": industry, "year": year},
    ).fetchone()
    row = history.loc[("mu_tax_wan_per_mu", year)]
    assert row["industry_median"] == pytest.approx(expected_industry)
    assert row["district_median"] == pytest.approx(expected_district)


def test_stale_derived_tables_are_computed_now(con, config):
    from plantrack.store import derived

    assert derived.is_current(con, config)
    assert derived.reads("enterprise_history") == ["indicator_medians"]
    assert derived.reads("enterprise_evaluation") == ["grades"]
    changed = config.model_copy(
        update={"grading": config.grading.model_copy(update={"cap": config.grading.cap + 1})}
    )
    relations = derived.relations(con, changed, ["grades"])
    stored = con.execute("select * from grades").df()
    assert len(relations["grades"]) == len(stored)
    assert not relations["grades"]["score"].equals(stored["score"])


def test_every_enterprise_level_query_takes_the_town_restriction(con, config):
    """A query whose rows name enterprises (a credit_code or name column), or that looks them up
    ($credit_code, $search), takes $viewer_town: the data layer fills it from the login. A new query that
    forgets it fails here (CONTRACTS lists every query)."""
    # never shown: the importer's look-up of known codes; the stored grades, revenue pairs and month facts, which
    # pages read only through the queries checked here
    exempt = {
        "warehouse/enterprise_codes",
        "derived/grading",
        "derived/revenue_pairs",
        "derived/month_facts",
        "derived/year_to_date",
        "derived/month_grades",
        "derived/month_warnings",
        "warnings/projected_years",
    }  # graded, then read through warnings/projected_grades
    for name in CONTRACTS:
        frame = _run(con, config, name)
        names_firms = bool({"credit_code", "name"} & set(frame.columns))
        looks_up = {"credit_code", "search"} & query_parameters(name)  # one firm, or firms by name
        if (names_firms or looks_up) and name not in exempt:
            assert "viewer_town" in query_parameters(name), name


def test_the_town_restriction_keeps_other_towns_firms_out(con, config):
    town = "金塘镇"
    other = con.execute(
        "select credit_code, name from enterprises where town <> ? order by credit_code limit 1",
        [town],
    ).fetchone()
    graded = con.execute(
        "select count(*) from grades join enterprises using (credit_code) where year = 2024 and town = ?",
        [town],
    ).fetchone()[0]
    base = dict.fromkeys(["grades", "towns", "industries", "grp", "in_park", "search"])
    rows = db.run_query(con, "enterprise_evaluation", **base, year=2024, limit=None, sample=False,
                        viewer_town=town)  # fmt: skip
    assert len(rows) == graded and set(rows["town"]) == {town}
    searched = db.run_query(con, "enterprise_evaluation", **{**base, "search": other[1]}, year=2024,
                            limit=None, sample=False, viewer_town=town)  # fmt: skip
    assert searched.empty
    for name in ["enterprise_identity", "enterprise_history", "enterprise_grades",
                 "enterprise_awards", "enterprise_applications"]:  # fmt: skip
        assert db.run_query(con, name, credit_code=other[0], viewer_town=town).empty, name
    listed = db.run_query(con, "enterprise_list", search=None, include=other[0], limit=None,
                          viewer_town=town)  # fmt: skip
    assert other[0] not in set(listed["credit_code"]) and set(listed["town"]) == {town}


def test_new_above_scale_per_town_and_district_from_raw_rows(con):
    """新增规上 (yearly_summary, stored when the data change): 规上 this year and not 规上 the year before,
    counted from the year after the scope's first year; computed here from the raw rows in Python."""
    rows = con.execute(
        "select ey.credit_code, e.town, ey.year, ey.above_scale from enterprise_years ey"
        " join enterprises e using (credit_code)"
    ).fetchall()
    above = {(code, year) for code, _, year, flag in rows if flag}
    town_of = {code: town for code, town, _, _ in rows}

    def expected(town):
        scoped = [r for r in rows if town is None or r[1] == town]
        first = min(year for _, _, year, _ in scoped)
        counts: dict[int, int] = {}
        for code, _, year, flag in scoped:
            if flag and year > first and (code, year - 1) not in above:
                counts[year] = counts.get(year, 0) + 1
        return counts

    for town in [None, *sorted(set(town_of.values()))]:
        got = db.run_query(con, "yearly_indicators", town=town).set_index("year")
        want = expected(town)
        for year, count in got["new_above_scale_count"].items():
            assert count == want.get(year, 0), (town, year)
