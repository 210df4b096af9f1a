-- 低效企业 list: evaluated enterprises whose 亩均税收 is below the chosen line, lowest first.
-- Params: $year (integer), $line (double, 万元/亩), $park_only (boolean)
-- Grain: one row per enterprise.
with

evaluated as (
    select
        enterprise_years.credit_code,
        enterprises.name,
        enterprises.town,
        enterprises.industry,
        enterprises.in_park,
        enterprise_years.above_scale,
        enterprise_years.land_mu,
        enterprise_years.tax_wan,
        enterprise_years.tax_wan / enterprise_years.land_mu as mu_tax_wan_per_mu
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where enterprise_years.year = $year
        and enterprise_years.land_mu > 0
        and enterprise_years.tax_wan is not null
        and (not $park_only or enterprises.in_park)
),

final as (
    select * from evaluated where mu_tax_wan_per_mu < $line
)

select * from final order by mu_tax_wan_per_mu, name
