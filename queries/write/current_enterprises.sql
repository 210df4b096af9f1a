-- The rows of enterprises an import is about to replace (matched on the key: credit_code).
-- Params: none. Relations: incoming (at least the key columns)
select enterprises.*
from enterprises
inner join (select distinct credit_code from incoming) as incoming_keys using (credit_code)
