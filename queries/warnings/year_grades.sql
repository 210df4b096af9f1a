-- The 亩均评价 grade shown for each 规上 firm that reported months of $year (what a backtest compares with).
-- Params: $year (integer), $viewer_town (varchar; null = every town)
-- Grain: one row per graded 规上 firm of $year with monthly data.
with

reporting as (
    select distinct credit_code from enterprise_months where year = $year
),

final as (
    select grades.credit_code, enterprises.town, grades.grade
    from grades
    inner join reporting using (credit_code)
    inner join enterprises using (credit_code)
    where grades.year = $year
        and grades.grp = '规上'
        and grades.grade in ('A', 'B', 'C', 'D')
        and ($viewer_town is null or enterprises.town = $viewer_town)
    order by grades.credit_code
)

select * from final
