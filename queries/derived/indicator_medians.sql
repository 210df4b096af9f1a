-- Medians of the 企业画像 indicators (queries/staging/profile_indicators.sql) per year: within each industry, and over the district's 规上 firms.
-- Params: none. Stored as the table `indicator_medians` when the data change (plantrack.store.derived.store).
-- Grain: one row per year × scope × indicator; scope is an industry, or '全区规上'.
with

indicators as (
    select * exclude (credit_code) from stg_profile_indicators()
),

wide as (
    select
        year,
        industry as scope,
        median(columns(* exclude (year, industry, above_scale)))
    from indicators
    group by year, industry
    union all by name
    select
        year,
        '全区规上' as scope,
        median(columns(* exclude (year, industry, above_scale)))
    from indicators
    where above_scale
    group by year
),

final as (
    unpivot wide
    on columns(* exclude (year, scope))
    into name indicator value median_value
)

select * from final order by scope, indicator, year
