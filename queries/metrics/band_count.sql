-- Enterprises whose 营业收入 (or 工业总产值) lies in [min, max) 万元, and those new to the band that year.
-- Params: $town (varchar; null = district), $measure ('revenue' | 'output'), $min_wan (double), $max_wan (double; null = no upper bound)
-- Grain: one row per year.
with

measured as (
    select
        credit_code,
        year,
        case $measure
            when 'revenue' then revenue_wan
            when 'output' then output_wan
        end as amount_wan
    from enterprise_years
    where $town is null
        or credit_code in (select credit_code from enterprises where town = $town)
),

-- only firms inside the band are paired with last year: a firm is new when it was not inside then
inside as (
    select credit_code, year
    from measured
    where amount_wan >= $min_wan and ($max_wan is null or amount_wan < $max_wan)
),

counted as (
    select
        this_year.year,
        count(*) as firms,
        count(*) filter (
            where last_year.credit_code is null
                and this_year.year > (select min(year) from measured)
        ) as new_firms
    from inside as this_year
    left join inside as last_year
        on this_year.credit_code = last_year.credit_code
        and this_year.year - 1 = last_year.year
    group by this_year.year
),

years as (
    select distinct year from measured
),

final as (
    select
        years.year,
        coalesce(counted.firms, 0) as firms,
        coalesce(counted.new_firms, 0) as new_firms
    from years
    left join counted on years.year = counted.year
)

select * from final order by year
