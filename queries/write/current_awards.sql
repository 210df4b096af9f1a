-- The rows of awards an import is about to replace (matched on the key: credit_code, award, year).
-- Params: none. Relations: incoming (at least the key columns)
select awards.*
from awards
inner join (select distinct credit_code, award, year from incoming) as incoming_keys using (credit_code, award, year)
