-- The columns of one warehouse table, in order (for imports that carry only some of them).
-- Params: $table_name (varchar)
-- Grain: one row per column.
select column_name
from information_schema.columns
where table_name = $table_name
order by ordinal_position
