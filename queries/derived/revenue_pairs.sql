-- Each enterprise-year beside the same enterprise's revenue a year earlier (same-firm growth is over these).
-- Params: none. Stored as the table `revenue_pairs` when the data change (plantrack.store.derived.store), so
--   queries/metrics/factory_revenue_growth_gap.sql does not pair 650k rows on every page view.
-- Grain: one row per enterprise × year that has a row the year before.
select
    this_year.credit_code,
    this_year.year,
    this_year.above_scale,
    this_year.revenue_wan,
    last_year.revenue_wan as last_revenue_wan
from enterprise_years as this_year
inner join enterprise_years as last_year
    on this_year.credit_code = last_year.credit_code
    and this_year.year - 1 = last_year.year
order by this_year.year, this_year.credit_code
