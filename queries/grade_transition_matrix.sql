-- How many enterprises went from each grade to each grade between two years (the names: grade_transitions.sql).
-- Params: $from_year (integer), $to_year (integer), $computed (boolean: true = both years' computed grades, one method — like with like; false = the grades shown, official where published). Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Grain: one row per (from grade, to grade) pair that occurs. The movement rule: queries/staging/grade_movement.sql.
with

final as (
    select
        from_grade,
        to_grade,
        movement,
        count(*) as enterprise_count
    from stg_grade_pairs($from_year, $to_year, $computed)
    group by all
)

select * from final order by from_grade, to_grade
