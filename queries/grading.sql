-- 亩均效益综合评价: score = Σ min(value ÷ benchmark, cap) × weight, grade by rank within year × group.
-- Params: $indicators (list of struct grp, indicator, benchmark, weight), $cap (double), $share_a, $share_b, $share_c (cumulative %), $min_land_below_scale (亩), $min_age_years (integer), $year (integer; null = all)
-- Grain: one row per enterprise × year. A missing indicator value scores the group's average on it.
with

indicators as (
    select * from (
        with enterprise_years as (select * from enterprise_years where $year is null or year = $year)
        select
            enterprise_years.credit_code,
            enterprise_years.year,
            case when enterprise_years.above_scale then '规上' else '规下' end as grp,
            case
                when enterprise_years.land_mu is null or enterprise_years.land_mu <= 0 then '用地面积缺失或为0'
                when enterprise_years.tax_wan is null then '税收数据缺失'
                when not enterprise_years.above_scale and enterprise_years.land_mu < $min_land_below_scale
                    then '规下企业用地不足规定亩数'
                when enterprises.founded_year is not null
                    and enterprise_years.year - enterprises.founded_year < $min_age_years then '投产未满规定年限'
            end as not_graded_reason,
            enterprise_years.official_grade,
            enterprise_years.tax_wan / nullif(enterprise_years.land_mu, 0) as mu_tax,
            enterprise_years.value_added_wan / nullif(enterprise_years.land_mu, 0) as mu_value_added,
            enterprise_years.value_added_wan / nullif(enterprise_years.energy_tce, 0) as value_added_per_energy,
            enterprise_years.value_added_wan / nullif(enterprise_years.emission_t, 0) as value_added_per_emission,
            enterprise_years.value_added_wan / nullif(enterprise_years.employees, 0) as labour_productivity,
            100 * enterprise_years.rd_wan / nullif(enterprise_years.revenue_wan, 0) as rd_ratio,
            enterprise_years.tax_wan / nullif(enterprise_years.electricity_mwh, 0) as tax_per_electricity,
            enterprise_years.revenue_wan / nullif(enterprise_years.land_mu, 0) as mu_revenue
        from enterprise_years
        inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    )
),

method as (
    select unnest($indicators, recursive := true)
),

eligible as (
    select * from indicators where not_graded_reason is null
),

scored as (
    select
        eligible.credit_code,
        eligible.year,
        eligible.grp,
        method.indicator,
        -- least() skips nulls in DuckDB: a missing value must stay null here, to be imputed below
        case
            when indicator_value is not null
                then least(indicator_value / method.benchmark, $cap) * method.weight
        end as indicator_score
    from eligible
    inner join method on eligible.grp = method.grp
    cross join lateral (
        select case method.indicator
            when 'mu_tax' then eligible.mu_tax
            when 'mu_value_added' then eligible.mu_value_added
            when 'value_added_per_energy' then eligible.value_added_per_energy
            when 'value_added_per_emission' then eligible.value_added_per_emission
            when 'labour_productivity' then eligible.labour_productivity
            when 'rd_ratio' then eligible.rd_ratio
            when 'tax_per_electricity' then eligible.tax_per_electricity
            when 'mu_revenue' then eligible.mu_revenue
        end as indicator_value
    ) as picked
),

filled as (
    select
        credit_code,
        year,
        grp,
        indicator,
        indicator_score is null as imputed,
        coalesce(
            indicator_score,
            avg(indicator_score) over (partition by year, grp, indicator),
            0
        ) as indicator_score
    from scored
),

totals as (
    select
        credit_code,
        year,
        grp,
        sum(indicator_score) as score,
        count(*) filter (where imputed) as imputed_indicators
    from filled
    group by all
),

ranked as (
    select
        *,
        cume_dist() over (partition by year, grp order by score desc) as rank_share,
        rank() over (partition by year, grp order by score desc) as score_rank
    from totals
),

final as (
    select
        indicators.credit_code,
        indicators.year,
        indicators.grp,
        indicators.not_graded_reason,
        ranked.score,
        ranked.score_rank,
        ranked.imputed_indicators,
        case
            when ranked.score is null then '不参评'
            when ranked.rank_share <= $share_a / 100 then 'A'
            when ranked.rank_share <= $share_b / 100 then 'B'
            when ranked.rank_share <= $share_c / 100 then 'C'
            else 'D'
        end as computed_grade,
        indicators.official_grade
    from indicators
    left join ranked
        on indicators.credit_code = ranked.credit_code
        and indicators.year = ranked.year
)

select * from final
