"""Figures computed in tests straight from the raw tables (enterprises, enterprise_years, awards) and
targets.toml, with plain Python, to check what the queries and the engine say."""

from __future__ import annotations

from fractions import Fraction


def low_efficiency_by_raw_rows(raw, config, year, line, town=None, park_only=False) -> int:
    """低效企业 from enterprise_years: among the 参评 firms — the published grade where there is one, else
    the method's conditions (有用地、有税收; 规下 用地 ≥ min_land; 投产满 min_age 年) — 亩均税收 < line."""
    method = config.grading
    rows = raw.execute(
        """
        select enterprises.town, enterprises.in_park, enterprises.founded_year, above_scale,
            land_mu, tax_wan, official_grade
        from enterprise_years join enterprises using (credit_code) where year = ?
        """,
        [year],
    ).fetchall()
    count = 0
    for firm_town, in_park, founded, above, land, tax, official in rows:
        if (town and firm_town != town) or (park_only and not in_park):
            continue
        meets = (
            land is not None
            and land > 0
            and tax is not None
            and (above or land >= method.min_land_below_scale)
            and not (founded is not None and year - founded < method.min_age_years)
        )
        evaluated = official != "不参评" if official is not None else meets
        if (
            evaluated
            and land
            and tax is not None
            and Fraction(repr(tax)) / Fraction(repr(land)) < line
        ):
            count += 1
    return count
