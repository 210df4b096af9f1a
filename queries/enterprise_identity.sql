-- One enterprise's registration facts.
-- Params: $credit_code (varchar)
-- Grain: one row.
select credit_code, name, town, industry, in_park, founded_year
from enterprises
where credit_code = $credit_code
