-- One enterprise's 亩均 score and grades by year (official where published, else computed).
-- Params: $credit_code (varchar). Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row per year.
select year, grp, score, score_rank, official_grade, computed_grade, grade, grade_source, not_graded_reason
from grades
where credit_code = $credit_code
    and credit_code in (select credit_code from enterprises where $viewer_town is null or town = $viewer_town)
order by year
