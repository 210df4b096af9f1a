-- Each 规上 firm's 当月 and 1—N月累计 figures for every month to $month of $year, beside the same months a year earlier.
-- Params: $year (integer), $month (integer 1—12), $viewer_town (varchar; null = every town)
-- With its 用地面积 and town: what the firm warnings judge (the stored month_facts, derived/month_facts.sql).
-- Grain: one row per enterprise × month of $year with a report that month, in order of credit_code and month.
with

final as (
    select
        month_facts.credit_code,
        enterprises.name,
        month_facts.town,
        month_facts.month,
        month_facts.land_mu,
        month_facts.output_wan,
        month_facts.output_wan_last,
        month_facts.tax_wan,
        month_facts.tax_wan_last,
        month_facts.electricity_wan_kwh,
        month_facts.electricity_wan_kwh_last,
        month_facts.ytd_output_wan,
        month_facts.ytd_output_wan_last,
        month_facts.ytd_revenue_wan,
        month_facts.ytd_revenue_wan_last,
        month_facts.ytd_profit_wan,
        month_facts.ytd_profit_wan_last,
        month_facts.ytd_tax_wan,
        month_facts.ytd_tax_wan_last,
        month_facts.ytd_electricity_wan_kwh,
        month_facts.ytd_electricity_wan_kwh_last,
        month_facts.ytd_mu_tax_wan_per_mu
    from month_facts
    inner join enterprises using (credit_code)
    where month_facts.year = $year
        and month_facts.month <= $month
        and ($viewer_town is null or month_facts.town = $viewer_town)
    order by month_facts.credit_code, month_facts.month
)

select * from final
