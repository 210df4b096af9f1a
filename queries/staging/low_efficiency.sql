-- Staging: who counts as a 低效企业 under a line — one definition for the counts (metrics/low_efficiency_count,
--   town_indicators) and the list (low_efficiency_enterprises).
-- Params: none — a table macro, `from stg_low_efficiency(line, park_only)`: line in 万元/亩; park_only = 园区企业 only.
-- Grain: one row per 参评 enterprise × year, flagged when its 亩均税收 is below the line. 参评 has one
--   meaning: the 亩均评价 grade shown is not 不参评 (table grades, queries/derived/grading.sql: 有用地和税收,
--   规下 用地 ≥ 3 亩, 投产满 2 年; the bureau's published grade where there is one).
create or replace macro stg_low_efficiency(line, park_only) as table
select
    staged.credit_code,
    staged.year,
    staged.name,
    staged.town,
    staged.industry,
    staged.in_park,
    staged.above_scale,
    staged.land_mu,
    staged.tax_wan,
    staged.mu_tax_wan_per_mu,
    staged.mu_tax_wan_per_mu < line as is_low_efficiency
from stg_enterprise_years() as staged
inner join grades on staged.credit_code = grades.credit_code and staged.year = grades.year
where grades.grade <> '不参评'
    and staged.mu_tax_wan_per_mu is not null
    and (not coalesce(park_only, false) or staged.in_park);
