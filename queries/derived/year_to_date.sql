-- Each 规上 firm's 1—N月累计 产值 and 税收 at every as-of month N of a year: the sum of its months up to N.
-- Params: $years (list of integer: only these years; null = every year)
--         $from_month (integer: only the as-of months from it on, of $years; 1 = every month)
-- Grain: one row per enterprise × year × as-of month N, for N from the firm's first month of the year to 12 (a
-- firm that reported only 3—10月 has rows for N = 3…12; N = 11 and 12 repeat 1—10月; N = 12 is its whole year).
-- With its town and 用地面积 (stg_land of the year). Stored as the table `year_to_date` whenever the monthly data
-- change (plantrack.store.derived: a month's import writes again the as-of months from the first it touches), in
-- the order of (year, month), so that queries/in_year_indicators.sql reads one as-of month of two years, not every
-- month.
with

firm_years as (
    select credit_code, year, min(month) as first_month
    from enterprise_months
    where $years is null or list_contains($years, year)
    group by credit_code, year
),

-- every as-of month from the firm's first of the year to 12, its months joined where there is one
as_of as (
    select firm_years.credit_code, firm_years.year, n.month, months.output_wan, months.tax_wan
    from firm_years
    cross join range(1, 13) as n(month)
    left join enterprise_months as months
        on firm_years.credit_code = months.credit_code
        and firm_years.year = months.year
        and n.month = months.month
    where n.month >= firm_years.first_month
),

running as (
    select
        credit_code,
        year,
        month,
        sum(output_wan) over by_month as ytd_output_wan,
        sum(tax_wan) over by_month as ytd_tax_wan
    from as_of
    window by_month as (partition by credit_code, year order by month)
),

land as (
    select years.year, land.credit_code, land.land_mu
    from (select distinct year from firm_years) as years,
        lateral (from stg_land(years.year)) as land
),

final as (
    select running.credit_code, enterprises.town, running.year, running.month, land.land_mu,
        running.ytd_output_wan, running.ytd_tax_wan
    from running
    inner join enterprises using (credit_code)
    left join land on running.credit_code = land.credit_code and running.year = land.year
    where running.month >= $from_month
    order by running.year, running.month, running.credit_code
)

select * from final
