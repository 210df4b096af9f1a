-- Staging: how an enterprise's 亩均评价 grade moved between two years — one rule for the counts
--   (grade_transition_matrix) and the names (grade_transitions).
-- Params: none — `from stg_grade_pairs(from_year, to_year, computed)`: computed = both years' computed grades
--   (one method, like with like), else the grades shown (official where published). Reads the table grades.
-- Grain: one row per enterprise graded in both years. A lower letter is a better grade (A < B < C < D).
create or replace macro grade_movement(from_grade, to_grade) as
    case
        when from_grade = to_grade then '不变'
        when from_grade = '不参评' or to_grade = '不参评' then '参评变化'
        when to_grade < from_grade then '上升'
        else '下降'
    end;

create or replace macro stg_grade_pairs(from_year, to_year, computed) as table
select
    before.credit_code,
    after.grp,
    before.grade as from_grade,
    after.grade as to_grade,
    grade_movement(before.grade, after.grade) as movement
from (
    select credit_code, if(computed, computed_grade, grade) as grade
    from grades where year = from_year
) as before
inner join (
    select credit_code, grp, if(computed, computed_grade, grade) as grade
    from grades where year = to_year
) as after on before.credit_code = after.credit_code;
