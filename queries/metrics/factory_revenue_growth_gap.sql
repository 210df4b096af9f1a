-- “三大工厂” revenue growth against the district's 规上 industry: same-firm growth over last year, in points.
-- Params: $town (varchar; null = district: the factories counted; the average is always 全区), $factories (varchar[]: the three honours, plantrack.model.reference)
-- Grain: one row per year (from the second year of data). Growth of totals: queries/staging/ratios.sql.
-- 三大工厂 firms: recognised by that year (any of the three), whether or not still 规上 that year — a
-- factory that fell below 规上 stays in, or the factories' growth would be flattered. 全区平均: every
-- firm 规上 this year, in the whole district whatever $town is. Both over firms with revenue in both years.
with

factories as (
    select
        credit_code,
        min(year) as first_year
    from awards
    where list_contains($factories, award)
    group by credit_code
),

in_town as (
    select credit_code from enterprises where town = $town
),

-- each firm-year with its revenue a year earlier (the stored table queries/derived/revenue_pairs.sql)
pairs as (
    select
        revenue_pairs.year,
        revenue_pairs.above_scale,
        revenue_pairs.revenue_wan,
        revenue_pairs.last_revenue_wan,
        coalesce(factories.first_year <= revenue_pairs.year, false)
            and ($town is null or revenue_pairs.credit_code in (select credit_code from in_town))
            as is_factory
    from revenue_pairs
    left join factories on revenue_pairs.credit_code = factories.credit_code
),

growth as (
    select
        year,
        total_growth_pct(case when is_factory then revenue_wan end, last_revenue_wan) as factory_growth_pct,
        total_growth_pct(case when above_scale then revenue_wan end, last_revenue_wan) as district_growth_pct,
        count(*) filter (where is_factory) as factory_firms,
        count(*) filter (where is_factory and not above_scale) as factory_firms_below_scale
    from pairs
    group by year
),

final as (
    select
        year,
        factory_growth_pct,
        district_growth_pct,
        factory_growth_pct - district_growth_pct as gap_points,
        factory_firms,
        factory_firms_below_scale
    from growth
)

select * from final order by year
