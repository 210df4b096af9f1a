-- 规上 industry by year for the district or one town: totals, and ratios of totals (not averages of ratios).
-- Params: $town (varchar; null = whole district)
-- Grain: one row per year.
with

in_town as (
    select * from enterprise_years
    where $town is null
        or credit_code in (select credit_code from enterprises where town = $town)
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
        sum(land_mu) filter (where land_mu > 0) as land_mu,
        sum(tax_wan) filter (where land_mu > 0) as tax_on_land_wan,
        sum(value_added_wan) filter (where land_mu > 0) as value_added_on_land_wan,
        sum(value_added_wan) as value_added_wan,
        sum(output_wan) as output_wan,
        sum(revenue_wan) as revenue_wan,
        sum(profit_wan) as profit_wan,
        sum(rd_wan) as rd_wan,
        sum(energy_tce) filter (where energy_tce is not null) as energy_tce,
        sum(value_added_wan) filter (where energy_tce is not null) as value_added_with_energy_wan,
        sum(value_added_wan) filter (where employees > 0) as value_added_with_staff_wan,
        sum(employees) filter (where employees > 0) as employees
    from above_scale
    group by year
),

final as (
    select
        totals.year,
        totals.enterprise_count,
        coalesce(newly_above_scale.new_above_scale_count, 0) as new_above_scale_count,
        totals.land_mu,
        totals.tax_on_land_wan / nullif(totals.land_mu, 0) as mu_tax_wan_per_mu,
        totals.value_added_on_land_wan / nullif(totals.land_mu, 0) as mu_value_added_wan_per_mu,
        100 * totals.rd_wan / nullif(totals.revenue_wan, 0) as rd_ratio_pct,
        100 * totals.rd_active_count / nullif(totals.enterprise_count, 0) as rd_coverage_pct,
        totals.value_added_with_staff_wan / nullif(totals.employees, 0) as labour_productivity_wan_per_person,
        totals.energy_tce / nullif(totals.value_added_with_energy_wan, 0) as energy_tce_per_wan,
        100 * totals.value_added_wan / nullif(totals.output_wan, 0) as value_added_rate_pct,
        totals.output_wan / 10000 as output_yi,
        totals.value_added_wan / 10000 as value_added_yi,
        totals.revenue_wan / 10000 as revenue_yi,
        totals.profit_wan / 10000 as profit_yi,
        totals.rd_wan / 10000 as rd_yi
    from totals
    left join newly_above_scale on totals.year = newly_above_scale.year
)

select * from final order by year
