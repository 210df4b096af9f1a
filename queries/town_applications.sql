-- A town's 三大工厂 applications with the enterprise, scores, stage and the reason for a rejection.
-- Params: $town (varchar), $year (integer; null = all years)
-- Grain: one row per application.
with

applications as (
    select * from applications
    where $year is null or year = $year
),

final as (
    select
        applications.year,
        applications.category,
        enterprises.name,
        applications.credit_code,
        enterprises.industry,
        applications.score_basic + applications.score_green + applications.score_digital
            + applications.score_innovation + applications.score_brand + applications.score_bonus as total_score,
        applications.score_basic,
        applications.score_green,
        applications.stage,
        applications.failed_at,
        applications.reject_reason
    from applications
    inner join enterprises on applications.credit_code = enterprises.credit_code
    where enterprises.town = $town
)

select * from final order by year desc, category, total_score desc
