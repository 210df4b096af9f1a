"""The demo's monthly data (issue 27): every 规上 firm of 2023—2025 has twelve months that add up to its
annual figures; 2026 has months 1—10 and no annual row; the 春节 month dips. Checked on the raw rows."""

from __future__ import annotations

import pytest

SPRING_FESTIVAL_MONTH = {2023: 1, 2024: 2, 2025: 1, 2026: 2}  # 1月22日, 2月10日, 1月29日, 2月17日


def test_every_above_scale_firm_year_has_twelve_months_adding_up_to_the_year(con):
    rows = con.execute(
        """
        select years.credit_code, years.year, years.tax_wan, years.output_wan, years.profit_wan,
            count(months.month), sum(months.tax_wan), sum(months.output_wan), sum(months.profit_wan)
        from enterprise_years as years
        left join enterprise_months as months using (credit_code, year)
        where years.above_scale and years.year between 2023 and 2025
        group by all
        """
    ).fetchall()
    assert len(rows) > 50
    for code, year, tax, output, profit, count, m_tax, m_output, m_profit in rows:
        assert count == 12, (code, year)
        assert m_tax == pytest.approx(tax, abs=0.05)
        assert m_output == pytest.approx(output, abs=0.05)
        assert m_profit == pytest.approx(profit, abs=0.05)


def test_months_span_2023_01_to_2026_10_and_2026_has_no_annual_row(con):
    first, last = con.execute(
        "select min(year * 100 + month), max(year * 100 + month) from enterprise_months"
    ).fetchone()
    assert (first, last) == (202301, 202610)
    assert con.execute("select count(*) from enterprise_years where year = 2026").fetchone() == (0,)
    months_2026 = con.execute(
        "select distinct month from enterprise_months where year = 2026 order by month"
    ).fetchall()
    assert [month for (month,) in months_2026] == list(range(1, 11))


def test_the_spring_festival_month_dips(con):
    for year, festival in SPRING_FESTIVAL_MONTH.items():
        totals = dict(
            con.execute(
                "select month, sum(output_wan) from enterprise_months where year = ? group by month",
                [year],
            ).fetchall()
        )
        others = [totals[month] for month in range(3, 11)]
        assert totals[festival] < 0.8 * sum(others) / len(others), year
