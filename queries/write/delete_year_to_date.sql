-- The stored 1—N月累计 of $years from $from_month on, before they are written again (plantrack.store.derived).
-- Params: $years (list of integer), $from_month (integer)
delete from year_to_date where list_contains($years, year) and month >= $from_month
