-- One enterprise's indicators by year, beside the medians of its industry and of the district's 规上.
-- Params: $credit_code (varchar)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Relations: indicator_medians (table from queries/derived/indicator_medians.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Grain: one row per year × indicator.
with

this_enterprise as (
    unpivot (
        select * exclude (credit_code, industry, above_scale)
        from stg_profile_indicators()
        where credit_code = $credit_code
            and credit_code in (select credit_code from enterprises where $viewer_town is null or town = $viewer_town)
    )
    on columns(* exclude (year))
    into name indicator value indicator_value
),

industry_median as (
    select year, indicator, median_value as industry_median
    from indicator_medians
    where scope = (select industry from enterprises where credit_code = $credit_code)
),

district_median as (
    select year, indicator, median_value as district_median
    from indicator_medians
    where scope = '全区规上'
),

final as (
    select
        this_enterprise.year,
        this_enterprise.indicator,
        this_enterprise.indicator_value as value,
        industry_median.industry_median,
        district_median.district_median
    from this_enterprise
    left join industry_median using (year, indicator)
    left join district_median using (year, indicator)
)

select * from final order by indicator, year
