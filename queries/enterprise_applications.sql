-- One enterprise's 三大工厂 applications with section scores and outcome.
-- Params: $credit_code (varchar)
-- Grain: one row per application.
select
    year,
    category,
    score_basic,
    score_green,
    score_digital,
    score_innovation,
    score_brand,
    score_bonus,
    score_basic + score_green + score_digital + score_innovation + score_brand + score_bonus as total_score,
    veto,
    credit_rating,
    stage,
    failed_at,
    reject_reason
from applications
where credit_code = $credit_code
order by year desc, category
