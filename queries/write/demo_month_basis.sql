-- The annual figures the demo's monthly data are split from: each 规上 enterprise-year from $first_year on.
-- Params: $first_year (integer)
-- Grain: one row per 规上 enterprise × year, in a fixed order (the generator's draws follow it).
select
    credit_code,
    year,
    output_wan,
    revenue_wan,
    profit_wan,
    tax_wan,
    electricity_wan_kwh
from enterprise_years
where above_scale and year >= $first_year
order by credit_code, year
