-- 规上 1—N月累计 of the district or one town: 产值, 税收 beside the same firms' a year earlier; 亩均税收 折全年.
-- Params: $year, $month (integer), $town (varchar; null = the district), $tax_share (double: 1—N月 ÷ 全年)
-- Grain: one row. 亩均税收 折全年 = Σ(1—N月税收 ÷ $tax_share) ÷ Σ用地 (a ratio of totals); 同比 = Σ今年 ÷
-- Σ上年同期 − 1 over the firms reporting both (total_growth_pct).
with

running as (
    select
        credit_code,
        year,
        sum(output_wan) filter (where month <= $month) as ytd_output_wan,
        sum(tax_wan) filter (where month <= $month) as ytd_tax_wan,
        sum(output_wan) as year_output_wan,
        count(*) filter (where month <= $month) as months_reported
    from enterprise_months
    where year in ($year, $year - 1)
    group by credit_code, year
),

firms as (
    select credit_code
    from enterprises
    where $town is null or town = $town
),

paired as (
    select
        this_year.credit_code,
        this_year.ytd_output_wan,
        this_year.ytd_tax_wan,
        last_year.ytd_output_wan as ytd_output_wan_last,
        last_year.ytd_tax_wan as ytd_tax_wan_last,
        last_year.year_output_wan as year_output_wan_last,
        land.land_mu
    from running as this_year
    inner join firms using (credit_code)
    left join running as last_year
        on this_year.credit_code = last_year.credit_code and last_year.year = $year - 1
    left join stg_land($year) as land on this_year.credit_code = land.credit_code
    where this_year.year = $year and this_year.months_reported > 0
),

comparable as (
    select
        exact_sum(ytd_output_wan)::double as ytd_output_wan,
        exact_sum(year_output_wan_last)::double as year_output_wan_last
    from paired
    where year_output_wan_last > 0 and ytd_output_wan is not null
),

final as (
    select
        count(*) as firm_count,
        any_value(comparable.ytd_output_wan) as ytd_output_wan,
        any_value(comparable.year_output_wan_last) as year_output_wan_last,
        total_growth_pct(paired.ytd_output_wan, paired.ytd_output_wan_last)::double as ytd_output_growth_pct,
        exact_sum(paired.ytd_tax_wan)::double as ytd_tax_wan,
        total_growth_pct(paired.ytd_tax_wan, paired.ytd_tax_wan_last)::double as ytd_tax_growth_pct,
        total_mu_tax(paired.ytd_tax_wan / $tax_share, paired.land_mu)::double as mu_tax_annualised_wan_per_mu
    from paired
    cross join comparable
)

select * from final
