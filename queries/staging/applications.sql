-- Staging: each 三大工厂 application with its 自评总分 — one definition for a town's list (town_applications)
--   and an enterprise's (enterprise_applications).
-- Params: none — `from stg_applications()`.
-- Grain: one row per application. total_score: the five sections and the bonus (null when one is missing).
create or replace macro stg_applications() as table
select
    *,
    score_basic + score_green + score_digital + score_innovation + score_brand + score_bonus as total_score
from applications;
