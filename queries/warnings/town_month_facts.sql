-- Each town's 规上 1—N月累计 totals for every month to $month of $year, beside the same firms' a year earlier.
-- Params: $year (integer), $month (integer 1—12)
-- 同比 like for like; the town's 亩均税收 a ratio of totals; last year's full-year total (for 序时).
-- Grain: one row per town × month of $year. Totals only: no enterprise is named.
with

running as (
    select
        credit_code,
        year,
        month,
        sum(output_wan) over by_year as ytd_output_wan,
        sum(tax_wan) over by_year as ytd_tax_wan,
        sum(output_wan) over whole_year as year_output_wan,
        sum(tax_wan) over whole_year as year_tax_wan
    from enterprise_months
    where year in ($year, $year - 1)
    window
        by_year as (partition by credit_code, year order by month),
        whole_year as (partition by credit_code, year)
),

paired as (
    select
        enterprises.town,
        this_year.credit_code,
        this_year.month,
        this_year.ytd_output_wan,
        this_year.ytd_tax_wan,
        last_year.ytd_output_wan as ytd_output_wan_last,
        last_year.ytd_tax_wan as ytd_tax_wan_last,
        last_year.year_output_wan as year_output_wan_last,
        last_year.year_tax_wan as year_tax_wan_last
    from running as this_year
    inner join enterprises using (credit_code)
    left join running as last_year
        on this_year.credit_code = last_year.credit_code
        and this_year.month = last_year.month
        and last_year.year = $year - 1
    where this_year.year = $year and this_year.month <= $month
),

final as (
    select
        paired.town,
        paired.month,
        count(*) as firm_count,
        exact_sum(paired.ytd_output_wan)::double as ytd_output_wan,
        exact_sum(paired.ytd_tax_wan)::double as ytd_tax_wan,
        total_growth_pct(paired.ytd_output_wan, paired.ytd_output_wan_last)::double as ytd_output_growth_pct,
        total_growth_pct(paired.ytd_tax_wan, paired.ytd_tax_wan_last)::double as ytd_tax_growth_pct,
        exact_sum(paired.year_output_wan_last)::double as year_output_wan_last,
        exact_sum(paired.year_tax_wan_last)::double as year_tax_wan_last,
        total_mu_tax(paired.ytd_tax_wan, land.land_mu)::double as ytd_mu_tax_wan_per_mu
    from paired
    left join stg_land($year) as land using (credit_code)
    group by paired.town, paired.month
    order by paired.town, paired.month
)

select * from final
