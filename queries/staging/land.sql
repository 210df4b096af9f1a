-- Staging: each enterprise's 用地面积 as of a year — its latest positive 用地 reported in or before that year —
--   one definition for the monthly figures (in_year_indicators, derived/month_facts).
-- Params: none — a table macro, `from stg_land(as_of)`: as_of the year (integer).
-- Grain: one row per enterprise with a positive 用地 in or before as_of.
create or replace macro stg_land(as_of) as table
select credit_code, arg_max(land_mu, year) as land_mu
from enterprise_years
where year <= as_of and land_mu > 0
group by credit_code;
