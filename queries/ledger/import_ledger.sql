-- The import ledger, newest first: who imported which file (sha256) when, and what happened.
-- Params: none
-- Grain: one row per import.
select import_id, file_name, sha256, kind, row_count, imported_at, imported_by, outcome, detail
from imports
order by import_id desc
