-- Staging: who counts as a 低效企业 under a line — one definition for the counts (metrics/low_efficiency_count,
--   town_indicators) and the list (low_efficiency_enterprises).
-- Params: none — a table macro, `from stg_low_efficiency(line, park_only)`: line in 万元/亩; park_only = 园区企业 only.
-- Grain: one row per 参评 enterprise × year, flagged when its 亩均税收 is below the line. 参评 has one
--   meaning: the 亩均评价 grade shown is not 不参评 (table grades, queries/derived/grading.sql: 有用地和税收,
--   规下 用地 ≥ 3 亩, 投产满 2 年; the bureau's published grade where there is one).
-- The grades table carries each enterprise-year's 用地, 税收 and 亩均税收 (as graded), so no enterprise-year is
-- paired again here; the enterprise's name, town, industry and park come from enterprises.
create or replace macro stg_low_efficiency(line, park_only) as table
select
    grades.credit_code,
    grades.year,
    enterprises.name,
    enterprises.town,
    enterprises.industry,
    enterprises.in_park,
    grades.grp = '规上' as above_scale,
    grades.land_mu,
    grades.tax_wan,
    grades.mu_tax_wan_per_mu,
    grades.mu_tax_wan_per_mu < line as is_low_efficiency
from grades
inner join enterprises on grades.credit_code = enterprises.credit_code
where grades.grade <> '不参评'
    and grades.mu_tax_wan_per_mu is not null
    and (not coalesce(park_only, false) or enterprises.in_park);

-- The count per town and year under the line, of the 参评 firms above: one count for the district's
-- (metrics/low_efficiency_count, summed over towns) and each town's (town_indicators).
-- `from stg_low_efficiency_by_town(line, park_only)`; one row per town × year with a 参评 firm in scope.
create or replace macro stg_low_efficiency_by_town(line, park_only) as table
select
    town,
    year,
    count(*) filter (where is_low_efficiency) as low_efficiency_count,
    count(*) as evaluated_count
from stg_low_efficiency(line, park_only)
group by town, year;
