-- 低效企业: evaluated enterprises whose 亩均税收 is below the line (who counts: queries/staging/low_efficiency.sql).
-- Params: $town (varchar; null = district), $line (double, 万元/亩), $park_only (boolean)
-- Grain: one row per year.
with

final as (
    select
        year,
        count(*) filter (where is_low_efficiency) as firms,
        count(*) as evaluated_firms
    from stg_low_efficiency($line, $park_only)
    where $town is null or town = $town
    group by year
)

select * from final order by year
