-- 规上 industry by year for the district or one town: totals, and ratios of totals (not averages of ratios).
-- Params: $town (varchar; null = whole district)
-- Grain: one row per year. Ratios and exact totals: queries/staging/ratios.sql.
with

in_town as (
    select * from stg_enterprise_years()
    where $town is null or town = $town
),

above_scale as (
    select * from in_town where above_scale
),

-- 新增规上: 规上 this year and not last year (no row then, or 规下); only 规上 rows are paired
newly_above_scale as (
    select
        this_year.year,
        count(*) as new_above_scale_count
    from above_scale as this_year
    left join above_scale as last_year
        on this_year.credit_code = last_year.credit_code
        and this_year.year - 1 = last_year.year
    where last_year.credit_code is null
        and this_year.year > (select min(year) from in_town)
    group by all
),

totals as (
    select
        year,
        count(*) as enterprise_count,
        count(*) filter (where rd_wan > 0) as rd_active_count,
        exact_sum(case when land_mu > 0 then land_mu end) as land_mu,
        total_mu_tax(tax_wan, land_mu) as mu_tax_wan_per_mu,
        total_mu_value_added(value_added_wan, land_mu) as mu_value_added_wan_per_mu,
        total_rd_ratio_pct(rd_wan, revenue_wan) as rd_ratio_pct,
        total_labour_productivity(value_added_wan, employees) as labour_productivity_wan_per_person,
        total_energy_per_value_added(energy_tce, value_added_wan) as energy_tce_per_wan,
        total_value_added_rate_pct(value_added_wan, output_wan) as value_added_rate_pct,
        exact_sum(output_wan) as output_wan,
        exact_sum(value_added_wan) as value_added_wan,
        exact_sum(revenue_wan) as revenue_wan,
        exact_sum(profit_wan) as profit_wan,
        exact_sum(rd_wan) as rd_wan
    from above_scale
    group by year
),

final as (
    select
        totals.year,
        totals.enterprise_count,
        coalesce(newly_above_scale.new_above_scale_count, 0) as new_above_scale_count,
        totals.land_mu::double as land_mu,
        totals.mu_tax_wan_per_mu,
        totals.mu_value_added_wan_per_mu,
        totals.rd_ratio_pct,
        100 * totals.rd_active_count / nullif(totals.enterprise_count, 0) as rd_coverage_pct,
        totals.labour_productivity_wan_per_person,
        totals.energy_tce_per_wan,
        totals.value_added_rate_pct,
        totals.output_wan::double / 10000 as output_yi,
        totals.value_added_wan::double / 10000 as value_added_yi,
        totals.revenue_wan::double / 10000 as revenue_yi,
        totals.profit_wan::double / 10000 as profit_yi,
        totals.rd_wan::double / 10000 as rd_yi
    from totals
    left join newly_above_scale on totals.year = newly_above_scale.year
)

select * from final order by year
