"""Property tests: small random warehouses, every figure checked against a plain-Python computation from
the same rows — district and town ratios of totals, 低效企业 counts, 三大工厂 quota fulfilment and the
statuses the rules give. Nothing here calls queries/ to get an expected value."""

from __future__ import annotations

from fractions import Fraction

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.engine import progress, quotas
from plantrack.model.reference import THREE_FACTORIES
from plantrack.model.targets import Plan, Quota
from plantrack.store import db, derived

YEARS = [2021, 2022, 2023, 2024]
TOWNS = ["金塘镇", "岑港街道", "定海工业园区"]
LINE = 5.0

# figures as a bureau file writes them: one or two decimals, some missing, some zero
amounts = st.one_of(st.none(), st.integers(0, 40_000).map(lambda v: v / 10))
lands = st.one_of(st.none(), st.just(0.0), st.integers(5, 600).map(lambda v: v / 10))


@st.composite
def warehouses(draw):
    firms = draw(st.integers(1, 12))
    enterprises, years, awards = [], [], []
    for index in range(firms):
        code = f"F{index:02d}"
        town = draw(st.sampled_from(TOWNS))
        enterprises.append(
            {
                "credit_code": code,
                "name": f"企业{index}",
                "town": town,
                "industry": "机械制造",
                "in_park": town == "定海工业园区" or draw(st.booleans()),
                "founded_year": draw(st.one_of(st.none(), st.integers(2015, 2024))),
            }
        )
        for year in draw(st.lists(st.sampled_from(YEARS), min_size=1, max_size=4, unique=True)):
            years.append(
                {
                    "credit_code": code,
                    "year": year,
                    "above_scale": draw(st.booleans()),
                    "land_mu": draw(lands),
                    "tax_wan": draw(amounts),
                    "value_added_wan": draw(amounts),
                    "output_wan": draw(amounts),
                    "revenue_wan": draw(amounts),
                    "profit_wan": None,
                    "rd_wan": draw(amounts),
                    "energy_tce": draw(amounts),
                    "emission_t": None,
                    "electricity_wan_kwh": draw(amounts),
                    "employees": draw(st.one_of(st.none(), st.integers(0, 500))),
                    "official_grade": draw(st.sampled_from([None, None, "A", "C", "不参评"])),
                }
            )
        for award in draw(st.lists(st.sampled_from(THREE_FACTORIES), max_size=2, unique=True)):
            for year in draw(st.lists(st.sampled_from([2023, 2024]), min_size=1, unique=True)):
                awards.append(
                    {
                        "credit_code": code,
                        "award": award,
                        "level": "区级",
                        "year": year,
                        "doc_no": None,
                    }
                )
    quota_cells = [
        Quota(award=award, town=town, year=year, count=draw(st.integers(0, 3)))
        for town in TOWNS
        for award in THREE_FACTORIES
        for year in (2023, 2024, 2025)
    ]
    return enterprises, years, awards, quota_cells


def load(config, enterprises, years, awards) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    frames = {
        "enterprises": pd.DataFrame(enterprises),
        "enterprise_years": pd.DataFrame(years),
        "awards": pd.DataFrame(
            awards, columns=["credit_code", "award", "level", "year", "doc_no"]
        ).drop_duplicates(["credit_code", "award", "year"]),
    }
    for table, frame in frames.items():
        db.run_query(con, f"write/upsert_{table}", relations={"incoming": frame})
    derived.store(con, config)
    return con


def exact(value) -> Fraction | None:
    return None if value is None else Fraction(repr(float(value)))


def ratio_of_totals(rows, top, bottom, scale=1) -> float | None:
    """Σ top ÷ Σ bottom over the rows reporting both, with a positive bottom (docs/口径说明.md)."""
    pairs = [(exact(r[top]), exact(r[bottom])) for r in rows if r[top] is not None]
    pairs = [(t, b) for t, b in pairs if b is not None and b > 0]
    total = sum(b for _, b in pairs)
    return None if not pairs or total == 0 else float(scale * sum(t for t, _ in pairs) / total)


def evaluated(row, firm, method) -> bool:
    """参评: the published grade where there is one, else the method's conditions."""
    if row["official_grade"] is not None:
        return row["official_grade"] != "不参评"
    land, tax = row["land_mu"], row["tax_wan"]
    if land is None or land <= 0 or tax is None:
        return False
    if not row["above_scale"] and land < method.min_land_below_scale:
        return False
    founded = firm["founded_year"]
    return founded is None or row["year"] - founded >= method.min_age_years


