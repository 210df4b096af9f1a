-- Enterprises holding any of the given honours at or above a level: the stock and the new ones by year.
-- Params: $town (varchar; null = district), $awards (varchar[]), $min_level (varchar 区级|市级|省级|国家级; null = any), $levels (varchar[], highest first: plantrack.model.reference.LEVELS)
-- Grain: one row per year of enterprise data.
with

matching as (
    select * from stg_award_holders($awards, $min_level, $levels)
    where $town is null or credit_code in (select credit_code from enterprises where town = $town)
),

years as (
    select distinct year from awards
    union
    select year from (select distinct year from enterprise_years)
),

new_by_year as (
    select first_year as year, count(*) as new_firms from matching group by first_year
),

final as (
    select
        years.year,
        coalesce(sum(new_by_year.new_firms) over (order by years.year), 0)::bigint as awarded_firms,
        coalesce(new_by_year.new_firms, 0) as new_firms
    from years
    left join new_by_year on years.year = new_by_year.year
)

select * from final order by year
