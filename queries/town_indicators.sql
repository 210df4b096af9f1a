-- 亩均 by town for one year: 规上 totals' ratios and 低效企业 under a line.
-- Params: $year (integer), $line (double, 万元/亩), $park_only (boolean: the line is for 园区企业 only)
-- Viewer: $viewer_town (varchar; null = every town) and $min_firms (integer, plantrack.model.roles
--   .SMALL_CELL_FIRMS): set by the data layer (plantrack/app/data.py), never by a page. Small cells:
--   another town's figures built from fewer than $min_firms firms would be those firms' own, so for a
--   viewer of one town they are null (small_cell = true); the counts of firms stay.
-- Grain: one row per town. Ratios: queries/staging/ratios.sql; who is 低效: queries/staging/low_efficiency.sql.
with

above_scale as (
    select
        town,
        count(*) as above_scale_count,
        total_mu_tax(tax_wan, land_mu) as mu_tax_wan_per_mu,
        total_mu_value_added(value_added_wan, land_mu) as mu_value_added_wan_per_mu,
        exact_sum(output_wan)::double / 10000 as output_yi
    from stg_enterprise_years()
    where year = $year and above_scale
    group by town
),

low_efficiency as (
    select * from stg_low_efficiency_by_town($line, $park_only)
    where year = $year
),

joined as (
    select
        towns.town,
        towns.sort_order,
        coalesce(above_scale.above_scale_count, 0) as above_scale_count,
        above_scale.mu_tax_wan_per_mu,
        above_scale.mu_value_added_wan_per_mu,
        above_scale.output_yi,
        coalesce(low_efficiency.low_efficiency_count, 0) as low_efficiency_count,
        coalesce(low_efficiency.evaluated_count, 0) as evaluated_count,
        $viewer_town is not null and towns.town <> $viewer_town as other_town
    from towns
    left join above_scale on towns.town = above_scale.town
    left join low_efficiency on towns.town = low_efficiency.town
),

final as (
    select
        town,
        sort_order,
        above_scale_count,
        case when other_town and above_scale_count < $min_firms then null else mu_tax_wan_per_mu end
            as mu_tax_wan_per_mu,
        case when other_town and above_scale_count < $min_firms then null else mu_value_added_wan_per_mu end
            as mu_value_added_wan_per_mu,
        case when other_town and above_scale_count < $min_firms then null else output_yi end as output_yi,
        case when other_town and evaluated_count between 1 and $min_firms - 1 then null else low_efficiency_count end
            as low_efficiency_count,
        evaluated_count,
        other_town and (above_scale_count between 1 and $min_firms - 1
            or evaluated_count between 1 and $min_firms - 1)
            as small_cell
    from joined
)

select * from final order by sort_order
