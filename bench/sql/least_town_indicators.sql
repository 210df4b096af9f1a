-- The least town_indicators must do: join one year's enterprise-years to their towns and group by town.
select enterprises.town, sum(tax_wan), sum(land_mu), count(*)
from enterprise_years
inner join enterprises using (credit_code)
where year = 2024
group by enterprises.town
