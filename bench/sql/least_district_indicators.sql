-- The least district_indicators must do, computed from the rows: group the 规上 enterprise-years by year and
-- sum the columns it reads. (The page reads the stored yearly_summary; this is what storing it saves.)
select year, sum(tax_wan), sum(value_added_wan), sum(land_mu), sum(rd_wan), sum(revenue_wan), count(*)
from enterprise_years
where above_scale
group by year
