-- The ledger entry of keys an import adds: each row of `new_keys` as a JSON object (undo deletes them).
-- Params: none. Relations: new_keys (the table's key columns)
-- Grain: one row per new key.
select to_json(new_keys)::varchar as key_json from new_keys