def close(ours, theirs) -> bool:
    if theirs is None:
        return ours is None or pd.isna(ours)
    return ours is not None and not pd.isna(ours) and ours == pytest.approx(theirs, rel=1e-9)


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(warehouses())
def test_ratios_of_totals_and_low_efficiency_counts(config, warehouse):
    enterprises, years, awards, _ = warehouse
    firms = {firm["credit_code"]: firm for firm in enterprises}
    con = load(config, enterprises, years, awards)
    try:
        for town in [None, *TOWNS]:
            yearly = db.run_query(con, "yearly_indicators", town=town).set_index("year")
            low = db.run_query(
                con, "metrics/low_efficiency_count", town=town, line=LINE, park_only=False
            ).set_index("year")
            for year in YEARS:
                rows = [
                    r
                    for r in years
                    if r["year"] == year and town in (None, firms[r["credit_code"]]["town"])
                ]
                above = [r for r in rows if r["above_scale"]]
                if above:
                    got = yearly.loc[year]
                    assert got["enterprise_count"] == len(above)
                    assert close(
                        got["mu_tax_wan_per_mu"], ratio_of_totals(above, "tax_wan", "land_mu")
                    )
                    assert close(
                        got["mu_value_added_wan_per_mu"],
                        ratio_of_totals(above, "value_added_wan", "land_mu"),
                    )
                    assert close(
                        got["rd_ratio_pct"], ratio_of_totals(above, "rd_wan", "revenue_wan", 100)
                    )
                    assert close(
                        got["labour_productivity_wan_per_person"],
                        ratio_of_totals(above, "value_added_wan", "employees"),
                    )
                else:
                    assert year not in yearly.index
                expected_low = sum(
                    1
                    for r in rows
                    if evaluated(r, firms[r["credit_code"]], config.grading)
                    and r["land_mu"]
                    and r["tax_wan"] is not None
                    and exact(r["tax_wan"]) / exact(r["land_mu"]) < LINE
                )
                if year in low.index:
                    assert low.loc[year, "firms"] == expected_low, (town, year)
                else:
                    assert expected_low == 0
    finally:
        con.close()


def status_by_rule(done: Fraction, total: int, due: Fraction, lag=Fraction(10, 100)) -> str:
    if done >= total:
        return "met"
    completion, expected = done / total, due / total
    if completion >= expected:
        return "on_pace"
    return "behind" if completion >= expected - lag else "far_behind"


@PROPERTY
@given(warehouses(), st.sampled_from([2023, 2024, 2025]))
def test_quota_fulfilment_and_its_statuses(config, warehouse, as_of):
    enterprises, years, awards, quota_cells = warehouse
    plan = Plan(
        id="p", title="三年行动", short="三年行动", jurisdiction="定海区", doc_no="", start=2023,
        end=2025, quotas=quota_cells,
    )  # fmt: skip
    firms = {firm["credit_code"]: firm for firm in enterprises}
    first: dict[tuple[str, str], int] = {}
    for award in awards:
        key = (award["credit_code"], award["award"])
        first[key] = min(first.get(key, 9999), award["year"])
    con = load(config, enterprises, years, awards)
    try:
        fulfilled = quotas.fulfillment(quotas.cells(con, plan), plan, as_of, config.status)
        rows = {(r["town"], r["award"]): r for r in fulfilled.to_dict("records")}
        for town in TOWNS:
            for award in THREE_FACTORIES:
                cells = [q for q in quota_cells if q.town == town and q.award == award]
                total = sum(q.count for q in cells)
                due = sum(q.count for q in cells if q.year <= as_of)
                done = sum(
                    1
                    for (code, name), year in first.items()
                    if name == award and firms[code]["town"] == town and 2023 <= year <= as_of
                )
                row = rows[(town, award)]
                assert (row["quota_total"], row["quota_due"], row["awarded"]) == (total, due, done)
                if total == 0:
                    assert row["status"] == "not_applicable"
                else:
                    assert row["status"] == status_by_rule(Fraction(done), total, Fraction(due))
                    assert row["completion"] == pytest.approx(done / total)
        # the town view of the engine reads the same cells
        if as_of == 2024:
            town = TOWNS[0]
            shown = {
                row.target_id: row
                for row in progress.evaluate(
                    con, config.model_copy(update={"plans": [plan]}), as_of, town=town
                )
            }
            for award in THREE_FACTORIES:
                if f"quota-{award}" in shown:
                    assert shown[f"quota-{award}"].actual == rows[(town, award)]["awarded"]
    finally:
        con.close()
