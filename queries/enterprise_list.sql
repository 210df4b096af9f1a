-- Enterprises to choose from: name, code, town, industry, last year with data; how many match in all.
-- Params: $search (varchar; null = all: part of name or code), $include (varchar; null = none: a code
--   always listed, e.g. the one already chosen), $limit (integer; null = all, by name)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row per enterprise.
with

searched as (
    select
        *,
        $search is null or contains(name, $search) or contains(credit_code, upper($search)) as is_match
    from enterprises
    where $viewer_town is null or town = $viewer_town
),

matching as (
    select
        credit_code,
        name,
        town,
        industry,
        (select count(*) from searched where is_match) as matches
    from searched
    where is_match or credit_code = $include
),

listed as (
    select * from matching order by credit_code = $include desc nulls last, name limit $limit
),

last_years as (
    select credit_code, max(year) as last_year
    from enterprise_years
    where credit_code in (select credit_code from listed)
    group by credit_code
),

final as (
    select
        listed.credit_code,
        listed.name,
        listed.town,
        listed.industry,
        listed.matches,
        last_years.last_year
    from listed
    left join last_years on listed.credit_code = last_years.credit_code
)

select * from final order by name
