-- 规上 industry by year for the district or one town: totals, and ratios of totals (not averages of ratios).
-- Params: $town (varchar; null = whole district)
-- Grain: one row per year. Computed by queries/derived/yearly_summary.sql when the data change, and read
-- here (a stale or missing stored table is computed afresh: plantrack.store.derived).
select * exclude (town)
from yearly_summary
where town is not distinct from $town
order by year
