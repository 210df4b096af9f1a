-- Change an import's outcome in the ledger (e.g. 已撤销).
-- Params: $import_id (integer), $outcome (varchar)
update imports set outcome = $outcome where import_id = $import_id
