-- Facts about this database file: schema version, demo or real data, generator seed.
-- Params: none
-- Grain: one row per key.
select key, value from meta order by key
