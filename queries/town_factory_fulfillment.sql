-- 三大工厂 per town, award and year: the 附件5 quota against the enterprises recognised (认定) that year.
-- Params: $quotas (list of struct town, award, year, quota_count — the plan's cells from targets.toml)
-- Grain: one row per town × award × year of the quota table. An enterprise counts once per award, in
--   the year it was first recognised for it (as the district's cumulative targets count, metrics/award_count).
with

quotas as (
    select unnest($quotas, recursive := true)
),

first_recognised as (
    select
        awards.credit_code,
        awards.award,
        min(awards.year) as year
    from awards
    where awards.award in (select award from quotas)
    group by awards.credit_code, awards.award
),

awarded as (
    select
        enterprises.town,
        first_recognised.award,
        first_recognised.year,
        count(*) as awarded_count
    from first_recognised
    inner join enterprises on first_recognised.credit_code = enterprises.credit_code
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
