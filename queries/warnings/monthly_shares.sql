-- Seasonal shares (1—N月 ÷ 全年) by month and figure: the average over the district's complete years before $year.
-- Params: $year (integer)
-- With the linear share N/12, which the seasonal ones are too when no earlier year is complete (years_used 0).
-- Grain: one row per month 1—12.
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

seasonal as (
    select
        month,
        avg(output_share) as output_share,
        avg(revenue_share) as revenue_share,
        avg(tax_share) as tax_share,
        avg(electricity_share) as electricity_share,
        count(*) as years_used
    from running
    group by month
),

final as (
    select
        months.month,
        months.month / 12 as linear,
        coalesce(seasonal.output_share, linear) as output_share,
        coalesce(seasonal.revenue_share, linear) as revenue_share,
        coalesce(seasonal.tax_share, linear) as tax_share,
        coalesce(seasonal.electricity_share, linear) as electricity_share,
        coalesce(seasonal.years_used, 0) as years_used
    from (select range::integer as month from range(1, 13)) as months
    left join seasonal using (month)
    order by months.month
)

select * from final
