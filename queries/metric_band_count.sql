-- Enterprises whose 营业收入 (or 工业总产值) lies in [min, max) 万元, and those new to the band that year.
-- Params: $town (varchar; null = district), $measure ('revenue' | 'output'), $min_wan (double), $max_wan (double; null = no upper bound)
-- Grain: one row per year.
with

measured as (
    select
        enterprise_years.credit_code,
        enterprise_years.year,
        case $measure
            when 'revenue' then enterprise_years.revenue_wan
            when 'output' then enterprise_years.output_wan
        end as amount_wan
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where $town is null or enterprises.town = $town
),

in_band as (
    select
        *,
        amount_wan >= $min_wan and ($max_wan is null or amount_wan < $max_wan) as inside
    from measured
),

final as (
    select
        this_year.year,
        count(*) filter (where this_year.inside) as firms,
        count(*) filter (
            where this_year.inside
                and not coalesce(last_year.inside, false)
                and this_year.year > (select min(year) from measured)
        ) as new_firms
    from in_band as this_year
    left join in_band as last_year
        on this_year.credit_code = last_year.credit_code
        and this_year.year - 1 = last_year.year
    group by this_year.year
)

select * from final order by year
