-- Each 规上 firm's 当月 and 1—N月累计 figures for every month to $month of $year, beside the same months a year earlier.
-- Params: $year (integer), $month (integer 1—12), $viewer_town (varchar; null = every town)
-- With its 用地面积 and town: what the firm warnings judge.
-- Grain: one row per enterprise × month of $year with a report that month.
with

firms as (
    select credit_code, name, town
    from enterprises
    where $viewer_town is null or town = $viewer_town
),

months as (
    select enterprise_months.*
    from enterprise_months
    inner join firms using (credit_code)
    where enterprise_months.year in ($year, $year - 1) and enterprise_months.month <= $month
),

running as (
    select
        credit_code,
        year,
        month,
        output_wan,
        tax_wan,
        electricity_wan_kwh,
        sum(output_wan) over by_year as ytd_output_wan,
        sum(revenue_wan) over by_year as ytd_revenue_wan,
        sum(profit_wan) over by_year as ytd_profit_wan,
        sum(tax_wan) over by_year as ytd_tax_wan,
        sum(electricity_wan_kwh) over by_year as ytd_electricity_wan_kwh
    from months
    window by_year as (partition by credit_code, year order by month)
),

this_year as (
    select * from running where year = $year
),

last_year as (
    select * from running where year = $year - 1
),

final as (
    select
        this_year.credit_code,
        firms.name,
        firms.town,
        this_year.month,
        land.land_mu,
        this_year.output_wan,
        last_year.output_wan as output_wan_last,
        this_year.tax_wan,
        last_year.tax_wan as tax_wan_last,
        this_year.electricity_wan_kwh,
        last_year.electricity_wan_kwh as electricity_wan_kwh_last,
        this_year.ytd_output_wan,
        last_year.ytd_output_wan as ytd_output_wan_last,
        this_year.ytd_revenue_wan,
        last_year.ytd_revenue_wan as ytd_revenue_wan_last,
        this_year.ytd_profit_wan,
        last_year.ytd_profit_wan as ytd_profit_wan_last,
        this_year.ytd_tax_wan,
        last_year.ytd_tax_wan as ytd_tax_wan_last,
        this_year.ytd_electricity_wan_kwh,
        last_year.ytd_electricity_wan_kwh as ytd_electricity_wan_kwh_last,
        mu_tax(this_year.ytd_tax_wan, land.land_mu) as ytd_mu_tax_wan_per_mu
    from this_year
    inner join firms using (credit_code)
    left join last_year using (credit_code, month)
    left join stg_land($year) as land using (credit_code)
    order by this_year.credit_code, this_year.month
)

select * from final
