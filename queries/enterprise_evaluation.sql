-- Enterprises with their 亩均 indicators, score and grades for one year, filtered as the analyst asks.
-- Params: $year (integer), $grades (varchar[]; null = all), $towns (varchar[]; null = all), $industries (varchar[]; null = all), $grp ('规上' | '规下'; null = both), $in_park (boolean; null = both), $search (varchar; null = none: part of name or code),
--   $limit (integer; null = all rows), $sample (boolean: true = a fixed pseudo-random pick, ordered by a hash of the code, instead of the best scores first)
-- Counts by town, industry and grade under the same filters: queries/evaluation_summary.sql.
-- Relations: grades (plantrack.grading.grade). Grain: one row per enterprise.
with

grades as (
    select * from grades where year = $year
),

indicators as (
    select
        enterprise_years.*,
        enterprises.name,
        enterprises.town,
        enterprises.industry,
        enterprises.in_park
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where enterprise_years.year = $year
),

joined as (
    select
        indicators.credit_code,
        indicators.name,
        indicators.town,
        indicators.industry,
        indicators.in_park,
        grades.grp,
        indicators.land_mu,
        indicators.tax_wan,
        indicators.value_added_wan,
        indicators.revenue_wan,
        indicators.tax_wan / nullif(indicators.land_mu, 0) as mu_tax_wan_per_mu,
        indicators.value_added_wan / nullif(indicators.land_mu, 0) as mu_value_added_wan_per_mu,
        indicators.value_added_wan / nullif(indicators.energy_tce, 0) as value_added_per_energy_wan_per_tce,
        indicators.value_added_wan / nullif(indicators.emission_t, 0) as value_added_per_emission_wan_per_t,
        indicators.value_added_wan / nullif(indicators.employees, 0) as labour_productivity_wan_per_person,
        100 * indicators.rd_wan / nullif(indicators.revenue_wan, 0) as rd_ratio_pct,
        indicators.tax_wan / nullif(indicators.electricity_mwh, 0) as tax_per_electricity_wan_per_mwh,
        grades.score,
        grades.score_rank,
        grades.official_grade,
        grades.computed_grade,
        grades.grade,
        grades.grade_source,
        grades.not_graded_reason
    from indicators
    inner join grades
        on indicators.credit_code = grades.credit_code
),

final as (
    select * from joined
    where ($grades is null or list_contains($grades, grade))
        and ($towns is null or list_contains($towns, town))
        and ($industries is null or list_contains($industries, industry))
        and ($grp is null or grp = $grp)
        and ($in_park is null or in_park = $in_park)
        and ($search is null or contains(name, $search) or contains(credit_code, upper($search)))
)

select * from final
order by case when $sample then hash(credit_code) end, grp, score desc nulls last, name
limit $limit
