-- How many enterprises of one year fall in each town × industry × grade, under the analyst's filters.
-- Params: as queries/enterprise_evaluation.sql without $limit/$sample: $year, $grades, $towns, $industries, $grp, $in_park, $search
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
--   (counts under a search by name would tell of another town's firm)
-- Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py). Grain: one row per town × industry × grade with enterprises.
with

graded as (
    select * from grades where year = $year
),

joined as (
    select
        enterprises.credit_code,
        enterprises.name,
        enterprises.town,
        enterprises.industry,
        enterprises.in_park,
        graded.grp,
        graded.grade
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    inner join graded on enterprise_years.credit_code = graded.credit_code
    where enterprise_years.year = $year
        and ($viewer_town is null or enterprises.town = $viewer_town)
),

filtered as (
    select * from joined
    where ($grades is null or list_contains($grades, grade))
        and ($towns is null or list_contains($towns, town))
        and ($industries is null or list_contains($industries, industry))
        and ($grp is null or grp = $grp)
        and ($in_park is null or in_park = $in_park)
        and ($search is null or contains(name, $search) or contains(credit_code, upper($search)))
),

final as (
    select
        town,
        industry,
        grade,
        count(*) as enterprise_count
    from filtered
    group by all
)

select * from final order by town, industry, grade
