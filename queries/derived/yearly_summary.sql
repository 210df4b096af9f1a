-- 规上 industry by year, for the district (town null) and for every town: totals, and ratios of totals
-- Params: none. Stored as the table `yearly_summary` when the data change (plantrack.store.derived.store);
--   queries/yearly_indicators.sql reads one scope of it.
-- Grain: one row per scope × year. Ratios (not averages of ratios) and exact totals: queries/staging/ratios.sql.
with

above_scale as (
    select * from stg_enterprise_years() where above_scale
),

-- 新增规上 counts from the year after a scope's first year with any row (规上 or not)
first_years as (
    select
        grouping(town) = 1 as is_district,
        town,
        min(year) as first_year
    from stg_enterprise_years()
    group by grouping sets ((), (town))
),

-- 新增规上: 规上 this year and not last year (no row then, or 规下); only 规上 rows are paired
paired as (
    select
        this_year.*,
        last_year.credit_code is null as newly_above_scale,
        town_first.first_year as town_first_year,
        district_first.first_year as district_first_year
    from above_scale as this_year
    left join above_scale as last_year
        on this_year.credit_code = last_year.credit_code
        and this_year.year - 1 = last_year.year
    inner join first_years as town_first
        on not town_first.is_district and this_year.town = town_first.town
    inner join first_years as district_first
        on district_first.is_district
),

totals as (
    select
        grouping(town) = 1 as is_district,
        town,
        year,
        count(*) as enterprise_count,
        case
            when grouping(town) = 1
                then count(*) filter (where newly_above_scale and year > district_first_year)
            else count(*) filter (where newly_above_scale and year > town_first_year)
        end as new_above_scale_count,
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
    from paired
    group by grouping sets ((year), (town, year))
),

final as (
    select
        case when is_district then null else town end as town,
        year,
        enterprise_count,
        new_above_scale_count,
        land_mu::double as land_mu,
        mu_tax_wan_per_mu,
        mu_value_added_wan_per_mu,
        rd_ratio_pct,
        100 * rd_active_count / nullif(enterprise_count, 0) as rd_coverage_pct,
        labour_productivity_wan_per_person,
        energy_tce_per_wan,
        value_added_rate_pct,
        output_wan::double / 10000 as output_yi,
        value_added_wan::double / 10000 as value_added_yi,
        revenue_wan::double / 10000 as revenue_yi,
        profit_wan::double / 10000 as profit_yi,
        rd_wan::double / 10000 as rd_yi
    from totals
)

select * from final order by town nulls first, year
