-- District 规上 industry by year: totals and the ratios of totals (not averages of enterprise ratios).
-- Params: $town (varchar; null = whole district)
-- Grain: one row per year.
with

above_scale as (
    select enterprise_years.*
    from enterprise_years
    inner join enterprises on enterprise_years.credit_code = enterprises.credit_code
    where enterprise_years.above_scale
        and ($town is null or enterprises.town = $town)
),

totals as (
    select
        year,
        count(*) as enterprise_count,
        sum(land_mu) filter (where land_mu > 0) as land_mu,
        sum(tax_wan) filter (where land_mu > 0) as tax_on_land_wan,
        sum(value_added_wan) filter (where land_mu > 0) as value_added_on_land_wan,
        sum(value_added_wan) as value_added_wan,
        sum(output_wan) as output_wan,
        sum(revenue_wan) as revenue_wan,
        sum(rd_wan) as rd_wan,
        sum(value_added_wan) filter (where employees > 0) as value_added_with_staff_wan,
        sum(employees) filter (where employees > 0) as employees
    from above_scale
    group by year
),

final as (
    select
        year,
        enterprise_count,
        land_mu,
        tax_on_land_wan / nullif(land_mu, 0) as mu_tax_wan_per_mu,
        value_added_on_land_wan / nullif(land_mu, 0) as mu_value_added_wan_per_mu,
        100 * rd_wan / nullif(revenue_wan, 0) as rd_ratio_pct,
        value_added_with_staff_wan / nullif(employees, 0) as labour_productivity_wan_per_person,
        output_wan / 10000 as output_yi,
        value_added_wan / 10000 as value_added_yi,
        revenue_wan / 10000 as revenue_yi
    from totals
)

select * from final order by year
