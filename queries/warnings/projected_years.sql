-- 按1—N月预计全年: each 规上 firm's year $year as the grading reads it, from 1—$month月累计 ÷ the seasonal share.
-- Params: $year, $month (integer), $output_share, $revenue_share, $tax_share, $electricity_share (double, 0—1)
-- Last year's row for the rest (用地, 职工; 增加值, 能耗 and 排放 scaled with 产值, R&D with 营收).
-- Grain: one row per firm reporting months of $year with an annual row for $year − 1; enterprise_years'
-- columns. Graded by derived/grading.sql in place of enterprise_years (plantrack.store.projection).
with

to_date as (
    select
        credit_code,
        sum(output_wan) as ytd_output_wan,
        sum(revenue_wan) as ytd_revenue_wan,
        sum(profit_wan) as ytd_profit_wan,
        sum(tax_wan) as ytd_tax_wan,
        sum(electricity_mwh) as ytd_electricity_mwh
    from enterprise_months
    where year = $year and month <= $month
    group by credit_code
),

last_year as (
    select * from main.enterprise_years where year = $year - 1
),

projected as (
    select
        to_date.credit_code,
        to_date.ytd_output_wan / $output_share as output_wan,
        to_date.ytd_revenue_wan / $revenue_share as revenue_wan,
        to_date.ytd_profit_wan / $revenue_share as profit_wan,
        to_date.ytd_tax_wan / $tax_share as tax_wan,
        to_date.ytd_electricity_mwh / $electricity_share as electricity_mwh
    from to_date
),

final as (
    select
        projected.credit_code,
        $year::integer as year,
        true as above_scale,
        last_year.land_mu,
        projected.tax_wan,
        last_year.value_added_wan * projected.output_wan / nullif(last_year.output_wan, 0) as value_added_wan,
        projected.output_wan,
        projected.revenue_wan,
        projected.profit_wan,
        last_year.rd_wan * projected.revenue_wan / nullif(last_year.revenue_wan, 0) as rd_wan,
        last_year.energy_tce * projected.output_wan / nullif(last_year.output_wan, 0) as energy_tce,
        last_year.emission_t * projected.output_wan / nullif(last_year.output_wan, 0) as emission_t,
        projected.electricity_mwh,
        last_year.employees,
        null::varchar as official_grade
    from projected
    inner join last_year using (credit_code)
)

select * from final
