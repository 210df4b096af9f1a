-- Each 规上 firm's monthly facts as the 预警 rules read them: 当月 and 1—N月累计, beside the same month a year earlier.
-- Params: none
-- Grain: one row per enterprise × year × month reported (every year of the monthly data).
-- With its town, 用地面积 (stg_land of the year), 1—N月亩均税收 and last year's whole-year totals (序时). A month's
-- facts never depend on later months of its year: queries/warnings/ read the months up to the one asked for.
-- Stored as the table `month_facts` whenever the data change (plantrack.store.derived); queries/warnings/ read it.
with

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
        sum(electricity_wan_kwh) over by_year as ytd_electricity_wan_kwh,
        sum(output_wan) over whole_year as year_output_wan,
        sum(tax_wan) over whole_year as year_tax_wan
    from enterprise_months
    window
        by_year as (partition by credit_code, year order by month),
        whole_year as (partition by credit_code, year)
),

land as (
    select years.year, land.credit_code, land.land_mu
    from (select distinct year from enterprise_months) as years,
        lateral (from stg_land(years.year)) as land
),

final as (
    select
        this_year.credit_code,
        enterprises.town,
        this_year.year,
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
        last_year.year_output_wan as year_output_wan_last,
        last_year.year_tax_wan as year_tax_wan_last,
        mu_tax(this_year.ytd_tax_wan, land.land_mu) as ytd_mu_tax_wan_per_mu
    from running as this_year
    inner join enterprises using (credit_code)
    left join running as last_year
        on this_year.credit_code = last_year.credit_code
        and this_year.month = last_year.month
        and last_year.year = this_year.year - 1
    left join land on this_year.credit_code = land.credit_code and this_year.year = land.year
),

select * from final
