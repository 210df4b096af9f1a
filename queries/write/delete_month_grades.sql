-- The stored projected grades of $years, before they are written again (plantrack.store.projection.store).
-- Params: $years (list of integer)
delete from month_grades where list_contains($years, year)
