-- After a column of `table_name` is renamed (plantrack.store.db.migrate): the rows the import ledger saved
--   for undo (import_changes.old_json) name it anew, so undoing an older import restores it.
-- Params: $table_name (varchar), $old_name (varchar), $new_name (varchar)
update import_changes
set old_json = replace(old_json, '"' || $old_name || '":', '"' || $new_name || '":')
where table_name = $table_name and old_json is not null
