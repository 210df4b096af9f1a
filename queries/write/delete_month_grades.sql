-- The stored projected grades of each year of $changed from its month on, before they are written again
-- (plantrack.store.projection.store). Params: $changed (list of struct year integer, month integer)
delete from month_grades
where exists (
    select 1
    from (select unnest($changed, recursive := true)) as changed
    where changed.year = month_grades.year and month_grades.month >= changed.month
)
