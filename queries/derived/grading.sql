-- 亩均效益综合评价: score = Σ min(value ÷ benchmark, cap) × weight, grade by rank within year × group.
-- Params: $indicators (list of struct grp, indicator, benchmark, weight; one per grp × indicator), $cap (double), $share_a, $share_b, $share_c (cumulative %), $min_land_below_scale (亩), $min_age_years (integer), $year (integer; null = all)
-- Grain: one row per enterprise × year. A missing indicator value scores the group's average on it
-- (an exact mean: scores and ranks are the same bits on every run).
-- The indicators are the per-enterprise ratios of queries/staging/enterprise_years.sql.
-- Stored as the table `grades` whenever the data change (plantrack.store.derived); pages read that table.
-- Shape: one wide row per enterprise-year (a score column per indicator), not one row per indicator:
-- the method is pivoted to weight/benchmark columns per group, so 650k enterprise-years stay 650k rows.
with

indicators as (
    select
        credit_code,
        year,
        case when above_scale then '规上' else '规下' end as grp,
        case
            when land_mu is null or land_mu <= 0 then '用地面积缺失或为0'
            when tax_wan is null then '税收数据缺失'
            when not above_scale and land_mu < $min_land_below_scale then '规下企业用地不足规定亩数'
            when founded_year is not null and year - founded_year < $min_age_years then '投产未满规定年限'
        end as not_graded_reason,
        official_grade,
        land_mu,
        tax_wan,
        mu_tax_wan_per_mu as mu_tax,
        mu_value_added_wan_per_mu as mu_value_added,
        value_added_per_energy_wan_per_tce as value_added_per_energy,
        value_added_per_emission_wan_per_t as value_added_per_emission,
        labour_productivity_wan_per_person as labour_productivity,
        rd_ratio_pct as rd_ratio,
        tax_per_electricity_wan_per_mwh as tax_per_electricity,
        mu_revenue_wan_per_mu as mu_revenue
    from stg_enterprise_years()
    where $year is null or year = $year
),

method as (
    select
        grp,
        max(weight) filter (where indicator = 'mu_tax') as w_mu_tax,
        max(benchmark) filter (where indicator = 'mu_tax') as b_mu_tax,
        max(weight) filter (where indicator = 'mu_value_added') as w_mu_value_added,
        max(benchmark) filter (where indicator = 'mu_value_added') as b_mu_value_added,
        max(weight) filter (where indicator = 'value_added_per_energy') as w_value_added_per_energy,
        max(benchmark) filter (where indicator = 'value_added_per_energy') as b_value_added_per_energy,
        max(weight) filter (where indicator = 'value_added_per_emission') as w_value_added_per_emission,
        max(benchmark) filter (where indicator = 'value_added_per_emission') as b_value_added_per_emission,
        max(weight) filter (where indicator = 'labour_productivity') as w_labour_productivity,
        max(benchmark) filter (where indicator = 'labour_productivity') as b_labour_productivity,
        max(weight) filter (where indicator = 'rd_ratio') as w_rd_ratio,
        max(benchmark) filter (where indicator = 'rd_ratio') as b_rd_ratio,
        max(weight) filter (where indicator = 'tax_per_electricity') as w_tax_per_electricity,
        max(benchmark) filter (where indicator = 'tax_per_electricity') as b_tax_per_electricity,
        max(weight) filter (where indicator = 'mu_revenue') as w_mu_revenue,
        max(benchmark) filter (where indicator = 'mu_revenue') as b_mu_revenue,
    from (select unnest($indicators, recursive := true))
    group by grp
),

-- least() skips nulls in DuckDB: a missing value must stay null here, to be imputed below.
-- Every enterprise-year stays in the pipeline (no join back at the end); only eligible rows score.
scored as (
    select
        indicators.credit_code,
        indicators.year,
        indicators.grp,
        indicators.not_graded_reason,
        indicators.official_grade,
        indicators.land_mu,
        indicators.tax_wan,
        indicators.mu_tax as mu_tax_wan_per_mu,
        indicators.not_graded_reason is null and method.grp is not null as eligible,
        case when eligible and mu_tax is not null then least(mu_tax / b_mu_tax, $cap) * w_mu_tax end as s_mu_tax,
        case when eligible and mu_value_added is not null then least(mu_value_added / b_mu_value_added, $cap) * w_mu_value_added end as s_mu_value_added,
        case when eligible and value_added_per_energy is not null then least(value_added_per_energy / b_value_added_per_energy, $cap) * w_value_added_per_energy end as s_value_added_per_energy,
        case when eligible and value_added_per_emission is not null then least(value_added_per_emission / b_value_added_per_emission, $cap) * w_value_added_per_emission end as s_value_added_per_emission,
        case when eligible and labour_productivity is not null then least(labour_productivity / b_labour_productivity, $cap) * w_labour_productivity end as s_labour_productivity,
        case when eligible and rd_ratio is not null then least(rd_ratio / b_rd_ratio, $cap) * w_rd_ratio end as s_rd_ratio,
        case when eligible and tax_per_electricity is not null then least(tax_per_electricity / b_tax_per_electricity, $cap) * w_tax_per_electricity end as s_tax_per_electricity,
        case when eligible and mu_revenue is not null then least(mu_revenue / b_mu_revenue, $cap) * w_mu_revenue end as s_mu_revenue,
        method.* exclude (grp)
    from indicators
    left join method on indicators.grp = method.grp
),

