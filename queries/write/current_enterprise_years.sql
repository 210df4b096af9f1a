-- The rows of enterprise_years an import is about to replace (matched on the key: credit_code, year).
-- Params: none. Relations: incoming (at least the key columns)
select enterprise_years.*
from enterprise_years
inner join (select distinct credit_code, year from incoming) as incoming_keys using (credit_code, year)
