-- The floor for district_indicators: a bare scan of the columns it reads.
select sum(tax_wan), sum(value_added_wan), sum(land_mu), sum(rd_wan), sum(revenue_wan), count(above_scale)
from enterprise_years