averages as (
    select
        year,
        grp,
        exact_avg(s_mu_tax) as a_mu_tax,
        exact_avg(s_mu_value_added) as a_mu_value_added,
        exact_avg(s_value_added_per_energy) as a_value_added_per_energy,
        exact_avg(s_value_added_per_emission) as a_value_added_per_emission,
        exact_avg(s_labour_productivity) as a_labour_productivity,
        exact_avg(s_rd_ratio) as a_rd_ratio,
        exact_avg(s_tax_per_electricity) as a_tax_per_electricity,
        exact_avg(s_mu_revenue) as a_mu_revenue,
    from scored
    where eligible
    group by year, grp
),

totals as (
    select
        scored.credit_code,
        scored.year,
        scored.grp,
        scored.not_graded_reason,
        scored.official_grade,
        scored.land_mu,
        scored.tax_wan,
        scored.mu_tax_wan_per_mu,
        scored.eligible,
        case when scored.eligible then
            coalesce(s_mu_tax, a_mu_tax, 0) * (w_mu_tax is not null)::int +
            coalesce(s_mu_value_added, a_mu_value_added, 0) * (w_mu_value_added is not null)::int +
            coalesce(s_value_added_per_energy, a_value_added_per_energy, 0) * (w_value_added_per_energy is not null)::int +
            coalesce(s_value_added_per_emission, a_value_added_per_emission, 0) * (w_value_added_per_emission is not null)::int +
            coalesce(s_labour_productivity, a_labour_productivity, 0) * (w_labour_productivity is not null)::int +
            coalesce(s_rd_ratio, a_rd_ratio, 0) * (w_rd_ratio is not null)::int +
            coalesce(s_tax_per_electricity, a_tax_per_electricity, 0) * (w_tax_per_electricity is not null)::int +
            coalesce(s_mu_revenue, a_mu_revenue, 0) * (w_mu_revenue is not null)::int
        end as score,
        case when scored.eligible then
            (w_mu_tax is not null and s_mu_tax is null)::int +
            (w_mu_value_added is not null and s_mu_value_added is null)::int +
            (w_value_added_per_energy is not null and s_value_added_per_energy is null)::int +
            (w_value_added_per_emission is not null and s_value_added_per_emission is null)::int +
            (w_labour_productivity is not null and s_labour_productivity is null)::int +
            (w_rd_ratio is not null and s_rd_ratio is null)::int +
            (w_tax_per_electricity is not null and s_tax_per_electricity is null)::int +
            (w_mu_revenue is not null and s_mu_revenue is null)::int
        end as imputed_indicators
    from scored
    left join averages on scored.year = averages.year and scored.grp = averages.grp
),

ranked as (
    select
        *,
        cume_dist() over (partition by year, grp, eligible order by score desc) as rank_share,
        rank() over (partition by year, grp, eligible order by score desc) as score_rank
    from totals
),

final as (
    select
        credit_code,
        year,
        grp,
        not_graded_reason,
        score,
        case when eligible then score_rank end as score_rank,
        imputed_indicators,
        case
            when not eligible then '不参评'
            when rank_share <= $share_a / 100 then 'A'
            when rank_share <= $share_b / 100 then 'B'
            when rank_share <= $share_c / 100 then 'C'
            else 'D'
        end as computed_grade,
        official_grade,
        -- what pages show: the bureau's published grade where there is one, else the computed one
        coalesce(official_grade, computed_grade) as grade,
        case when official_grade is not null then '官方' else '测算' end as grade_source,
        -- the facts a 低效企业 is judged on (queries/staging/low_efficiency.sql reads them here)
        land_mu,
        tax_wan,
        mu_tax_wan_per_mu
    from ranked
)

select * from final
