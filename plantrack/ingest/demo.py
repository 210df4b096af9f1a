"""Deterministic demo data: 定海区's towns, enterprises 2020—2025, honours, 三大工厂 applications, the
reported indicators the plans need, and 规上 firms' monthly figures 2023-01—2026-10 (demo_monthly). Same seed and size → identical database contents.

Sizes, ratios and locations are set per industry so that a refinery is not a fish plant; every enterprise
draws its own persistent deviations and yearly shocks (heavy-tailed, log-normal).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from plantrack.engine import factories
from plantrack.engine.grading import grade
from plantrack.ingest import creditcode, demo_monthly
from plantrack.ingest.demo_reported import YEARS
from plantrack.ingest.demo_reported import indicators as _indicators
from plantrack.ingest.plans import example
from plantrack.model import plan_versions
from plantrack.model.reference import (
    ABOVE_SCALE_REVENUE_WAN,
    DISTRICT,
    HONOURS,
    THREE_FACTORIES,
    TOWNS,
)
from plantrack.model.targets import Config
from plantrack.settings import DEMO_GENERATOR_VERSION as GENERATOR_VERSION
from plantrack.store import db, derived
from plantrack.store.db import Connection

REGION_CODE = "330902"  # 定海区


@dataclass(frozen=True)
class Profile:
    share: float  # of enterprises
    revenue_median_wan: float  # 2020 营业收入 median
    revenue_sigma: float
    va_ratio: float  # 增加值率
    tax_ratio: float  # 税收 / 营业收入
    revenue_per_mu: float  # 亩均营业收入 (万元/亩) at the median
    energy_per_va: float  # 吨标准煤 / 万元增加值
    emission_per_va: float  # 吨 / 万元增加值
    electricity_per_revenue: float  # 万千瓦时 / 万元
    revenue_per_employee: float  # 万元 / 人
    rd_ratio_pct: float  # R&D / 营业收入 for firms that do R&D
    growth: float  # trend growth per year
    towns: dict[str, float]


# fmt: off
# industry: share, revenue median (万元), sigma, 增加值率, 税收/营收, 亩均营收, 能耗/增加值, 排放/增加值,
#           电耗/营收, 人均营收, R&D %, trend growth, towns (weights)
PROFILES: dict[str, Profile] = {
    "石油化工": Profile(0.03, 24000, 1.3, 0.20, 0.0467, 900, 1.20, 0.0008, 0.08, 608, 1.2, 0.04,
                    {"金塘镇": 0.5, "定海工业园区": 0.4, "岑港街道": 0.1}),
    "船舶修造": Profile(0.12, 7200, 1.2, 0.22, 0.0213, 140, 0.20, 0.0003, 0.06, 148, 1.5, 0.045,
                    {"岑港街道": 0.25, "盐仓街道": 0.15, "小沙街道": 0.12, "马岙街道": 0.12, "干览镇": 0.16,
                     "金塘镇": 0.10, "双桥街道": 0.10}),
    "机械制造": Profile(0.27, 2080, 0.9, 0.26, 0.034, 320, 0.15, 0.0001, 0.10, 101, 2.2, 0.035,
                    {"金塘镇": 0.62, "定海工业园区": 0.12, "双桥街道": 0.08, "盐仓街道": 0.06, "白泉镇": 0.06,
                     "岑港街道": 0.06}),
    "粮油加工": Profile(0.03, 16000, 1.2, 0.12, 0.0127, 700, 0.30, 0.0004, 0.05, 432, 0.5, 0.02,
                    {"定海工业园区": 0.6, "盐仓街道": 0.2, "白泉镇": 0.2}),
    "水产品加工": Profile(0.14, 2800, 1.0, 0.18, 0.017, 300, 0.35, 0.0005, 0.09, 74, 0.7, 0.01,
                     {"干览镇": 0.25, "马岙街道": 0.2, "白泉镇": 0.2, "小沙街道": 0.15, "岑港街道": 0.1,
                      "环南街道": 0.1}),
    "新材料": Profile(0.07, 4800, 1.1, 0.24, 0.0382, 500, 0.60, 0.0004, 0.12, 270, 3.0, 0.07,
                   {"定海工业园区": 0.5, "金塘镇": 0.35, "岑港街道": 0.15}),
    "海洋电子信息": Profile(0.05, 2400, 1.0, 0.28, 0.0425, 650, 0.08, 0.00005, 0.07, 128, 4.2, 0.07,
                      {"临城街道": 0.3, "千岛街道": 0.25, "定海工业园区": 0.3, "城东街道": 0.15}),
    "海洋生物医药": Profile(0.03, 2240, 1.0, 0.35, 0.0595, 500, 0.20, 0.0002, 0.06, 189, 5.0, 0.06,
                      {"定海工业园区": 0.5, "临城街道": 0.3, "白泉镇": 0.2}),
    "高端装备": Profile(0.06, 3600, 1.0, 0.26, 0.034, 400, 0.12, 0.0001, 0.08, 162, 3.0, 0.06,
                    {"盐仓街道": 0.35, "双桥街道": 0.35, "定海工业园区": 0.3}),
    "其他": Profile(0.20, 1760, 1.0, 0.23, 0.0298, 300, 0.20, 0.0002, 0.08, 122, 1.2, 0.015,
                  {town: 1.0 for town, _, _ in TOWNS if town != "定海工业园区"} | {"定海工业园区": 2.0}),
}
# fmt: on

NAME_WORDS = list(
    "金海舟定岛港鑫华恒盛泰丰裕隆宏远兴达瑞晟宇航新欣东南星辰明光海通嘉禾永顺锦程鼎立浩博汇中天"
    "海力长峰伟业精诚祥和广源百川万通顺发立信凯旋德润翔龙安康众诚"
)
INDUSTRY_WORDS = {
    "石油化工": ["石化", "化工", "油品储运", "化学"],
    "船舶修造": ["船舶修造", "船业", "造船", "海工装备", "船舶工程"],
    "机械制造": ["塑机螺杆", "螺杆", "机械", "塑料机械", "精密机械"],
    "粮油加工": ["粮油", "油脂", "粮食"],
    "水产品加工": ["水产", "海洋食品", "水产品", "远洋渔业"],
    "新材料": ["新材料", "高分子材料", "复合材料"],
    "海洋电子信息": ["电子", "海洋科技", "通信技术", "智能科技"],
    "海洋生物医药": ["生物科技", "海洋生物", "药业"],
    "高端装备": ["装备", "智能装备", "动力科技"],
    "其他": ["实业", "包装", "建材", "服饰", "印务", "木业"],
}


def build(
    path: Path, config: Config, seed: int = 20231, enterprises: int = 500, example_plan: bool = True
) -> dict:
    """Write a fresh demo database to `path` (replacing it atomically); return a summary.
    `example_plan`: with the example plan published (data/examples/, both versions)."""
    examples = example.versions(config) if example_plan else []
    rng = np.random.default_rng(seed)
    # cases real data has and the main draw rarely gives, drawn from their own stream
    cases = np.random.default_rng([seed, 12])
    firms = _enterprises(rng, enterprises)
    years = _small_plots(cases, _enterprise_years(rng, firms))
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with db.writable(tmp) as con:
            db.create_schema(con)
            _insert(con, "enterprises", firms.drop(columns=["quality", "exit_year"]))
            _insert(con, "enterprise_years", years)
            _insert_official_grades(con, rng, grade(con, config.grading))
            graded = grade(con, config.grading)
            applications, factory_awards = _applications(
                rng, con, config, firms, enterprises, graded
            )
            _insert(con, "applications", applications)
            awards = pd.concat([factory_awards, _awards(rng, firms, years, config, enterprises)])
            _insert(con, "awards", awards)
            _insert(con, "enterprise_years", _shrunk_factories(cases, years, applications))
            _insert(con, "enterprise_months", demo_monthly.months(con, seed))
            # the example plan's reported figures are drawn after the seeded plans' (theirs stay as they were)
            _insert(con, "indicators", _indicators(rng, plan_versions.as_of(config, examples)))
            example.store(con, examples)
            for key, value in {
                "data_kind": "demo",
                "demo_seed": str(seed),
                "demo_enterprises": str(enterprises),
                "generator_version": GENERATOR_VERSION,
            }.items():
                db.set_meta(con, key, value)
            derived.store(con, config)
            frame = db.run_query(con, "warehouse/table_counts")
            counts = dict(zip(frame["table_name"], frame["row_count"], strict=True))
            con.execute("checkpoint")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return counts


def _insert(con: Connection, table: str, frame: pd.DataFrame) -> None:
    db.run_query(con, f"write/upsert_{table}", relations={"incoming": frame})


def _enterprises(rng: np.random.Generator, n: int) -> pd.DataFrame:
    industries = list(PROFILES)
    shares = np.array([PROFILES[name].share for name in industries])
    industry = rng.choice(industries, size=n, p=shares / shares.sum())
    town = np.empty(n, dtype=object)
    for name in industries:
        mask = industry == name
        options = PROFILES[name].towns
        weights = np.array(list(options.values()))
        town[mask] = rng.choice(list(options), size=mask.sum(), p=weights / weights.sum())
    in_park = (town == "定海工业园区") | ((town == "金塘镇") & (rng.random(n) < 0.35))
    # most firms predate 2020; about 2 % a year enter during the period
    founded = np.where(
        rng.random(n) < 0.88, rng.integers(1988, 2020, n), rng.integers(2020, 2025, n)
    )
    exit_year = np.where(rng.random(n) < 0.10, rng.integers(2021, 2026, n), 9999)
    quality = rng.normal(0, 1, n)
    codes = _credit_codes(rng, n)
    names = _names(rng, industry)
    return pd.DataFrame(
        {
            "credit_code": codes,
            "name": names,
            "town": town,
            "industry": industry,
            "in_park": in_park,
            "founded_year": founded,
            "exit_year": exit_year,
            "quality": quality,
        }
    )


def _distinct(n: int, draw) -> list[str]:
    """n distinct strings; `draw(indices)` gives one candidate per index, and repeats are drawn again."""
    out: list[str] = [""] * n
    seen: set[str] = set()
    todo = list(range(n))
    while todo:
        again = []
        for index, candidate in zip(todo, draw(todo), strict=True):
            if candidate in seen:
                again.append(index)
            else:
                seen.add(candidate)
                out[index] = candidate
        todo = again
    return out


def _credit_codes(rng: np.random.Generator, n: int) -> list[str]:
    """Valid codes: post-2015 registrations use "MA" bodies, older ones a numeric organisation code."""
    alphabet = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    digits = np.array(list("0123456789"))

    def draw(indices: list[int]) -> list[str]:
        numeric = rng.random(len(indices)) < 0.55
        numeric_bodies = digits[rng.integers(0, 10, (len(indices), 8))]
        ma_bodies = alphabet[rng.integers(0, len(alphabet), (len(indices), 6))]
        return [
            creditcode.make(
                REGION_CODE,
                "".join(numeric_bodies[k]) if numeric[k] else "MA" + "".join(ma_bodies[k]),
            )
            for k in range(len(indices))
        ]

    return _distinct(n, draw)


def _names(rng: np.random.Generator, industry: np.ndarray) -> list[str]:
    """Names 「prefix + brand + industry word + suffix」."""
    prefixes, prefix_p = ["舟山", "舟山市", "浙江", "舟山市定海"], [0.5, 0.2, 0.15, 0.15]
    suffixes, suffix_p = ["有限公司", "股份有限公司"], [0.9, 0.1]
    words = np.array(NAME_WORDS)

    def draw(indices: list[int]) -> list[str]:
        brands = words[rng.integers(0, len(words), (len(indices), 2))]
        prefix = rng.choice(len(prefixes), len(indices), p=prefix_p)
        suffix = rng.choice(len(suffixes), len(indices), p=suffix_p)
        pick = rng.random(len(indices))
        out = []
        for k, index in enumerate(indices):
            trade = INDUSTRY_WORDS[industry[index]]
            out.append(
                f"{prefixes[prefix[k]]}{brands[k, 0]}{brands[k, 1]}"
                f"{trade[int(pick[k] * len(trade))]}{suffixes[suffix[k]]}"
            )
        return out

    return _distinct(len(industry), draw)


def _enterprise_years(rng: np.random.Generator, firms: pd.DataFrame) -> pd.DataFrame:
    n = len(firms)
    profiles = [PROFILES[name] for name in firms["industry"]]

    def per_firm(attribute: str) -> np.ndarray:
        return np.array([getattr(profile, attribute) for profile in profiles])

    quality = firms["quality"].to_numpy()
    log_revenue = np.log(per_firm("revenue_median_wan")) + per_firm("revenue_sigma") * rng.normal(
        0, 1, n
    )
    log_revenue += 0.15 * quality
    # firms founded during the period start small
    log_revenue -= np.where(firms["founded_year"].to_numpy() >= YEARS[0], 1.0, 0.0)
    firm_growth = per_firm("growth") + rng.normal(0, 0.05, n) + 0.01 * quality
    # persistent firm-level deviations of each ratio
    va_ratio = per_firm("va_ratio") * rng.lognormal(0, 0.20, n)
    tax_ratio = per_firm("tax_ratio") * rng.lognormal(0, 0.35, n) * np.exp(0.12 * quality)
    land_mu_base = np.exp(log_revenue) ** 0.85 * per_firm("revenue_median_wan") ** 0.15
    land_mu_base = land_mu_base / per_firm("revenue_per_mu") * rng.lognormal(0, 0.45, n)
    land_mu_base = np.maximum(land_mu_base, 3 + rng.random(n) * 5)
    energy = per_firm("energy_per_va") * rng.lognormal(0, 0.35, n)
    emission = per_firm("emission_per_va") * rng.lognormal(0, 0.5, n)
    electricity = per_firm("electricity_per_revenue") * rng.lognormal(0, 0.3, n)
    per_employee = per_firm("revenue_per_employee") * rng.lognormal(0, 0.3, n)
    does_rd = rng.random(n) < 1 / (1 + np.exp(-(0.8 + quality)))
    rd_ratio = per_firm("rd_ratio_pct") * rng.lognormal(0, 0.45, n) * np.exp(0.2 * quality)
    reports_emission = rng.random(n) < 0.7
    # the district's year effects: 2020 pandemic, 2021 rebound, 2023 soft
    year_effect = {2020: -0.04, 2021: 0.06, 2022: 0.0, 2023: -0.02, 2024: 0.02, 2025: 0.01}

    frames = []
    level = log_revenue.copy()
    exit_year = firms["exit_year"].to_numpy().copy()
    for year in YEARS:
        if year > YEARS[0]:
            level = level + firm_growth + year_effect[year] + rng.normal(0, 0.06, n)
        alive = (firms["founded_year"].to_numpy() <= year) & (exit_year > year)
        # a new firm ramps up over its first three years
        age = year - firms["founded_year"].to_numpy()
        ramp = np.clip((age + 1) / 3, 0.25, 1.0)
        revenue = np.exp(level) * ramp
        yearly = rng.lognormal(0, 0.06, n)
        value_added = revenue * va_ratio * yearly
        output = revenue * rng.uniform(0.92, 1.05, n)
        tax = revenue * tax_ratio * rng.lognormal(0, 0.12, n)
        land = land_mu_base * np.where(rng.random(n) < 0.04, rng.uniform(1.1, 1.5, n), 1.0)
        if year > YEARS[0]:
            # 低效企业整治 (腾笼换鸟): each year about a third of the firms under 5万元/亩 are lifted
            # (more tax per 亩 from then on) and a few are closed or merged
            low = alive & (tax / land < 5)
            lifted = low & (rng.random(n) < 0.35)
            tax_ratio = np.where(lifted, tax_ratio * rng.uniform(1.4, 2.2, n), tax_ratio)
            tax = np.where(lifted, tax * 1.8, tax)
            closing = low & ~lifted & (rng.random(n) < 0.06)
            exit_year = np.where(closing, np.minimum(exit_year, year + 1), exit_year)
        above = revenue >= ABOVE_SCALE_REVENUE_WAN
        rd_progress = 0.05 * (year - YEARS[0])  # the plans push R&D coverage up year by year
        rd_active = does_rd | (rng.random(n) < rd_progress)
        rd = np.where(rd_active, revenue * rd_ratio / 100 * rng.lognormal(0, 0.15, n), 0.0)
        rd = np.where(~above & (rng.random(n) < 0.6), np.nan, rd)
        emission_t = np.where(reports_emission & above, value_added * emission, np.nan)
        employees = np.maximum(np.round(revenue / per_employee), 5)
        profit = revenue * rng.normal(0.055, 0.04, n)
        frame = pd.DataFrame(
            {
                "credit_code": firms["credit_code"],
                "year": year,
                "above_scale": above,
                "land_mu": np.round(land, 2),
                "tax_wan": np.round(tax, 1),
                "value_added_wan": np.round(value_added, 1),
                "output_wan": np.round(output, 1),
                "revenue_wan": np.round(revenue, 1),
                "profit_wan": np.round(profit, 1),
                "rd_wan": np.round(rd, 1),
                # energy intensity falls about 2.5 % a year (能耗双控)
                "energy_tce": np.round(
                    value_added * energy * 0.975 ** (year - YEARS[0]) * rng.lognormal(0, 0.08, n), 1
                ),
                "emission_t": np.round(emission_t, 3),
                "electricity_wan_kwh": np.round(revenue * electricity, 1),
                "employees": employees.astype(int),
                "official_grade": None,
            }
        )
        frames.append(frame[alive])
    years = pd.concat(frames, ignore_index=True)
    # a few gaps where real files have them
    missing = rng.random(len(years)) < 0.01
    years.loc[missing, "energy_tce"] = np.nan
    return years


def _small_plots(rng: np.random.Generator, years: pd.DataFrame) -> pd.DataFrame:
    """A quarter of the never-规上 firms that start under 5万元/亩 work small plots (1.2—2.9 亩), their
    亩均税收 unchanged: under the 3 亩 of 亩均评价 they are 不参评, and no 低效企业 count may include them."""
    first = years.sort_values("year").groupby("credit_code").first()
    never_above = years.groupby("credit_code")["above_scale"].sum() == 0
    low = (first["tax_wan"] / first["land_mu"]) < 5
    candidates = sorted(first.index[never_above.reindex(first.index) & low])
    chosen = [code for code in candidates if rng.random() < 0.25]
    plot = dict(zip(chosen, rng.uniform(1.2, 2.9, len(chosen)), strict=True))
    small = years["credit_code"].isin(plot)
    scale = years.loc[small, "credit_code"].map(plot) / years.loc[small, "land_mu"]
    years = years.copy()
    years.loc[small, "land_mu"] = np.round(years.loc[small, "land_mu"] * scale, 2)
    years.loc[small, "tax_wan"] = np.round(years.loc[small, "tax_wan"] * scale, 1)
    return years


def _shrunk_factories(
    rng: np.random.Generator, years: pd.DataFrame, applications: pd.DataFrame
) -> pd.DataFrame:
    """A few 三大工厂 recognised in the first year that apply for nothing more shrink below 规上 in the
    last year (revenue 1500—1950万元): the factories' revenue growth must still count them."""
    recognised = applications[applications["stage"] == "认定"]
    first_year, last_year = int(recognised["year"].min()), int(years["year"].max())
    later = set(applications.loc[applications["year"] > first_year, "credit_code"])
    last = years[(years["year"] == last_year) & years["above_scale"]]
    candidates = sorted(
        set(recognised.loc[recognised["year"] == first_year, "credit_code"]) - later
        & set(last["credit_code"])
    )
    count = max(1, round(len(candidates) * 0.1)) if candidates else 0
    chosen = list(rng.choice(candidates, size=count, replace=False)) if count else []
    rows = last[last["credit_code"].isin(chosen)].copy()
    factor = rng.uniform(1500, 1950, len(rows)) / rows["revenue_wan"].to_numpy()
    for column in [
        "revenue_wan",
        "output_wan",
        "value_added_wan",
        "tax_wan",
        "profit_wan",
        "rd_wan",
        "energy_tce",
        "electricity_wan_kwh",
    ]:
        rows[column] = np.round(rows[column] * factor, 1)
    rows["employees"] = np.maximum(np.round(rows["employees"] * factor), 5).astype(int)
    rows["emission_t"] = np.nan
    rows["above_scale"] = False
    return rows


