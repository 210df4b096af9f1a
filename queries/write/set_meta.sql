-- Set one key of the meta table.
-- Params: $key (varchar), $value (varchar)
insert or replace into meta values ($key, $value)
