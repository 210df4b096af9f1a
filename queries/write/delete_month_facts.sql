-- The stored month facts of $years from $from_month on, before they are written again (plantrack.store.derived).
-- Params: $years (list of integer), $from_month (integer)
delete from month_facts where list_contains($years, year) and month >= $from_month
