-- Share of 规上 enterprises that hold (by that year) any of the given honours, by year.
-- Params: $town (varchar; null = district), $awards (varchar[]), $min_level (varchar; null = any)
-- Grain: one row per year.
with

levels as (
    select * from (values ('区级', 1), ('市级', 2), ('省级', 3), ('国家级', 4)) as levels (level, level_rank)
),

matching as (
    select
        awards.credit_code,
        min(awards.year) as first_year
    from awards
    inner join levels on awards.level = levels.level
    where list_contains($awards, awards.award)
        and levels.level_rank >= coalesce((select level_rank from levels where level = $min_level), 0)
    group by awards.credit_code
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

final as (
    select
        above_scale.year,
        count(*) as above_scale_firms,
        count(matching.credit_code) as awarded_above_scale_firms,
        100 * count(matching.credit_code) / count(*) as coverage_pct
    from above_scale
    left join matching
        on above_scale.credit_code = matching.credit_code
        and matching.first_year <= above_scale.year
    group by above_scale.year
)

select * from final order by year
