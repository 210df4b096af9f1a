-- 低效企业 list: evaluated enterprises whose 亩均税收 is below the chosen line, lowest first.
-- Params: $year (integer), $line (double, 万元/亩), $park_only (boolean)
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
)

select * from final order by mu_tax_wan_per_mu, name
