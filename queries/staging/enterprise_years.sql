-- Staging: each enterprise-year with its enterprise's registration facts and every per-enterprise ratio.
-- Params: none — a table macro, `from stg_enterprise_years()`; the calling query filters (DuckDB pushes
--   its filters down). Grain: one row per enterprise × year. Ratios from queries/staging/ratios.sql.
create or replace macro stg_enterprise_years() as table
select
    enterprise_years.*,
    enterprises.name,
    enterprises.town,
    enterprises.industry,
    enterprises.in_park,
    enterprises.founded_year,
    mu_tax(enterprise_years.tax_wan, enterprise_years.land_mu) as mu_tax_wan_per_mu,
    mu_value_added(enterprise_years.value_added_wan, enterprise_years.land_mu) as mu_value_added_wan_per_mu,
    mu_revenue(enterprise_years.revenue_wan, enterprise_years.land_mu) as mu_revenue_wan_per_mu,
    value_added_per_energy(enterprise_years.value_added_wan, enterprise_years.energy_tce)
        as value_added_per_energy_wan_per_tce,
    value_added_per_emission(enterprise_years.value_added_wan, enterprise_years.emission_t)
        as value_added_per_emission_wan_per_t,
    labour_productivity(enterprise_years.value_added_wan, enterprise_years.employees)
        as labour_productivity_wan_per_person,
    rd_ratio_pct(enterprise_years.rd_wan, enterprise_years.revenue_wan) as rd_ratio_pct,
    tax_per_electricity(enterprise_years.tax_wan, enterprise_years.electricity_wan_kwh)
        as tax_per_electricity_wan_per_wan_kwh
from enterprise_years
inner join enterprises on enterprise_years.credit_code = enterprises.credit_code;
