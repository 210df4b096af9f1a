-- 按1—N月预计全年的亩均评价档次 of $year, every N: derived/grading.sql's grade of each projected firm-year.
-- Params: $year (integer)
-- Relations: projected (derived/grading.sql run on warnings/projected_years.sql's rows, whose `year` is
--   $year + N/100: plantrack.store.projection)
-- Grain: one row per N × firm projected (不参评 included). A month's projection reads only months 1—N of $year
-- and the years before, so the rows of N stand for any as-of month from N on.
-- Stored as the table `month_grades` whenever the data change (plantrack.store.derived); warnings/projected_grades.sql reads it.
with

final as (
    select
        credit_code,
        $year::integer as year,
        ((year - $year) * 100)::integer as month,
        score::double as score,
        computed_grade
    from projected
)

select * from final
