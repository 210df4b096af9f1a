-- Keep the keys an import adds, so undo can delete them: each row of `new_keys` as a JSON object.
-- Params: $import_id (integer), $table_name (varchar). Relations: new_keys (the table's key columns)
insert into import_changes
select $import_id, $table_name, to_json(new_keys)::varchar, null from new_keys
