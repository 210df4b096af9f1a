-- 三大工厂 applications per town and category: how many reached each step of 申报 → 推荐 → 初审 → 联评 → 认定.
-- Params: $year (integer; null = all years), $town (varchar; null = all towns)
-- Grain: one row per town × category.
with

chosen as (
    select
        applications.*,
        enterprises.town,
        towns.sort_order
    from applications
    inner join enterprises on applications.credit_code = enterprises.credit_code
    inner join towns on enterprises.town = towns.town
    where ($year is null or applications.year = $year)
        and ($town is null or enterprises.town = $town)
),

final as (
    select
        town,
        sort_order,
        category,
        count(*) as applied,
        count(*) filter (where coalesce(failed_at, '') <> '推荐') as recommended,
        count(*) filter (where coalesce(failed_at, '') not in ('推荐', '初审')) as passed_review,
        count(*) filter (where stage = '认定') as recognised
    from chosen
    group by all
)

select * from final order by sort_order, category
