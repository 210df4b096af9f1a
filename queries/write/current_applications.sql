-- The rows of applications an import is about to replace (matched on the key: credit_code, year, category).
-- Params: none. Relations: incoming (at least the key columns)
select applications.*
from applications
inner join (select distinct credit_code, year, category from incoming) as incoming_keys using (credit_code, year, category)