def _insert_official_grades(
    con: Connection, rng: np.random.Generator, graded: pd.DataFrame
) -> None:
    """The bureau publishes grades for 2020—2024; its method differs a little from ours, so ~6 % differ."""
    # SQL results come in no particular order: sort before drawing, or the same seed gives other grades
    published = graded[graded["year"] <= 2024].sort_values(["credit_code", "year"]).copy()
    order = ["A", "B", "C", "D"]
    shift = rng.choice([-1, 0, 1], size=len(published), p=[0.03, 0.94, 0.03])

    def official(grade_value: str, step: int) -> str:
        if grade_value not in order:
            return grade_value
        return order[min(max(order.index(grade_value) + step, 0), 3)]

    published["official_grade"] = [
        official(value, step)
        for value, step in zip(published["computed_grade"], shift, strict=True)
    ]
    con.register("official", published[["credit_code", "year", "official_grade"]])
    con.execute(db.load_sql("write/set_official_grades"))
    con.unregister("official")


def _scaled(count: float, enterprises: int) -> int:
    return int(round(count * enterprises / 500))


def _applications(
    rng: np.random.Generator,
    con: Connection,
    config: Config,
    firms: pd.DataFrame,
    enterprises: int,
    graded: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """三大工厂 applications 2023—2025 per town, near 附件5's quotas (some towns ahead, some behind)."""
    plan = next(plan for plan in config.plans if plan.quotas)
    facts = db.run_query(
        con,
        "factory_eligibility_facts",
        relations={"grades": graded},
        credit_code=None,
        viewer_town=None,
    )
    facts = facts.merge(firms[["credit_code", "quality"]], on="credit_code")
    town_form = {town: rng.choice([-1, 0, 0, 1]) for town, _, _ in TOWNS}
    used: set[tuple[str, str]] = set()  # (credit_code, category) already recognised
    rows = []
    for quota in plan.quotas:
        wanted = max(0, _scaled(quota.count, enterprises) + town_form[quota.town])
        if quota.count and rng.random() < 0.2:
            wanted = max(0, wanted + rng.choice([-1, 1]))
        pool = facts[(facts["town"] == quota.town) & (facts["year"] == quota.year)]
        pool = pool.assign(fits=_fits(pool, quota.award)).sort_values(
            ["fits", "quality", "credit_code"], ascending=False, kind="stable"
        )
        candidates = [
            row for row in pool.itertuples() if (row.credit_code, quota.award) not in used
        ][: wanted + math.ceil(0.5 * wanted) + 1]
        recognised = 0
        for row in candidates:
            application = _application(rng, row, quota.award, recognised < wanted)
            rows.append(application)
            if application["stage"] == "认定":
                recognised += 1
                used.add((row.credit_code, quota.award))
    applications = pd.DataFrame(rows).drop_duplicates(["credit_code", "year", "category"])
    won = applications[applications["stage"] == "认定"]
    awards = pd.DataFrame(
        {
            "credit_code": won["credit_code"],
            "award": won["category"],
            "level": "区级",
            "year": won["year"],
            "doc_no": [
                f"定经信〔{year}〕{40 + index % 30}号" for index, year in enumerate(won["year"])
            ],
        }
    )
    return applications, awards


def _fits(pool: pd.DataFrame, category: str) -> pd.Series:
    """Whether an enterprise's data meets 附件1's rules for the category (not its scores)."""
    return pd.Series(
        [not factories.problems(category, _facts(row)) for row in pool.itertuples()],
        index=pool.index,
    )


def _facts(row) -> factories.Facts:
    return factories.Facts(
        grade=row.grade,
        previous_grade=row.previous_grade,
        mu_tax_at_least_industry_avg=bool(row.mu_tax_at_least_industry_avg),
        has_rd=bool(row.has_rd),
        rd_ratio_at_least_district_avg=bool(row.rd_ratio_at_least_district_avg),
    )


RANGES = {"洁美工厂": (70, 79.5), "品质工厂": (80, 89.5), "示范工厂": (90, 100)}


def _application(rng: np.random.Generator, row, category: str, aim_to_pass: bool) -> dict:
    """Section scores drawn near the category's range; the outcome follows 附件1 (plantrack.engine.factories)."""
    low, high = RANGES[category]
    total_goal = rng.uniform(low, high) if aim_to_pass else rng.uniform(low - 8, high)
    fraction = min(total_goal / 100, 0.98)
    scores = {
        key: round(float(np.clip(maximum * (fraction + rng.normal(0, 0.05)), 0, maximum)), 1)
        for key, maximum in factories.SECTION_MAX.items()
    }
    if aim_to_pass:
        scores["basic"] = max(scores["basic"], 20.5)
        scores["green"] = max(scores["green"], 10.5)
    bonus = round(float(rng.uniform(0, 6)), 1) if category != "洁美工厂" else 0.0
    veto = bool(rng.random() < 0.03)
    credit = str(rng.choice(["优", "良", "中", "差"], p=[0.35, 0.45, 0.17, 0.03]))
    failing = factories.problems(category, _facts(row), scores, bonus, veto, credit)
    reason = failing[0] if failing else None
    failed_at = None
    if aim_to_pass and reason is None:
        stage = "认定"
    else:
        reason = reason or "联评排名未进入当年名额"
        stage = "未通过"
        failed_at = (
            "推荐" if reason.startswith("自评总分") else "联评" if "联评" in reason else "初审"
        )
    return {
        "credit_code": row.credit_code,
        "year": row.year,
        "category": category,
        "score_basic": scores["basic"],
        "score_green": scores["green"],
        "score_digital": scores["digital"],
        "score_innovation": scores["innovation"],
        "score_brand": scores["brand"],
        "score_bonus": bonus,
        "veto": veto,
        "credit_rating": credit,
        "stage": stage,
        "failed_at": failed_at,
        "reject_reason": reason,
    }


def _awards(rng, firms, years, config: Config, enterprises: int) -> pd.DataFrame:
    """Honours 2020—2025. Yearly numbers follow the plans' award targets where they set one."""
    above = years[years["above_scale"]].merge(firms[["credit_code", "quality"]], on="credit_code")
    yearly_default = {
        ("高新技术企业", "国家级"): 9,
        ("科技型中小企业", "省级"): 14,
        ("专精特新中小企业", "省级"): 5,
        ('专精特新"小巨人"', "国家级"): 1,
        ("隐形冠军", "省级"): 1,
        ("雄鹰企业", "省级"): 0.3,
        ("品字标", "省级"): 2,
        ("绿色工厂", "市级"): 2,
        ("绿色工厂", "省级"): 1,
        ("智能工厂", "市级"): 1.5,
        ("数字化车间", "市级"): 2,
        ("数字化车间", "省级"): 1,
        ("未来工厂", "市级"): 0.4,
        ("企业研发机构", "市级"): 3,
        ("企业研发机构", "省级"): 1.5,
        ("上市企业", "国家级"): 0.3,
        ("首台套", "省级"): 1,
        ("单项冠军", "省级"): 0.3,
    }
    rates = dict(yearly_default)
    for plan in config.plans:
        if plan.jurisdiction != DISTRICT:
            continue
        span = plan.end - plan.start + 1
        for target in plan.targets:
            if target.metric != "award_count":
                continue
            award = target.params["awards"][0]
            if award in THREE_FACTORIES:
                continue
            level = str(target.params.get("min_level") or HONOURS.get(award, ("省级",))[0])
            years = (
                span
                if target.aggregate == "cumulative"
                else 1
                if target.aggregate == "annual"
                else 4
            )
            per_year = target.target / years * rng.uniform(0.75, 1.2)
            rates[(award, level)] = max(rates.get((award, level), 0), per_year)
    rows = []
    holders: dict[str, set[str]] = {}
    for year in YEARS:
        pool = above[above["year"] == year]
        pool_codes = pool["credit_code"].tolist()
        pool_revenue = pool["revenue_wan"].to_numpy()
        weights = np.exp(1.2 * pool["quality"].to_numpy())
        weights = weights / weights.sum()
        for (award, level), rate in sorted(rates.items()):
            count = rng.poisson(rate * enterprises / 500)
            held = holders.setdefault(award, set())
            if count == 0:
                continue
            picks = rng.choice(len(pool), size=min(len(pool), count * 3), replace=False, p=weights)
            taken = 0
            for index in picks:
                code = pool_codes[index]
                if code in held and award != "高新技术企业":
                    continue
                if award == "雄鹰企业" and pool_revenue[index] < 100000:
                    continue
                held.add(code)
                rows.append((code, award, level, year, f"浙经信〔{year}〕{100 + len(rows) % 90}号"))
                taken += 1
                if taken == count:
                    break
    return pd.DataFrame(
        rows, columns=["credit_code", "award", "level", "year", "doc_no"]
    ).drop_duplicates(["credit_code", "award", "year"])


def ensure(path: Path, config: Config, seed: int = 20231, enterprises: int = 500) -> str:
    """Build the demo database if it is missing or from an older generator; never touch real data."""
    if path.exists():
        try:
            with db.read_only(path) as con:
                meta = db.read_meta(con)
        except db.Error as exc:
            return f"保留现有数据库 {path}（无法读取：{exc}）"
        if meta.get("data_kind") != "demo":
            return f"保留现有数据库 {path}（非示例数据）"
        if meta.get("generator_version") == GENERATOR_VERSION:
            return f"示例数据库已是最新：{path}"
    counts = build(path, config, seed=seed, enterprises=enterprises)
    size = path.stat().st_size / 1024 / 1024
    summary = "，".join(f"{table} {count} 行" for table, count in counts.items())
    return f"已生成示例数据库 {path}（{size:.1f} MB）：{summary}"
