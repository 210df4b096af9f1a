-- One enterprise's indicators by year, beside the medians of its industry and of the district's 规上.
-- Params: $credit_code (varchar)
-- Grain: one row per year × indicator.
with

enterprise_years as (
    select
        enterprise_years.*,
        enterprises.industry
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
),

ratios as (
    select
        credit_code,
        industry,
        year,
        above_scale,
        tax_wan / nullif(land_mu, 0) as mu_tax_wan_per_mu,
        value_added_wan / nullif(land_mu, 0) as mu_value_added_wan_per_mu,
        value_added_wan / nullif(employees, 0) as labour_productivity_wan_per_person,
        100 * rd_wan / nullif(revenue_wan, 0) as rd_ratio_pct,
        value_added_wan / nullif(energy_tce, 0) as value_added_per_energy_wan_per_tce,
        revenue_wan / 10000 as revenue_yi
    from enterprise_years
),

long as (
    unpivot ratios
    on mu_tax_wan_per_mu, mu_value_added_wan_per_mu, labour_productivity_wan_per_person, rd_ratio_pct,
        value_added_per_energy_wan_per_tce, revenue_yi
    into name indicator value indicator_value
),

this_enterprise as (
    select * from long where credit_code = $credit_code
),

industry_median as (
    select
        long.year,
        long.indicator,
        median(long.indicator_value) as industry_median
    from long
    where long.industry = (select industry from enterprises where credit_code = $credit_code)
    group by all
),

district_median as (
    select
        year,
        indicator,
        median(indicator_value) as district_median
    from long
    where above_scale
    group by all
),

final as (
    select
        this_enterprise.year,
        this_enterprise.indicator,
        this_enterprise.indicator_value as value,
        industry_median.industry_median,
        district_median.district_median
    from this_enterprise
    left join industry_median using (year, indicator)
    left join district_median using (year, indicator)
)

select * from final order by indicator, year
