-- The stored firm warnings of $years from the as-of month $from_month on, before they are written again
-- (plantrack.store.firm_warnings.store). Params: $years (list of integer), $from_month (integer)
delete from month_warnings where list_contains($years, year) and month >= $from_month
