-- The enterprise facts 附件1 checks for 三大工厂: grade, last year's grade, 亩均 vs industry, R&D vs district.
-- Params: $credit_code (varchar; null = all). Relations: grades (table from queries/derived/grading.sql, stored with the data or computed now: plantrack/store/derived.py)
-- Grain: one row per 规上 enterprise × year.
with

above_scale as (
    select
        enterprise_years.*,
        enterprises.town,
        enterprises.industry
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where enterprise_years.above_scale
),

chosen as (
    select * from above_scale where $credit_code is null or credit_code = $credit_code
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
        sum(tax_wan) / nullif(sum(land_mu), 0) as industry_mu_tax
    from above_scale
    where land_mu > 0
    group by all
),

district_average as (
    select
        year,
        100 * sum(rd_wan) / nullif(sum(revenue_wan), 0) as district_rd_ratio
    from above_scale
    group by all
),

final as (
    select
        above_scale.credit_code,
        above_scale.year,
        above_scale.town,
        above_scale.industry,
        grades.grade,
        previous.grade as previous_grade,
        above_scale.tax_wan / nullif(above_scale.land_mu, 0) as mu_tax,
        industry_average.industry_mu_tax,
        coalesce(above_scale.tax_wan / nullif(above_scale.land_mu, 0) >= industry_average.industry_mu_tax, false)
            as mu_tax_at_least_industry_avg,
        coalesce(above_scale.rd_wan > 0, false) as has_rd,
        100 * above_scale.rd_wan / nullif(above_scale.revenue_wan, 0) as rd_ratio,
        district_average.district_rd_ratio,
        coalesce(100 * above_scale.rd_wan / nullif(above_scale.revenue_wan, 0) >= district_average.district_rd_ratio, false)
            as rd_ratio_at_least_district_avg
    from chosen as above_scale
    left join chosen_grades as grades
        on above_scale.credit_code = grades.credit_code and above_scale.year = grades.year
    left join chosen_grades as previous
        on above_scale.credit_code = previous.credit_code and above_scale.year - 1 = previous.year
    left join industry_average
        on above_scale.industry = industry_average.industry and above_scale.year = industry_average.year
    left join district_average on above_scale.year = district_average.year
)

select * from final order by credit_code, year
