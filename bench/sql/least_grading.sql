-- The least grading must do to give what ours gives: join every enterprise-year to its enterprise (founding
-- year, for eligibility), compute the ratios the method scores (the default method's: six for 规上, two for
-- 规下), average each within year × group (a missing ratio scores the group's average), rank the sum
-- within each year × group (rank and share of firms at or above), and store a row per enterprise-year with
-- the columns pages read: the reason a firm is not graded, the official grade and the grade shown, and the
-- facts a 低效企业 is judged on (ours stores them as the table `grades`; the pandas reference returns the
-- same table as a frame). Simpler than ours: no caps, weights or exact means, no imputed count, no C/B
-- cut-offs, and the method's constants written in.
create or replace temp table least_grades as
with

ratios as (
    select
        enterprise_years.credit_code,
        enterprise_years.year,
        enterprise_years.above_scale,
        enterprise_years.official_grade,
        enterprise_years.land_mu,
        enterprise_years.tax_wan,
        case
            when land_mu is null or land_mu <= 0 then '用地面积缺失或为0'
            when tax_wan is null then '税收数据缺失'
            when not above_scale and land_mu < 3 then '规下企业用地不足规定亩数'
            when enterprises.founded_year is not null and year - enterprises.founded_year < 2 then '投产未满规定年限'
        end as not_graded_reason,
        tax_wan / nullif(land_mu, 0) as r1,
        value_added_wan / nullif(land_mu, 0) as r2,
        value_added_wan / nullif(energy_tce, 0) as r4,
        value_added_wan / nullif(emission_t, 0) as r5,
        value_added_wan / nullif(employees, 0) as r6,
        rd_wan / nullif(revenue_wan, 0) as r7,
        tax_wan / nullif(electricity_wan_kwh, 0) as r8
    from enterprise_years
    inner join enterprises using (credit_code)
),

averages as (
    select
        year, above_scale,
        avg(r1) as a1, avg(r2) as a2, avg(r4) as a4,
        avg(r5) as a5, avg(r6) as a6, avg(r7) as a7, avg(r8) as a8
    from ratios
    where not_graded_reason is null
    group by year, above_scale
),

scored as (
    select
        ratios.* exclude (r1, r2, r4, r5, r6, r7, r8),
        coalesce(r1, a1) + case
            when ratios.above_scale then coalesce(r2, a2) + coalesce(r4, a4) + coalesce(r5, a5)
                + coalesce(r6, a6) + coalesce(r7, a7)
            else coalesce(r8, a8)
        end as score
    from ratios
    inner join averages on ratios.year = averages.year and ratios.above_scale = averages.above_scale
    where not_graded_reason is null
),

graded as (
    select
        * exclude (score),
        score,
        rank() over by_group as score_rank,
        case when cume_dist() over by_group <= 0.2 then 'A' else 'D' end as computed_grade
    from scored
    window by_group as (partition by year, above_scale order by score desc)
)

select
    credit_code,
    year,
    case when above_scale then '规上' else '规下' end as grp,
    not_graded_reason,
    score,
    score_rank,
    computed_grade,
    official_grade,
    coalesce(official_grade, computed_grade) as grade,
    case when official_grade is not null then '官方' else '测算' end as grade_source,
    land_mu,
    tax_wan,
    tax_wan / nullif(land_mu, 0) as mu_tax_wan_per_mu
from (
    from graded
    union all by name
    select * exclude (r1, r2, r4, r5, r6, r7, r8), '不参评' as computed_grade from ratios where not_graded_reason is not null
)
