-- Add an import to the ledger.
-- Params: $import_id (from write/next_import_id), $file_name, $sha256, $kind, $row_count, $imported_by, $outcome, $detail
insert into imports
values (
    $import_id,
    $file_name,
    $sha256,
    $kind,
    $row_count,
    current_localtimestamp(),
    $imported_by,
    $outcome,
    $detail
)
