-- “三大工厂” revenue growth against all 规上: same-firm growth over last year, in percentage points.
-- Params: $town (varchar; null = district)
-- Grain: one row per year (from the second year of data). Growth of totals: queries/staging/ratios.sql.
with

factories as (
    select
        credit_code,
        min(year) as first_year
    from awards
    where award in ('洁美工厂', '品质工厂', '示范工厂')
    group by credit_code
),

firm_years as (
    select credit_code, year, above_scale, revenue_wan
    from enterprise_years
    where $town is null
        or credit_code in (select credit_code from enterprises where town = $town)
),

pairs as (
    select
        this_year.year,
        this_year.credit_code,
        this_year.revenue_wan as revenue_wan,
        last_year.revenue_wan as last_revenue_wan,
        factories.first_year is not null and factories.first_year <= this_year.year as is_factory
    from firm_years as this_year
    inner join firm_years as last_year
        on this_year.credit_code = last_year.credit_code
        and this_year.year - 1 = last_year.year
    left join factories on this_year.credit_code = factories.credit_code
    where this_year.above_scale
),

growth as (
    select
        year,
        total_growth_pct(case when is_factory then revenue_wan end, last_revenue_wan) as factory_growth_pct,
        total_growth_pct(revenue_wan, last_revenue_wan) as district_growth_pct,
        count(*) filter (where is_factory) as factory_firms
    from pairs
    group by year
),

final as (
    select
        year,
        factory_growth_pct,
        district_growth_pct,
        factory_growth_pct - district_growth_pct as gap_points,
        factory_firms
    from growth
)

select * from final order by year
