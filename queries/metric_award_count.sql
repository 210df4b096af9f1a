-- Enterprises holding any of the given honours at or above a level: stock, new ones, share of 规上.
-- Params: $town (varchar; null = district), $awards (varchar[]), $min_level (varchar 区级|市级|省级|国家级; null = any)
-- Grain: one row per year of enterprise data.
with

levels as (
    select * from (values ('区级', 1), ('市级', 2), ('省级', 3), ('国家级', 4)) as levels (level, level_rank)
),

matching as (
    select
        awards.credit_code,
        min(awards.year) as first_year
    from awards
    inner join enterprises on awards.credit_code = enterprises.credit_code
    inner join levels on awards.level = levels.level
    where list_contains($awards, awards.award)
        and ($town is null or enterprises.town = $town)
        and levels.level_rank >= coalesce((select level_rank from levels where level = $min_level), 0)
    group by awards.credit_code
),

years as (
    select distinct year from enterprise_years
),

above_scale as (
    select
        enterprise_years.year,
        enterprise_years.credit_code
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where enterprise_years.above_scale
        and ($town is null or enterprises.town = $town)
),

coverage as (
    select
        above_scale.year,
        count(*) as above_scale_firms,
        count(matching.credit_code) as awarded_above_scale_firms
    from above_scale
    left join matching
        on above_scale.credit_code = matching.credit_code
        and matching.first_year <= above_scale.year
    group by above_scale.year
),

final as (
    select
        years.year,
        count(matching.credit_code) as awarded_firms,
        count(matching.credit_code) filter (where matching.first_year = years.year) as new_firms,
        any_value(100 * coverage.awarded_above_scale_firms / nullif(coverage.above_scale_firms, 0))
            as coverage_pct
    from years
    left join matching on matching.first_year <= years.year
    left join coverage on years.year = coverage.year
    group by years.year
)

select * from final order by year
