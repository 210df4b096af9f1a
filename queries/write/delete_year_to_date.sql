-- The stored 1—N月累计 of $years, before they are written again (plantrack.store.derived).
-- Params: $years (list of integer)
delete from year_to_date where list_contains($years, year)
