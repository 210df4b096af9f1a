-- The years the warehouse holds enterprise data for.
-- Params: none
-- Grain: one row per year.
select distinct year from enterprise_years order by year
