-- Share of 规上 enterprises that hold (by that year) any of the given honours, by year.
-- Params: $town (varchar; null = district), $awards (varchar[]), $min_level (varchar; null = any), $levels (varchar[], highest first: plantrack.model.reference.LEVELS)
-- Grain: one row per year.
with

matching as (
    select * from stg_award_holders($awards, $min_level, $levels)
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
