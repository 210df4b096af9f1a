-- The six 亩均 indicators (and the two 规下 ones) per enterprise-year, with whether it can be graded.
-- Params: $year (integer; null = all years), $min_land_below_scale (亩), $min_age_years (integer)
-- Grain: one row per enterprise × year.
with

enterprise_years as (
    select * from enterprise_years
    where $year is null or year = $year
),

enterprises as (
    select * from enterprises
),

joined as (
    select
        enterprise_years.*,
        enterprises.name,
        enterprises.town,
        enterprises.industry,
        enterprises.in_park,
        enterprises.founded_year,
        case when enterprise_years.above_scale then '规上' else '规下' end as grp
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
),

with_reason as (
    select
        *,
        case
            when land_mu is null or land_mu <= 0 then '用地面积缺失或为0'
            when tax_wan is null then '税收数据缺失'
            when not above_scale and land_mu < $min_land_below_scale then '规下企业用地不足规定亩数'
            when founded_year is not null and year - founded_year < $min_age_years then '投产未满规定年限'
        end as not_graded_reason
    from joined
),

final as (
    select
        credit_code,
        year,
        name,
        town,
        industry,
        in_park,
        grp,
        above_scale,
        land_mu,
        tax_wan,
        value_added_wan,
        revenue_wan,
        official_grade,
        not_graded_reason,
        not_graded_reason is null as eligible,
        tax_wan / nullif(land_mu, 0) as mu_tax_wan_per_mu,
        value_added_wan / nullif(land_mu, 0) as mu_value_added_wan_per_mu,
        value_added_wan / nullif(energy_tce, 0) as value_added_per_energy_wan_per_tce,
        value_added_wan / nullif(emission_t, 0) as value_added_per_emission_wan_per_t,
        value_added_wan / nullif(employees, 0) as labour_productivity_wan_per_person,
        100 * rd_wan / nullif(revenue_wan, 0) as rd_ratio_pct,
        tax_wan / nullif(electricity_mwh, 0) as tax_per_electricity_wan_per_mwh,
        revenue_wan / nullif(land_mu, 0) as mu_revenue_wan_per_mu
    from with_reason
)

select * from final
