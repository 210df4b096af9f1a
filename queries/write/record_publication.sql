-- Add a plan publication to the import ledger, at a given time (a rebuild keeps the original time).
-- Params: $import_id (from write/next_import_id), $file_name, $sha256, $row_count (targets), $imported_at (timestamp), $imported_by, $detail
insert into imports
values (
    $import_id,
    $file_name,
    $sha256,
    'plan',
    $row_count,
    $imported_at,
    $imported_by,
    '成功',
    $detail
)
