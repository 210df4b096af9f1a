-- 按1—N月预计全年的亩均评价档次 of each firm, beside its grade a year earlier (the grade shown).
-- Params: $year (integer), $viewer_town (varchar; null = every town), $grade (varchar: only the firms
--   projected at that grade from the latest N, every N of theirs — what "since when" needs; null = every firm)
-- Relations: projected (derived/grading.sql's rows for the projected years, plantrack.store.projection;
--   `year` $year + N/100 for the projection from 1—N月, warnings/projected_years.sql)
-- Grain: one row per N × graded firm of the projected year, N in `month`.
with

firms as (
    select credit_code, name, town
    from enterprises
    where $viewer_town is null or town = $viewer_town
),

chosen as (
    select credit_code
    from projected
    where $grade is null or computed_grade = $grade
    qualify year = max(year) over ()
),

earlier as (
    select credit_code, grade as last_grade
    from grades
    where year = $year - 1
),

final as (
    select
        projected.credit_code,
        ((projected.year - $year) * 100)::integer as month,
        firms.name,
        firms.town,
        projected.score,
        projected.computed_grade as projected_grade,
        earlier.last_grade
    from projected
    inner join firms using (credit_code)
    semi join chosen using (credit_code)
    left join earlier using (credit_code)
    where projected.computed_grade <> '不参评'
    order by projected.credit_code, month
)

select * from final
