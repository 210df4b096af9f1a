-- 规上 1—N月累计 of the district or one town: 产值, 税收 beside the same firms' a year earlier; 亩均税收 折全年.
-- Params: $year, $month (integer), $town (varchar; null = the district), $tax_share (double: 1—N月 ÷ 全年)
-- Grain: one row. 亩均税收 折全年 = Σ(1—N月税收 ÷ $tax_share) ÷ Σ用地 (a ratio of totals); 同比 = Σ今年 ÷
-- Σ上年同期 − 1 over the firms reporting both (total_growth_pct).
with

-- 1—N月累计 as stored (derived/year_to_date.sql): a firm has a row at N when it reported a month up to N
this_year as (
    select credit_code, land_mu, ytd_output_wan, ytd_tax_wan
    from year_to_date
    where year = $year and month = $month and ($town is null or town = $town)
),

last_year as (
    select credit_code, ytd_output_wan, ytd_tax_wan
    from year_to_date
    where year = $year - 1 and month = $month
),

-- as of 12月: the year before's whole year
last_whole_year as (
    select credit_code, ytd_output_wan as year_output_wan
    from year_to_date
    where year = $year - 1 and month = 12
),

paired as (
    select
        this_year.credit_code,
        this_year.ytd_output_wan,
        this_year.ytd_tax_wan,
        last_year.ytd_output_wan as ytd_output_wan_last,
        last_year.ytd_tax_wan as ytd_tax_wan_last,
        last_whole_year.year_output_wan as year_output_wan_last,
        this_year.land_mu
    from this_year
    left join last_year using (credit_code)
    left join last_whole_year using (credit_code)
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
