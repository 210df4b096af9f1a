-- How many enterprises went from each grade to each grade between two years (the names: grade_transitions.sql).
-- Params: $from_year (integer), $to_year (integer), $computed (boolean: true = both years' computed grades, one method — like with like; false = the grades shown, official where published). Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Grain: one row per (from grade, to grade) pair that occurs.
with

before as (
    select credit_code, case when $computed then computed_grade else grade end as grade
    from grades where year = $from_year
),

after as (
    select credit_code, case when $computed then computed_grade else grade end as grade
    from grades where year = $to_year
),

final as (
    select
        before.grade as from_grade,
        after.grade as to_grade,
        case
            when before.grade = after.grade then '不变'
            when before.grade = '不参评' or after.grade = '不参评' then '参评变化'
            when after.grade < before.grade then '上升'
            else '下降'
        end as movement,
        count(*) as enterprise_count
    from before
    inner join after on before.credit_code = after.credit_code
    group by all
)

select * from final order by from_grade, to_grade
