-- 低效企业: 参评 enterprises whose 亩均税收 is below the line (who counts: queries/staging/low_efficiency.sql).
-- Params: $town (varchar; null = district), $line (double, 万元/亩), $park_only (boolean)
-- Grain: one row per year of enterprise data; evaluated_firms = 0 when none is in scope (e.g. 园区企业 in a
--   town without any): the target does not apply there.
with

years as (
    select distinct year from enterprise_years
),

counted as (
    select
        year,
        sum(low_efficiency_count)::bigint as firms,
        sum(evaluated_count)::bigint as evaluated_firms
    from stg_low_efficiency_by_town($line, $park_only)
    where $town is null or town = $town
    group by year
),

final as (
    select
        years.year,
        coalesce(counted.firms, 0) as firms,
        coalesce(counted.evaluated_firms, 0) as evaluated_firms
    from years
    left join counted on years.year = counted.year
)

select * from final order by year
