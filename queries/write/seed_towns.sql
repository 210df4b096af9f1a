-- The reference towns (plantrack/model/reference.py), added to a new warehouse; existing rows are kept.
-- Params: $towns (list of struct town, kind, has_quota, sort_order)
insert or ignore into towns
select unnest($towns, recursive := true)
