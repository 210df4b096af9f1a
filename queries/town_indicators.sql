-- 亩均 by town for one year: 规上 totals' ratios and 低效企业 under a line.
-- Params: $year (integer), $line (double, 万元/亩)
-- Grain: one row per town.
with

this_year as (
    select
        enterprise_years.*,
        enterprises.town
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where enterprise_years.year = $year
),

above_scale as (
    select
        town,
        count(*) as above_scale_count,
        sum(tax_wan) filter (where land_mu > 0) / nullif(sum(land_mu) filter (where land_mu > 0), 0)
            as mu_tax_wan_per_mu,
        sum(value_added_wan) filter (where land_mu > 0) / nullif(sum(land_mu) filter (where land_mu > 0), 0)
            as mu_value_added_wan_per_mu,
        sum(output_wan) / 10000 as output_yi
    from this_year
    where above_scale
    group by town
),

low_efficiency as (
    select
        town,
        count(*) filter (where tax_wan / land_mu < $line) as low_efficiency_count,
        count(*) as evaluated_count
    from this_year
    where land_mu > 0 and tax_wan is not null
    group by town
),

final as (
    select
        towns.town,
        towns.sort_order,
        coalesce(above_scale.above_scale_count, 0) as above_scale_count,
        above_scale.mu_tax_wan_per_mu,
        above_scale.mu_value_added_wan_per_mu,
        above_scale.output_yi,
        coalesce(low_efficiency.low_efficiency_count, 0) as low_efficiency_count,
        coalesce(low_efficiency.evaluated_count, 0) as evaluated_count
    from towns
    left join above_scale on towns.town = above_scale.town
    left join low_efficiency on towns.town = low_efficiency.town
)

select * from final order by sort_order
