-- 低效企业: evaluated enterprises (有用地、有税收) whose 亩均税收 is below the line.
-- Params: $town (varchar; null = district), $line (double, 万元/亩), $park_only (boolean)
-- Grain: one row per year.
with

evaluated as (
    select
        enterprise_years.year,
        enterprise_years.credit_code,
        enterprise_years.tax_wan / enterprise_years.land_mu as mu_tax_wan_per_mu
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where enterprise_years.land_mu > 0
        and enterprise_years.tax_wan is not null
        and ($town is null or enterprises.town = $town)
        and (not coalesce($park_only, false) or enterprises.in_park)
),

final as (
    select
        year,
        count(*) filter (where mu_tax_wan_per_mu < $line) as firms,
        count(*) as evaluated_firms
    from evaluated
    group by year
)

select * from final order by year
