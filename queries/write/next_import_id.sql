-- The number the next import gets in the ledger (imports are written one at a time, under a lock).
-- Params: none
select coalesce(max(import_id), 0) + 1 as import_id from imports
