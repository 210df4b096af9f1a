-- Keep what an import replaced, so it can be undone: one row per touched key, old row as JSON (null = new).
-- Params: $import_id (integer). Relations: changes (table_name, key_json, old_json)
insert into import_changes
select $import_id, table_name, key_json, old_json from changes
