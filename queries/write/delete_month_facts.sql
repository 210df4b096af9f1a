-- The stored month facts of $years, before they are written again (plantrack.store.derived).
-- Params: $years (list of integer)
delete from month_facts where list_contains($years, year)
