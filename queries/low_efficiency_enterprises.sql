-- 低效企业 list: evaluated enterprises whose 亩均税收 is below the chosen line, lowest first.
-- Params: $year (integer), $line (double, 万元/亩), $park_only (boolean)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row per enterprise. Who counts: queries/staging/low_efficiency.sql.
with

final as (
    select
        credit_code,
        name,
        town,
        industry,
        in_park,
        above_scale,
        land_mu,
        tax_wan,
        mu_tax_wan_per_mu
    from stg_low_efficiency($line, $park_only)
    where year = $year and is_low_efficiency
        and ($viewer_town is null or town = $viewer_town)
)

select * from final order by mu_tax_wan_per_mu, name
