-- The least grading must do: join every enterprise-year to its enterprise (founding year, for eligibility),
-- compute the eight ratios the method scores, average each within year × group (a missing ratio scores
-- the group's average), and rank the sum within each year × group (the method ranks a capped, weighted
-- sum, and gives both the rank and the share of firms at or above it).
with

ratios as (
    select
        enterprise_years.year,
        enterprise_years.above_scale,
        tax_wan / nullif(land_mu, 0) as r1,
        value_added_wan / nullif(land_mu, 0) as r2,
        revenue_wan / nullif(land_mu, 0) as r3,
        value_added_wan / nullif(energy_tce, 0) as r4,
        value_added_wan / nullif(emission_t, 0) as r5,
        value_added_wan / nullif(employees, 0) as r6,
        rd_wan / nullif(revenue_wan, 0) as r7,
        tax_wan / nullif(electricity_mwh, 0) as r8
    from enterprise_years
    inner join enterprises using (credit_code)
    where enterprises.founded_year is null or enterprise_years.year >= enterprises.founded_year
),

averages as (
    select
        year, above_scale,
        avg(r1) as a1, avg(r2) as a2, avg(r3) as a3, avg(r4) as a4,
        avg(r5) as a5, avg(r6) as a6, avg(r7) as a7, avg(r8) as a8
    from ratios
    group by year, above_scale
),

scored as (
    select
        ratios.year,
        ratios.above_scale,
        coalesce(r1, a1) + coalesce(r2, a2) + coalesce(r3, a3) + coalesce(r4, a4)
            + coalesce(r5, a5) + coalesce(r6, a6) + coalesce(r7, a7) + coalesce(r8, a8) as score
    from ratios
    inner join averages on ratios.year = averages.year and ratios.above_scale = averages.above_scale
)

select count(*), sum(rank_in_group), sum(share_at_or_above)
from (
    select
        rank() over by_group as rank_in_group,
        cume_dist() over by_group as share_at_or_above
    from scored
    window by_group as (partition by year, above_scale order by score desc)
)
