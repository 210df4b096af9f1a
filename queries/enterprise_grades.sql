-- One enterprise's 亩均 score and grades by year (official where published, else computed).
-- Params: $credit_code (varchar). Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Grain: one row per year.
select year, grp, score, score_rank, official_grade, computed_grade, grade, grade_source, not_graded_reason
from grades
where credit_code = $credit_code
order by year
