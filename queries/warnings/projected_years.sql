-- 按1—N月预计全年: each 规上 firm's year $year as the grading reads it, 1—N月累计 ÷ N's seasonal share, every N.
-- Params: $year (integer), $shares (list of struct month integer, output_share, revenue_share, tax_share,
--   electricity_share double 0—1; one per N: every N at once, one grading run ranks them all)
-- Last year's row for 用地, 职工; 增加值, 能耗, 排放 per 产值 and R&D per 营收 as last reported (a gap filled).
-- Grain: one row per N × firm reporting months 1—N of $year with an annual row for $year − 1; enterprise_years'
-- columns, `year` = $year + N/100 (decimal: 2026.03 is 2026 as projected from 1—3月). The grading ranks
-- within a year, so each N is ranked on its own, and its age rule (year − founded_year < whole years) reads
-- $year + N/100 as $year (0 ≤ N/100 < 1, the other two integers). Graded by derived/grading.sql in place
-- of enterprise_years (plantrack.store.projection).
with

shares as (
    select unnest($shares, recursive := true)
),

to_date as (
    select
        enterprise_months.credit_code,
        shares.month as upto,
        sum(output_wan) as ytd_output_wan,
        sum(revenue_wan) as ytd_revenue_wan,
        sum(profit_wan) as ytd_profit_wan,
        sum(tax_wan) as ytd_tax_wan,
        sum(electricity_wan_kwh) as ytd_electricity_wan_kwh
    from enterprise_months
    inner join shares on enterprise_months.month <= shares.month
    where enterprise_months.year = $year
    group by enterprise_months.credit_code, shares.month
),

last_year as (
    select * from main.enterprise_years where year = $year - 1
),

-- each firm's latest reported ratio before $year (a year with the figure missing does not count)
ratios as (
    select
        credit_code,
        arg_max(value_added_rate_pct(value_added_wan, output_wan), year)
            filter (where value_added_wan is not null and output_wan > 0) / 100 as value_added_per_output,
        arg_max(energy_tce / output_wan, year) filter (where energy_tce is not null and output_wan > 0)
            as energy_per_output,
        arg_max(emission_t / output_wan, year) filter (where emission_t is not null and output_wan > 0)
            as emission_per_output,
        arg_max(rd_ratio_pct(rd_wan, revenue_wan), year)
            filter (where rd_wan is not null and revenue_wan > 0) / 100 as rd_per_revenue
    from main.enterprise_years
    where year < $year
    group by credit_code
),

projected as (
    select
        to_date.credit_code,
        to_date.upto,
        to_date.ytd_output_wan / shares.output_share as output_wan,
        to_date.ytd_revenue_wan / shares.revenue_share as revenue_wan,
        to_date.ytd_profit_wan / shares.revenue_share as profit_wan,
        to_date.ytd_tax_wan / shares.tax_share as tax_wan,
        to_date.ytd_electricity_wan_kwh / shares.electricity_share as electricity_wan_kwh
    from to_date
    inner join shares on to_date.upto = shares.month
),

final as (
    select
        projected.credit_code,
        (($year * 100 + projected.upto) / 100)::decimal(8, 2) as year,
        true as above_scale,
        last_year.land_mu,
        projected.tax_wan,
        ratios.value_added_per_output * projected.output_wan as value_added_wan,
        projected.output_wan,
        projected.revenue_wan,
        projected.profit_wan,
        ratios.rd_per_revenue * projected.revenue_wan as rd_wan,
        ratios.energy_per_output * projected.output_wan as energy_tce,
        ratios.emission_per_output * projected.output_wan as emission_t,
        projected.electricity_wan_kwh,
        last_year.employees,
        null::varchar as official_grade
    from projected
    inner join last_year using (credit_code)
    left join ratios using (credit_code)
)

select * from final
