-- One enterprise's 三大工厂 applications with section scores and outcome.
-- Params: $credit_code (varchar)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row per application. 自评总分: queries/staging/applications.sql.
select
    year,
    category,
    score_basic,
    score_green,
    score_digital,
    score_innovation,
    score_brand,
    score_bonus,
    total_score,
    veto,
    credit_rating,
    stage,
    failed_at,
    reject_reason
from stg_applications()
where credit_code = $credit_code
    and credit_code in (select credit_code from enterprises where $viewer_town is null or town = $viewer_town)
order by year desc, category
