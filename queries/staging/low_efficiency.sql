-- Staging: who counts as a 低效企业 under a line — one definition for the counts (metrics/low_efficiency_count,
--   town_indicators) and the list (low_efficiency_enterprises).
-- Params: none — a table macro, `from stg_low_efficiency(line, park_only)`: line in 万元/亩; park_only = 园区企业 only.
-- Grain: one row per evaluated enterprise × year (有用地、有税收), flagged when its 亩均税收 is below the line.
create or replace macro stg_low_efficiency(line, park_only) as table
select
    credit_code,
    year,
    name,
    town,
    industry,
    in_park,
    above_scale,
    land_mu,
    tax_wan,
    mu_tax_wan_per_mu,
    mu_tax_wan_per_mu < line as is_low_efficiency
from stg_enterprise_years()
where mu_tax_wan_per_mu is not null
    and (not coalesce(park_only, false) or in_park);
