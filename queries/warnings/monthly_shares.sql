-- Seasonal shares (1—N月 ÷ 全年) by month and figure: the average over the district's complete years before $year.
-- Params: $year (integer)
-- Grain: one row per month 1—12 (no rows when no earlier year is complete: callers then take N/12).
with

district_months as (
    select
        year,
        month,
        sum(output_wan) as output_wan,
        sum(revenue_wan) as revenue_wan,
        sum(tax_wan) as tax_wan,
        sum(electricity_wan_kwh) as electricity_wan_kwh
    from enterprise_months
    where year < $year
    group by year, month
),

complete_years as (
    select year
    from district_months
    group by year
    having count(distinct month) = 12
),

running as (
    select
        district_months.year,
        district_months.month,
        sum(output_wan) over by_year / sum(output_wan) over whole_year as output_share,
        sum(revenue_wan) over by_year / sum(revenue_wan) over whole_year as revenue_share,
        sum(tax_wan) over by_year / sum(tax_wan) over whole_year as tax_share,
        sum(electricity_wan_kwh) over by_year / sum(electricity_wan_kwh) over whole_year as electricity_share
    from district_months
    inner join complete_years using (year)
    window
        by_year as (partition by district_months.year order by district_months.month),
        whole_year as (partition by district_months.year)
),

final as (
    select
        month,
        avg(output_share) as output_share,
        avg(revenue_share) as revenue_share,
        avg(tax_share) as tax_share,
        avg(electricity_share) as electricity_share,
        count(*) as years_used
    from running
    group by month
    order by month
)

select * from final
