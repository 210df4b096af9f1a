-- The annual figures the twelve months of a finished year should add up to.
-- Params: none. Relations: incoming (credit_code, year)
-- Grain: one row per enterprise × year with an annual row.
with

touched as (
    select distinct credit_code, year from incoming
),

final as (
    select
        enterprise_years.credit_code,
        enterprise_years.year,
        enterprise_years.output_wan,
        enterprise_years.revenue_wan,
        enterprise_years.profit_wan,
        enterprise_years.tax_wan,
        enterprise_years.electricity_wan_kwh
    from enterprise_years
    inner join touched using (credit_code, year)
)

select * from final
