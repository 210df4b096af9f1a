-- Every enterprise, for choosing one: name, code, town, industry, last year with data.
-- Params: none
-- Grain: one row per enterprise.
select
    enterprises.credit_code,
    enterprises.name,
    enterprises.town,
    enterprises.industry,
    max(enterprise_years.year) as last_year
from enterprises
left join enterprise_years on enterprises.credit_code = enterprise_years.credit_code
group by all
order by enterprises.name
