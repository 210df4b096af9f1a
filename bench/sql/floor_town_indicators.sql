-- The floor for town_indicators: a bare scan of the columns it reads, joined to the towns.
select sum(tax_wan), sum(land_mu), count(above_scale)
from enterprise_years
inner join enterprises using (credit_code)
