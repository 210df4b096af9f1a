"""The demo's monthly data (企业月度数据): every 规上 firm by month from 2023-01 to 2026-10. A finished
year's twelve months add up exactly to its annual figures; 2026 has only monthly data, drawn from 2025's
level and each firm's own course. Months follow a seasonal shape (the 春节 dip in January or February,
the half-year and year-end pushes; 税收 higher in the month after a quarter, when 企业所得税 is prepaid),
with noise per firm and month and a drift through the year (some firms slide month after month). Drawn
from their own random stream, so the rest of the demo stays as it was."""

from __future__ import annotations

import numpy as np
import pandas as pd

from plantrack.store import db
from plantrack.store.db import Connection

FIRST_YEAR = 2023
OPEN_YEAR, OPEN_MONTHS = 2026, 10  # the year in progress and its months reported
FIGURES = ["output_wan", "revenue_wan", "profit_wan", "tax_wan", "electricity_wan_kwh"]
SPRING_FESTIVAL_MONTH = {2023: 1, 2024: 2, 2025: 1, 2026: 2}
# noise per firm-month (log sd) of each figure
NOISE = {
    "output_wan": 0.07,
    "revenue_wan": 0.07,
    "profit_wan": 0.25,
    "tax_wan": 0.15,
    "electricity_wan_kwh": 0.05,
}


def profile(year: int, figure: str) -> np.ndarray:
    """The district's seasonal shape of one figure in one year (twelve weights, mean about 1)."""
    shape = np.ones(12)
    shape[[2, 5, 8, 10, 11]] = [1.03, 1.06, 1.03, 1.05, 1.12]  # 3月开工, 半年, 9月, 冲刺年底
    festival = SPRING_FESTIVAL_MONTH[year] - 1
    dip = 0.80 if figure == "electricity_wan_kwh" else 0.68
    shape[festival] = dip
    shape[1 - festival] = 0.90 if festival == 0 else 0.93  # the month beside it, partly
    if figure == "tax_wan":
        shape[[0, 3, 6, 9]] *= 1.25  # 企业所得税 预缴
    return shape


def months(con: Connection, seed: int) -> pd.DataFrame:
    """The enterprise_months rows for the demo database `con` (its enterprise_years already written)."""
    rng = np.random.default_rng([seed, 27])
    basis = db.run_query(con, "write/demo_month_basis", first_year=FIRST_YEAR)
    latest = basis[basis["year"] == OPEN_YEAR - 1]
    # 2026's year: 2025's level grown by the firm's own rate (a tenth of firms in clear decline)
    growth = np.exp(rng.normal(0.04, 0.10, len(latest)))
    falling = rng.random(len(latest)) < 0.10
    growth = np.where(falling, growth * rng.uniform(0.70, 0.90, len(latest)), growth)
    open_year = latest.assign(year=OPEN_YEAR)
    for figure in FIGURES:
        values = open_year[figure].to_numpy(dtype=float)
        open_year[figure] = (
            np.round(values * growth, 1)
            if figure != "profit_wan"
            else np.round(values * growth - np.abs(values) * falling * 0.5, 1)
        )
    years = pd.concat([basis, open_year], ignore_index=True)
    n = len(years)
    # drift through the year (log change per month): falling firms slide, others wander a little
    drift = rng.normal(0.0, 0.012, n)
    is_falling = np.zeros(n, dtype=bool)
    is_falling[len(basis) :] = falling
    drift = np.where(is_falling, rng.uniform(-0.05, -0.02, n), drift)
    trend = np.exp(np.outer(drift, np.arange(12) - 5.5))
    frames = []
    year_of = years["year"].to_numpy()
    for figure in FIGURES:
        shape = np.stack([profile(int(year), figure) for year in year_of])
        weights = shape * trend * rng.lognormal(0, NOISE[figure], (n, 12))
        shares = weights / weights.sum(axis=1, keepdims=True)
        annual = years[figure].to_numpy(dtype=float)[:, None]
        monthly = np.round(annual * shares, 1)
        # December takes the rounding, so that the twelve months add up to the year exactly
        monthly[:, 11] = np.round(annual[:, 0] - monthly[:, :11].sum(axis=1), 1)
        frames.append(monthly.reshape(-1))
    rows = pd.DataFrame(
        {
            "credit_code": np.repeat(years["credit_code"].to_numpy(), 12),
            "year": np.repeat(year_of, 12),
            "month": np.tile(np.arange(1, 13), n),
            **dict(zip(FIGURES, frames, strict=True)),
        }
    )
    reported = (rows["year"] < OPEN_YEAR) | (rows["month"] <= OPEN_MONTHS)
    return rows[reported].reset_index(drop=True)
