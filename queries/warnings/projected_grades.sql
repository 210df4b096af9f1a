-- 按1—N月预计全年的亩均评价档次 of each firm, every N up to $month, beside its grade a year earlier (the grade shown).
-- Params: $year (integer), $month (integer 1—12), $viewer_town (varchar; null = every town), $grade (varchar: only
--   the firms projected at that grade at $month, every N of theirs — what "since when" needs; null = every firm)
-- Reads month_grades (derived/month_grades.sql: stored with the data, or graded now for $year when the stored
--   ones are stale, plantrack.store.projection).
-- Grain: one row per N × graded firm of the projected year, N in `month`.
with

firms as (
    select credit_code, name, town
    from enterprises
    where $viewer_town is null or town = $viewer_town
),

projected as (
    select credit_code, month, score, computed_grade
    from month_grades
    where year = $year and month <= $month
),

chosen as (
    select credit_code
    from projected
    where month = $month and ($grade is null or computed_grade = $grade)
),

earlier as (
    select credit_code, grade as last_grade
    from grades
    where year = $year - 1
),

final as (
    select
        projected.credit_code,
        projected.month,
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
