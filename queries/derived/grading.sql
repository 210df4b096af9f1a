-- 亩均效益综合评价: score = Σ min(value ÷ benchmark, cap) × weight, grade by rank within year × group.
-- Params: $indicators (list of struct grp, indicator, benchmark, weight; one per grp × indicator), $cap (double), $share_a, $share_b, $share_c (cumulative %), $min_land_below_scale (亩), $min_age_years (integer)
-- Grain: one row per enterprise × year. A missing indicator value scores the group's average on it
-- (an exact mean: scores and ranks are the same bits on every run).
-- The indicators are the per-enterprise ratios of queries/staging/enterprise_years.sql.
-- Stored as the table `grades` whenever the data change (plantrack.store.derived); pages read that table.
-- Shape, for speed at province scale (650k enterprise-years; bench/README):
-- - one wide row per enterprise-year (a score column per indicator), not one row per indicator: the method
--   is pivoted to weight/benchmark columns per group;
-- - the group is the boolean above_scale until the end (grp is its name, 规上/规下);
-- - only the 参评 rows are ranked (the window sort is the costliest step); the others join them by
--   `union all`, with their reason and no score.
with

method as (
    select
        grp = '规上' as above_scale,
        max(weight) filter (where indicator = 'mu_tax_wan_per_mu') as w_mu_tax,
        max(benchmark) filter (where indicator = 'mu_tax_wan_per_mu') as b_mu_tax,
        max(weight) filter (where indicator = 'mu_value_added_wan_per_mu') as w_mu_value_added,
        max(benchmark) filter (where indicator = 'mu_value_added_wan_per_mu') as b_mu_value_added,
        max(weight) filter (where indicator = 'value_added_per_energy_wan_per_tce') as w_value_added_per_energy,
        max(benchmark) filter (where indicator = 'value_added_per_energy_wan_per_tce') as b_value_added_per_energy,
        max(weight) filter (where indicator = 'value_added_per_emission_wan_per_t') as w_value_added_per_emission,
        max(benchmark) filter (where indicator = 'value_added_per_emission_wan_per_t') as b_value_added_per_emission,
        max(weight) filter (where indicator = 'labour_productivity_wan_per_person') as w_labour_productivity,
        max(benchmark) filter (where indicator = 'labour_productivity_wan_per_person') as b_labour_productivity,
        max(weight) filter (where indicator = 'rd_ratio_pct') as w_rd_ratio,
        max(benchmark) filter (where indicator = 'rd_ratio_pct') as b_rd_ratio,
        max(weight) filter (where indicator = 'tax_per_electricity_wan_per_wan_kwh') as w_tax_per_electricity,
        max(benchmark) filter (where indicator = 'tax_per_electricity_wan_per_wan_kwh') as b_tax_per_electricity,
        max(weight) filter (where indicator = 'mu_revenue_wan_per_mu') as w_mu_revenue,
        max(benchmark) filter (where indicator = 'mu_revenue_wan_per_mu') as b_mu_revenue,
    from (select unnest($indicators, recursive := true))
    group by grp
),

scored as (
    select
        rows.credit_code,
        rows.year,
        rows.above_scale,
        case
            when rows.land_mu is null or rows.land_mu <= 0 then '用地面积缺失或为0'
            when rows.tax_wan is null then '税收数据缺失'
            when not rows.above_scale and rows.land_mu < $min_land_below_scale then '规下企业用地不足规定亩数'
            when rows.founded_year is not null and rows.year - rows.founded_year < $min_age_years then '投产未满规定年限'
        end as not_graded_reason,
        not_graded_reason is null and method.above_scale is not null as eligible,  -- the method grades its group
        rows.official_grade,
        rows.land_mu,
        rows.tax_wan,
        rows.mu_tax_wan_per_mu,
        -- capped, weighted; null when the value is missing (imputed below) or the group lacks the indicator
        if(mu_tax_wan_per_mu / b_mu_tax > $cap, $cap, mu_tax_wan_per_mu / b_mu_tax) * w_mu_tax as s_mu_tax,
        if(mu_value_added_wan_per_mu / b_mu_value_added > $cap, $cap, mu_value_added_wan_per_mu / b_mu_value_added) * w_mu_value_added as s_mu_value_added,
        if(value_added_per_energy_wan_per_tce / b_value_added_per_energy > $cap, $cap, value_added_per_energy_wan_per_tce / b_value_added_per_energy) * w_value_added_per_energy as s_value_added_per_energy,
        if(value_added_per_emission_wan_per_t / b_value_added_per_emission > $cap, $cap, value_added_per_emission_wan_per_t / b_value_added_per_emission) * w_value_added_per_emission as s_value_added_per_emission,
        if(labour_productivity_wan_per_person / b_labour_productivity > $cap, $cap, labour_productivity_wan_per_person / b_labour_productivity) * w_labour_productivity as s_labour_productivity,
        if(rd_ratio_pct / b_rd_ratio > $cap, $cap, rd_ratio_pct / b_rd_ratio) * w_rd_ratio as s_rd_ratio,
        if(tax_per_electricity_wan_per_wan_kwh / b_tax_per_electricity > $cap, $cap, tax_per_electricity_wan_per_wan_kwh / b_tax_per_electricity) * w_tax_per_electricity as s_tax_per_electricity,
        if(mu_revenue_wan_per_mu / b_mu_revenue > $cap, $cap, mu_revenue_wan_per_mu / b_mu_revenue) * w_mu_revenue as s_mu_revenue,
    from stg_enterprise_years() as rows
    left join method on rows.above_scale = method.above_scale
),

