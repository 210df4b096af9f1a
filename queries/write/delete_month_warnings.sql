-- The stored firm warnings of $years, before they are written again (plantrack.store.firm_warnings.store).
-- Params: $years (list of integer)
delete from month_warnings where list_contains($years, year)
