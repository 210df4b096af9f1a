-- 三大工厂 per town, award and year: the 附件5 quota against enterprises recognised (认定).
-- Params: $quotas (list of struct town, award, year, quota_count — the plan's cells from targets.toml)
-- Grain: one row per town × award × year of the quota table.
with

quotas as (
    select unnest($quotas, recursive := true)
),

awarded as (
    select
        enterprises.town,
        awards.award,
        awards.year,
        count(distinct awards.credit_code) as awarded_count
    from awards
    inner join enterprises on awards.credit_code = enterprises.credit_code
    where awards.award in (select award from quotas)
    group by all
),

final as (
    select
        quotas.town,
        towns.sort_order,
        quotas.award,
        quotas.year,
        quotas.quota_count,
        coalesce(awarded.awarded_count, 0) as awarded_count
    from quotas
    left join awarded
        on quotas.town = awarded.town
        and quotas.award = awarded.award
        and quotas.year = awarded.year
    left join towns on quotas.town = towns.town
)

select * from final order by sort_order, award, year
