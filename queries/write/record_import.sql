-- Add an import to the ledger.
-- Params: $file_name, $sha256, $kind, $row_count, $imported_by, $outcome, $detail
insert into imports
select
    coalesce(max(import_id), 0) + 1,
    $file_name,
    $sha256,
    $kind,
    $row_count,
    current_localtimestamp(),
    $imported_by,
    $outcome,
    $detail
from imports
returning import_id
