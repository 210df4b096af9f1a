-- The rows of indicators an import is about to replace (matched on the key: jurisdiction, metric, year).
-- Params: none. Relations: incoming (at least the key columns)
select indicators.*
from indicators
inner join (select distinct jurisdiction, metric, year from incoming) as incoming_keys using (jurisdiction, metric, year)
