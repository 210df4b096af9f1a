"""An independent pandas implementation of the aggregates, for the benchmark's side-by-side comparison.

Deliberately does not call plantrack's SQL or engine: it starts from the raw tables as DataFrames. The
benchmark (and tests/test_bench.py at small scale) checks that it agrees with ours, so the comparison
is of equal work.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def district_indicators(enterprise_years: pd.DataFrame) -> pd.DataFrame:
    """规上 industry by year, as queries/yearly_indicators.sql: counts, 新增规上, totals and ratios of
    totals (亩均 over firms with land, energy over firms reporting it, productivity over firms with staff)."""
    ey = enterprise_years
    above = ey[ey["above_scale"]]
    by_year = above.groupby("year")
    with_land = above[above["land_mu"] > 0].groupby("year")
    with_energy = above[above["energy_tce"].notna()].groupby("year")
    with_staff = above[above["employees"] > 0].groupby("year")
    last_year = ey.loc[ey["above_scale"], ["credit_code", "year"]].assign(
        year=lambda f: f["year"] + 1
    )
    paired = above[["credit_code", "year"]].merge(last_year, how="left", indicator=True)
    new = paired[(paired["_merge"] == "left_only") & (paired["year"] > ey["year"].min())]
    totals = by_year[["value_added_wan", "output_wan", "revenue_wan", "profit_wan", "rd_wan"]].sum()
    land = with_land[["land_mu", "tax_wan", "value_added_wan"]].sum()
    out = pd.DataFrame(
        {
            "enterprise_count": by_year.size(),
            "new_above_scale_count": new.groupby("year").size(),
            "land_mu": land["land_mu"],
            "mu_tax_wan_per_mu": land["tax_wan"] / land["land_mu"],
            "mu_value_added_wan_per_mu": land["value_added_wan"] / land["land_mu"],
            "rd_ratio_pct": 100 * totals["rd_wan"] / totals["revenue_wan"],
            "rd_coverage_pct": 100
            * (above["rd_wan"] > 0).groupby(above["year"]).sum()
            / by_year.size(),
            "labour_productivity_wan_per_person": with_staff["value_added_wan"].sum()
            / with_staff["employees"].sum(),
            "energy_tce_per_wan": with_energy["energy_tce"].sum()
            / with_energy["value_added_wan"].sum(),
            "value_added_rate_pct": 100 * totals["value_added_wan"] / totals["output_wan"],
            "output_yi": totals["output_wan"] / 10000,
            "value_added_yi": totals["value_added_wan"] / 10000,
            "revenue_yi": totals["revenue_wan"] / 10000,
            "profit_yi": totals["profit_wan"] / 10000,
            "rd_yi": totals["rd_wan"] / 10000,
        }
    )
    out["new_above_scale_count"] = out["new_above_scale_count"].fillna(0).astype(int)
    return out.sort_index()


def town_indicators(
    enterprise_years: pd.DataFrame, enterprises: pd.DataFrame, year: int, line: float, method
) -> pd.DataFrame:
    """Per town for one year: 规上 亩均税收 and the count of 低效企业 below `line` among the 参评 firms
    (the published grade where there is one, else the method's conditions)."""
    rows = enterprise_years[enterprise_years["year"] == year].merge(
        enterprises[["credit_code", "town", "founded_year"]], on="credit_code"
    )
    above = rows[rows["above_scale"] & (rows["land_mu"] > 0)]
    sums = above.groupby("town")[["tax_wan", "land_mu"]].sum()
    meets = (
        (rows["land_mu"] > 0)
        & rows["tax_wan"].notna()
        & (rows["above_scale"] | (rows["land_mu"] >= method.min_land_below_scale))
        & ~(rows["year"] - rows["founded_year"] < method.min_age_years)
    )
    official = rows["official_grade"]
    evaluated = rows[official.ne("不参评") & (official.notna() | meets)]
    low = (evaluated["tax_wan"] / evaluated["land_mu"] < line).groupby(evaluated["town"]).sum()
    return pd.DataFrame(
        {"mu_tax_wan_per_mu": sums["tax_wan"] / sums["land_mu"], "low_efficiency_count": low}
    ).sort_index()


INDICATORS = {
    "mu_tax_wan_per_mu": ("tax_wan", "land_mu"),
    "mu_value_added_wan_per_mu": ("value_added_wan", "land_mu"),
    "value_added_per_energy_wan_per_tce": ("value_added_wan", "energy_tce"),
    "value_added_per_emission_wan_per_t": ("value_added_wan", "emission_t"),
    "labour_productivity_wan_per_person": ("value_added_wan", "employees"),
    "rd_ratio_pct": ("rd_wan", "revenue_wan"),
    "tax_per_electricity_wan_per_wan_kwh": ("tax_wan", "electricity_wan_kwh"),
    "mu_revenue_wan_per_mu": ("revenue_wan", "land_mu"),
}


def grade(enterprise_years: pd.DataFrame, enterprises: pd.DataFrame, method: dict) -> pd.DataFrame:
    """The grades table as the product stores it, one row per enterprise-year: why a firm is not graded;
    else its score Σ min(value/benchmark, cap) × weight (a missing value scores the group's average),
    the number of values so imputed, its rank and grade by the share of firms at or above it within
    year × group; the official grade, the grade shown, and the facts a 低效企业 is judged on.
    Written for speed as a pandas user would (numpy arrays, one hash lookup for the founding year);
    its means are plain floating-point ones (ours are exact decimals, the same bits on every run)."""
    position = pd.Index(enterprises["credit_code"]).get_indexer(enterprise_years["credit_code"])
    # an enterprise-year of an unknown enterprise is not graded
    rows = enterprise_years[position >= 0]
    founded = enterprises["founded_year"].to_numpy(float, na_value=np.nan)[position[position >= 0]]
    above = rows["above_scale"].to_numpy(bool)
    year = rows["year"].to_numpy()
    land = rows["land_mu"].to_numpy(float, na_value=np.nan)
    tax = rows["tax_wan"].to_numpy(float, na_value=np.nan)
    reason = np.select(
        [
            ~(land > 0),
            np.isnan(tax),
            ~above & (land < method["min_land_below_scale"]),
            year - founded < method["min_age_years"],  # NaN (no founding year) compares False
        ],
        ["用地面积缺失或为0", "税收数据缺失", "规下企业用地不足规定亩数", "投产未满规定年限"],
        None,
    )
    # the groups the method grades (True: 规上)
    graded = {item["grp"] == "规上" for item in method["indicators"]}
    eligible = (reason == None) & np.isin(above, list(graded))  # noqa: E711 — elementwise
    score = np.where(eligible, 0.0, np.nan)
    imputed = np.where(eligible, 0.0, np.nan)
    for group in graded:
        in_group = eligible & (above == group)
        _, year_of = np.unique(year[in_group], return_inverse=True)
        for item in (item for item in method["indicators"] if (item["grp"] == "规上") == group):
            numerator, denominator = INDICATORS[item["indicator"]]
            factor = 100.0 if item["indicator"] == "rd_ratio_pct" else 1.0
            top = rows[numerator].to_numpy(float, na_value=np.nan)[in_group]
            bottom = rows[denominator].to_numpy(float, na_value=np.nan)[in_group]
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(bottom != 0, factor * top / bottom, np.nan)
                points = np.minimum(value / item["benchmark"], method["cap"]) * item["weight"]
                missing = np.isnan(points)
                sums = np.bincount(year_of, weights=np.where(missing, 0.0, points))
                average = sums / np.bincount(year_of, weights=~missing)  # 0/0: NaN, scores 0
            score[in_group] += np.nan_to_num(np.where(missing, average[year_of], points), nan=0.0)
            imputed[in_group] += missing
    score_rank, computed = rank_and_grade(score, year, above, eligible, method["shares"])
    official = rows["official_grade"].to_numpy(object)
    has_official = rows["official_grade"].notna().to_numpy()
    return pd.DataFrame(
        {
            "credit_code": rows["credit_code"].to_numpy(),
            "year": year,
            "grp": np.where(above, "规上", "规下"),
            "not_graded_reason": reason,
            "score": score,
            "score_rank": score_rank,
            "imputed_indicators": imputed,
            "computed_grade": computed,
            "official_grade": official,
            "grade": np.where(has_official, official, computed),
            "grade_source": np.where(has_official, "官方", "测算"),
            "land_mu": land,
            "tax_wan": tax,
            "mu_tax_wan_per_mu": tax / np.where(land != 0, land, np.nan),
        }
    )


def rank_and_grade(score, year, above, eligible, shares: dict) -> tuple[np.ndarray, np.ndarray]:
    """Each graded firm's rank within year × group (1 = highest score; ties share the best rank) and its
    grade by the share of its group at or above its score: A up to shares A %, B up to A + B %, C up to
    A + B + C %, else D; 不参评 where not graded."""
    graded = pd.Series(np.asarray(score, float)[eligible])
    by_group = graded.groupby([np.asarray(year)[eligible], np.asarray(above)[eligible]])
    score_rank = np.full(len(eligible), np.nan)
    score_rank[eligible] = by_group.rank(method="min", ascending=False)
    share = np.full(len(eligible), np.nan)
    share[eligible] = by_group.rank(method="max", ascending=False) / by_group.transform("count")
    cuts = np.cumsum([shares["A"], shares["B"], shares["C"]]) / 100
    computed = np.select(
        [~eligible, share <= cuts[0], share <= cuts[1], share <= cuts[2]],
        ["不参评", "A", "B", "C"],
        "D",
    )
    return score_rank, computed


def quota_fulfilment(
    awards: pd.DataFrame, enterprises: pd.DataFrame, quotas: pd.DataFrame
) -> pd.DataFrame:
    """附件5 cells against enterprises first recognised per town × award × year."""
    chosen = awards[awards["award"].isin(quotas["award"].unique())]
    first = chosen.groupby(["credit_code", "award"], as_index=False)["year"].min()
    factories = first.merge(enterprises[["credit_code", "town"]], on="credit_code")
    counts = (
        factories.groupby(["town", "award", "year"])["credit_code"]
        .nunique()
        .rename("awarded_count")
    )
    out = quotas.merge(counts.reset_index(), on=["town", "award", "year"], how="left")
    out["awarded_count"] = out["awarded_count"].fillna(0).astype(int)
    return out.sort_values(["town", "award", "year"]).reset_index(drop=True)
