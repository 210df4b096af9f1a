-- How many enterprises have each grade, by year and group (规上/规下), official where published.
-- Params: none. Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Grain: one row per year × group × grade.
with

final as (
    select
        year,
        grp,
        grade,
        count(*) as enterprise_count,
        count(*) filter (where grade_source = '测算') as computed_count
    from grades
    group by all
)

select * from final order by year, grp, grade
