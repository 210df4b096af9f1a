-- Who moved between grades from one year to another (C → B, B → D, …), with names.
-- Params: $from_year (integer), $to_year (integer), $computed (boolean: true = both years' computed grades, one method — like with like; false = the grades shown, official where published), $movements (varchar[] of 上升|下降|不变|参评变化; null = all), $limit (integer; null = all)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py). The counts per pair of grades: queries/grade_transition_matrix.sql.
-- Grain: one row per enterprise graded in both years.
with

before as (
    select credit_code, case when $computed then computed_grade else grade end as grade, grp
    from grades where year = $from_year
),

after as (
    select credit_code, case when $computed then computed_grade else grade end as grade, grp
    from grades where year = $to_year
),

final as (
    select
        before.credit_code,
        enterprises.name,
        enterprises.town,
        enterprises.industry,
        after.grp,
        before.grade as from_grade,
        after.grade as to_grade,
        case
            when before.grade = after.grade then '不变'
            when before.grade = '不参评' or after.grade = '不参评' then '参评变化'
            when after.grade < before.grade then '上升'
            else '下降'
        end as movement
    from before
    inner join after on before.credit_code = after.credit_code
    inner join enterprises on before.credit_code = enterprises.credit_code
    where $viewer_town is null or enterprises.town = $viewer_town
)

select * from final
where $movements is null or list_contains($movements, movement)
order by movement, from_grade, to_grade, name
limit $limit
