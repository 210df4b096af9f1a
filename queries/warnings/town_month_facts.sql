-- Each town's 规上 1—N月累计 totals for every month to $month of $year, beside the same firms' a year earlier.
-- Params: $year (integer), $month (integer 1—12)
-- 同比 like for like; the town's 亩均税收 a ratio of totals; last year's full-year total (for 序时).
-- Grain: one row per town × month of $year. Totals only: no enterprise is named. From the stored month_facts
-- (derived/month_facts.sql): the firm warnings read the same rows.
with

final as (
    select
        town,
        month,
        count(*) as firm_count,
        exact_sum(ytd_output_wan)::double as ytd_output_wan,
        exact_sum(ytd_tax_wan)::double as ytd_tax_wan,
        total_growth_pct(ytd_output_wan, ytd_output_wan_last)::double as ytd_output_growth_pct,
        total_growth_pct(ytd_tax_wan, ytd_tax_wan_last)::double as ytd_tax_growth_pct,
        exact_sum(year_output_wan_last)::double as year_output_wan_last,
        exact_sum(year_tax_wan_last)::double as year_tax_wan_last,
        total_mu_tax(ytd_tax_wan, land_mu)::double as ytd_mu_tax_wan_per_mu
    from month_facts
    where year = $year and month <= $month
    group by town, month
    order by town, month
)

select * from final
