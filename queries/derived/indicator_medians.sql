-- Medians of the 企业画像 indicators per year: within each industry, and over the district's 规上 firms.
-- Params: none. Stored as the table `indicator_medians` when the data change (plantrack.store.derived.store).
-- Grain: one row per year × scope × indicator; scope is an industry, or '全区规上'.
with

ratios as (
    select
        industry,
        year,
        above_scale,
        mu_tax_wan_per_mu,
        mu_value_added_wan_per_mu,
        labour_productivity_wan_per_person,
        rd_ratio_pct,
        value_added_per_energy_wan_per_tce,
        revenue_wan / 10000 as revenue_yi
    from stg_enterprise_years()
),

wide as (
    select
        year,
        industry as scope,
        median(mu_tax_wan_per_mu) as mu_tax_wan_per_mu,
        median(mu_value_added_wan_per_mu) as mu_value_added_wan_per_mu,
        median(labour_productivity_wan_per_person) as labour_productivity_wan_per_person,
        median(rd_ratio_pct) as rd_ratio_pct,
        median(value_added_per_energy_wan_per_tce) as value_added_per_energy_wan_per_tce,
        median(revenue_yi) as revenue_yi
    from ratios
    group by year, industry
    union all
    select
        year,
        '全区规上' as scope,
        median(mu_tax_wan_per_mu),
        median(mu_value_added_wan_per_mu),
        median(labour_productivity_wan_per_person),
        median(rd_ratio_pct),
        median(value_added_per_energy_wan_per_tce),
        median(revenue_yi)
    from ratios
    where above_scale
    group by year
),

final as (
    unpivot wide
    on columns(* exclude (year, scope))
    into name indicator value median_value
)

select * from final order by scope, indicator, year
