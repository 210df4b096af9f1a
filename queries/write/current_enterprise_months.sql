-- The rows of enterprise_months an import is about to replace (matched on the key: credit_code, year, month).
-- Params: none. Relations: incoming (at least the key columns)
select enterprise_months.*
from enterprise_months
inner join (select distinct credit_code, year, month from incoming) as incoming_keys using (credit_code, year, month)