-- each indicator's group average, the score of a firm missing it (and whether the group scores it)
averages as (
    select
        scored.year,
        scored.above_scale,
        exact_avg(s_mu_tax) as a_mu_tax,
        exact_avg(s_mu_value_added) as a_mu_value_added,
        exact_avg(s_value_added_per_energy) as a_value_added_per_energy,
        exact_avg(s_value_added_per_emission) as a_value_added_per_emission,
        exact_avg(s_labour_productivity) as a_labour_productivity,
        exact_avg(s_rd_ratio) as a_rd_ratio,
        exact_avg(s_tax_per_electricity) as a_tax_per_electricity,
        exact_avg(s_mu_revenue) as a_mu_revenue,
        any_value(method.w_mu_tax) is not null as has_mu_tax,
        any_value(method.w_mu_value_added) is not null as has_mu_value_added,
        any_value(method.w_value_added_per_energy) is not null as has_value_added_per_energy,
        any_value(method.w_value_added_per_emission) is not null as has_value_added_per_emission,
        any_value(method.w_labour_productivity) is not null as has_labour_productivity,
        any_value(method.w_rd_ratio) is not null as has_rd_ratio,
        any_value(method.w_tax_per_electricity) is not null as has_tax_per_electricity,
        any_value(method.w_mu_revenue) is not null as has_mu_revenue,
    from scored
    inner join method on scored.above_scale = method.above_scale
    where scored.eligible
    group by scored.year, scored.above_scale
),

totals as (
    select
        scored.credit_code,
        scored.year,
        scored.above_scale,
        scored.official_grade,
        scored.land_mu,
        scored.tax_wan,
        scored.mu_tax_wan_per_mu,
        coalesce(s_mu_tax, a_mu_tax, 0) +
            coalesce(s_mu_value_added, a_mu_value_added, 0) +
            coalesce(s_value_added_per_energy, a_value_added_per_energy, 0) +
            coalesce(s_value_added_per_emission, a_value_added_per_emission, 0) +
            coalesce(s_labour_productivity, a_labour_productivity, 0) +
            coalesce(s_rd_ratio, a_rd_ratio, 0) +
            coalesce(s_tax_per_electricity, a_tax_per_electricity, 0) +
            coalesce(s_mu_revenue, a_mu_revenue, 0) as score,
        (has_mu_tax and s_mu_tax is null)::int +
            (has_mu_value_added and s_mu_value_added is null)::int +
            (has_value_added_per_energy and s_value_added_per_energy is null)::int +
            (has_value_added_per_emission and s_value_added_per_emission is null)::int +
            (has_labour_productivity and s_labour_productivity is null)::int +
            (has_rd_ratio and s_rd_ratio is null)::int +
            (has_tax_per_electricity and s_tax_per_electricity is null)::int +
            (has_mu_revenue and s_mu_revenue is null)::int as imputed_indicators
    from scored
    inner join averages on scored.year = averages.year and scored.above_scale = averages.above_scale
    where scored.eligible
),

-- 参评 firms: rank within year × group; the grade by the share of firms at or above the score
graded as (
    select
        credit_code,
        year,
        above_scale,
        null::varchar as not_graded_reason,
        score,
        rank() over by_group as score_rank,
        imputed_indicators,
        case
            when cume_dist() over by_group <= $share_a / 100 then 'A'
            when cume_dist() over by_group <= $share_b / 100 then 'B'
            when cume_dist() over by_group <= $share_c / 100 then 'C'
            else 'D'
        end as computed_grade,
        official_grade,
        land_mu,
        tax_wan,
        mu_tax_wan_per_mu
    from totals
    window by_group as (partition by year, above_scale order by score desc)
),

-- 不参评 firms (a reason, or a group the method does not grade): no score, rank or computed grade
not_graded as (
    select
        credit_code,
        year,
        above_scale,
        not_graded_reason,
        null::double as score,
        null::bigint as score_rank,
        null::integer as imputed_indicators,
        '不参评' as computed_grade,
        official_grade,
        land_mu,
        tax_wan,
        mu_tax_wan_per_mu
    from scored
    where not eligible
),

final as (
    select
        credit_code,
        year,
        case when above_scale then '规上' else '规下' end as grp,
        not_graded_reason,
        score,
        score_rank,
        imputed_indicators,
        computed_grade,
        official_grade,
        -- what pages show: the bureau's published grade where there is one, else the computed one
        coalesce(official_grade, computed_grade) as grade,
        case when official_grade is not null then '官方' else '测算' end as grade_source,
        -- the facts a 低效企业 is judged on (queries/staging/low_efficiency.sql reads them here)
        land_mu,
        tax_wan,
        mu_tax_wan_per_mu
    from (from graded union all by name from not_graded)
)

select * from final
