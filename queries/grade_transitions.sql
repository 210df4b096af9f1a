-- Who moved between grades from one year to another (C → B, B → D, …), with names.
-- Params: $from_year (integer), $to_year (integer), $computed (boolean: true = both years' computed grades, one method — like with like; false = the grades shown, official where published), $movements (varchar[] of 上升|下降|不变|参评变化; null = all), $limit (integer; null = all)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py). The counts per pair of grades: queries/grade_transition_matrix.sql; the movement rule: queries/staging/grade_movement.sql.
-- Grain: one row per enterprise graded in both years.
with

final as (
    select
        pairs.credit_code,
        enterprises.name,
        enterprises.town,
        enterprises.industry,
        pairs.grp,
        pairs.from_grade,
        pairs.to_grade,
        pairs.movement
    from stg_grade_pairs($from_year, $to_year, $computed) as pairs
    inner join enterprises on pairs.credit_code = enterprises.credit_code
    where $viewer_town is null or enterprises.town = $viewer_town
)

select * from final
where $movements is null or list_contains($movements, movement)
order by movement, from_grade, to_grade, name
limit $limit
