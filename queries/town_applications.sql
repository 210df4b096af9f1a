-- A town's 三大工厂 applications with the enterprise, scores, stage and the reason for a rejection.
-- Params: $town (varchar), $year (integer; null = all years)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row per application. 自评总分: queries/staging/applications.sql.
with

chosen_years as (
    select * from stg_applications()
    where $year is null or year = $year
),

final as (
    select
        chosen_years.year,
        chosen_years.category,
        enterprises.name,
        chosen_years.credit_code,
        enterprises.industry,
        chosen_years.total_score,
        chosen_years.score_basic,
        chosen_years.score_green,
        chosen_years.stage,
        chosen_years.failed_at,
        chosen_years.reject_reason
    from chosen_years
    inner join enterprises on chosen_years.credit_code = enterprises.credit_code
    where enterprises.town = $town
        and ($viewer_town is null or enterprises.town = $viewer_town)
)

select * from final order by year desc, category, total_score desc
