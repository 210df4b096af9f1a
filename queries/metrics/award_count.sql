-- Enterprises holding any of the given honours at or above a level: the stock and the new ones by year.
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
    inner join levels on awards.level = levels.level
    where list_contains($awards, awards.award)
        and levels.level_rank >= coalesce((select level_rank from levels where level = $min_level), 0)
        and ($town is null or awards.credit_code in (select credit_code from enterprises where town = $town))
    group by awards.credit_code
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
