-- What one import replaced: the key and the previous row (JSON; null when the row was new).
-- Params: $import_id (integer)
-- Grain: one row per touched key.
select table_name, key_json, old_json
from import_changes
where import_id = $import_id
