-- The enterprise facts 附件1 checks for 三大工厂: grade, last year's grade, 亩均 vs industry, R&D vs district.
-- Params: $credit_code (varchar; null = all). Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row per 规上 enterprise × year. Ratios (the firm's and the region's): queries/staging/ratios.sql.
with

above_scale as (
    select * from stg_enterprise_years() where above_scale
),

chosen as (
    select * from above_scale
    where ($credit_code is null or credit_code = $credit_code)
        and credit_code in (select credit_code from enterprises where $viewer_town is null or town = $viewer_town)
),

chosen_grades as (
    select credit_code, year, grade
    from grades
    where $credit_code is null or credit_code = $credit_code
),

industry_average as (
    select
        industry,
        year,
        total_mu_tax(tax_wan, land_mu) as industry_mu_tax
    from above_scale
    group by all
),

district_average as (
    select
        year,
        total_rd_ratio_pct(rd_wan, revenue_wan) as district_rd_ratio
    from above_scale
    group by all
),

final as (
    select
        chosen.credit_code,
        chosen.year,
        chosen.town,
        chosen.industry,
        grades.grade,
        previous.grade as previous_grade,
        chosen.mu_tax_wan_per_mu as mu_tax,
        industry_average.industry_mu_tax,
        coalesce(chosen.mu_tax_wan_per_mu >= industry_average.industry_mu_tax, false)
            as mu_tax_at_least_industry_avg,
        coalesce(chosen.rd_wan > 0, false) as has_rd,
        chosen.rd_ratio_pct as rd_ratio,
        district_average.district_rd_ratio,
        coalesce(chosen.rd_ratio_pct >= district_average.district_rd_ratio, false)
            as rd_ratio_at_least_district_avg
    from chosen
    left join chosen_grades as grades
        on chosen.credit_code = grades.credit_code and chosen.year = grades.year
    left join chosen_grades as previous
        on chosen.credit_code = previous.credit_code and chosen.year - 1 = previous.year
    left join industry_average
        on chosen.industry = industry_average.industry and chosen.year = industry_average.year
    left join district_average on chosen.year = district_average.year
)

select * from final order by credit_code, year
