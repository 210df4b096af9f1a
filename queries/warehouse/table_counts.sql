-- Row counts of the main tables (the demo generator's summary).
-- Params: none
-- Grain: one row per table.
select 'enterprises' as table_name, count(*) as row_count from enterprises
union all select 'enterprise_years', count(*) from enterprise_years
union all select 'awards', count(*) from awards
union all select 'applications', count(*) from applications
union all select 'indicators', count(*) from indicators
union all select 'enterprise_months', count(*) from enterprise_months
