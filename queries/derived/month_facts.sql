-- Each 规上 firm's monthly facts as the 预警 rules read them: 当月 and 1—N月累计, beside the same month a year earlier.
-- Params: $years (list of integer: only these years, the months of the year before read for 同比; null = every year)
--         $from_month (integer: only the months from it on, of $years; 1 = every month)
-- Grain: one row per enterprise × year × month reported (every year of the monthly data, or of $years).
-- With its town, 用地面积 (stg_land of the year), 1—N月亩均税收 and last year's whole-year totals (序时). A month's
-- facts never depend on later months of its year: queries/warnings/ read the months up to the one asked for.
-- Stored as the table `month_facts` whenever the data change (plantrack.store.derived); queries/warnings/ read it.
-- A month's import writes again only the months from the first that changed, of the years whose months changed,
-- and the whole year after each (its …_last read this year's whole-year totals); write/month_facts_years.sql
-- compares the month's own figures, kept here for that.
-- A year earlier by `lag` over each firm's same month across the years, not a join of the rows with themselves:
-- half the memory at province (3.1M firm-months).
with

running as (
    select
        credit_code,
        year,
        month,
        output_wan,
        revenue_wan,
        profit_wan,
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
    where $years is null or list_contains($years, year) or list_contains($years, year + 1)
    window
        by_year as (partition by credit_code, year order by month),
        whole_year as (partition by credit_code, year)
),

-- the same month a year earlier: the row before in the firm's run of that month over the years, if it is that year's
paired as (
    select
        *,
        if(
            lag(year) over by_month = year - 1,
            lag(struct_pack(
                output_wan_last := output_wan,
                tax_wan_last := tax_wan,
                electricity_wan_kwh_last := electricity_wan_kwh,
                ytd_output_wan_last := ytd_output_wan,
                ytd_revenue_wan_last := ytd_revenue_wan,
                ytd_profit_wan_last := ytd_profit_wan,
                ytd_tax_wan_last := ytd_tax_wan,
                ytd_electricity_wan_kwh_last := ytd_electricity_wan_kwh,
                year_output_wan_last := year_output_wan,
                year_tax_wan_last := year_tax_wan
            )) over by_month,
            null
        ) as last
    from running
    window by_month as (partition by credit_code, month order by year)
),

land as (
    select years.year, land.credit_code, land.land_mu
    from (select distinct year from running where $years is null or list_contains($years, year)) as years,
        lateral (from stg_land(years.year)) as land
),

final as (
    select
        paired.credit_code,
        enterprises.town,
        paired.year,
        paired.month,
        land.land_mu,
        -- 当月 and 1—N月累计 (this year's whole-year totals are not kept: a month's facts read no later month)
        paired.* exclude (credit_code, year, month, year_output_wan, year_tax_wan, last),
        unnest(paired.last),  -- the same month a year earlier: its fields, each named …_last
        mu_tax(paired.ytd_tax_wan, land.land_mu) as ytd_mu_tax_wan_per_mu
    from paired
    inner join enterprises using (credit_code)
    left join land on paired.credit_code = land.credit_code and paired.year = land.year
    where ($years is null or list_contains($years, paired.year)) and paired.month >= $from_month
)

select * from final
