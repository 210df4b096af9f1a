-- Enterprises with their 亩均 indicators, score and grades for one year, filtered as the analyst asks.
-- Params: $year (integer), $grades (varchar[]; null = all), $towns (varchar[]; null = all), $industries (varchar[]; null = all), $grp ('规上' | '规下'; null = both), $in_park (boolean; null = both), $search (varchar; null = none: part of name or code),
--   $limit (integer; null = all rows), $sample (boolean: true = a fixed pseudo-random pick, ordered by a hash of the code, instead of the best scores first)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Counts by town, industry and grade under the same filters: queries/evaluation_summary.sql.
-- Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py);
--   the ratios from queries/staging/enterprise_years.sql. Grain: one row per enterprise.
-- Shape: the filters and the order need only grades and enterprises, so the rows shown are chosen on
-- those narrow columns first; the indicators are computed for the chosen rows only.
with

chosen as (
    select
        grades.credit_code,
        enterprises.name,
        enterprises.town,
        enterprises.industry,
        enterprises.in_park,
        grades.grp,
        grades.score,
        grades.score_rank,
        grades.official_grade,
        grades.computed_grade,
        grades.grade,
        grades.grade_source,
        grades.not_graded_reason
    from grades
    inner join enterprises on grades.credit_code = enterprises.credit_code
    where grades.year = $year
        and ($viewer_town is null or enterprises.town = $viewer_town)
        and ($grades is null or list_contains($grades, grades.grade))
        and ($towns is null or list_contains($towns, enterprises.town))
        and ($industries is null or list_contains($industries, enterprises.industry))
        and ($grp is null or grades.grp = $grp)
        and ($in_park is null or enterprises.in_park = $in_park)
        and ($search is null or contains(enterprises.name, $search) or contains(grades.credit_code, upper($search)))
    order by case when $sample then hash(grades.credit_code) end, grades.grp, grades.score desc nulls last, enterprises.name
    limit $limit
),

final as (
    select
        chosen.credit_code,
        chosen.name,
        chosen.town,
        chosen.industry,
        chosen.in_park,
        chosen.grp,
        staged.land_mu,
        staged.tax_wan,
        staged.value_added_wan,
        staged.revenue_wan,
        staged.mu_tax_wan_per_mu,
        staged.mu_value_added_wan_per_mu,
        staged.mu_revenue_wan_per_mu,
        staged.value_added_per_energy_wan_per_tce,
        staged.value_added_per_emission_wan_per_t,
        staged.labour_productivity_wan_per_person,
        staged.rd_ratio_pct,
        staged.tax_per_electricity_wan_per_wan_kwh,
        chosen.score,
        chosen.score_rank,
        chosen.official_grade,
        chosen.computed_grade,
        chosen.grade,
        chosen.grade_source,
        chosen.not_graded_reason
    from chosen
    inner join stg_enterprise_years() as staged
        on chosen.credit_code = staged.credit_code and staged.year = $year
)

select * from final
order by case when $sample then hash(credit_code) end, grp, score desc nulls last, name
