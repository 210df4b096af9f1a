-- Staging: the 企业画像 indicators of each enterprise-year — one list for the firm's own values
--   (enterprise_history) and the medians beside them (derived/indicator_medians).
-- Params: none — `from stg_profile_indicators()`. Ratios from queries/staging/ratios.sql.
-- Grain: one row per enterprise × year; every column after above_scale is an indicator.
create or replace macro stg_profile_indicators() as table
select
    credit_code,
    industry,
    year,
    above_scale,
    mu_tax_wan_per_mu,
    mu_value_added_wan_per_mu,
    labour_productivity_wan_per_person,
    rd_ratio_pct,
    value_added_per_energy_wan_per_tce,
    revenue_wan / 10000 as revenue_yi
from stg_enterprise_years();
