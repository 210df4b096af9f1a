-- The years whose stored month facts (derived/month_facts.sql) no longer match the monthly data: a month added,
-- removed or changed, with the first such month. Params: none
-- Each month's rows compared by a checksum of every firm-month's figures (only firms on record: month_facts
-- holds no other). Grain: one row per year that differs.
with

months as (
    select
        year,
        month,
        count(*) as firm_months,
        sum(hash(credit_code, output_wan, revenue_wan, profit_wan, tax_wan, electricity_wan_kwh)) as checksum
    from enterprise_months
    semi join enterprises using (credit_code)
    group by year, month
),

stored as (
    select
        year,
        month,
        count(*) as firm_months,
        sum(hash(credit_code, output_wan, revenue_wan, profit_wan, tax_wan, electricity_wan_kwh)) as checksum
    from month_facts
    group by year, month
),

final as (
    select year, min(month) as first_month
    from months
    full join stored using (year, month)
    where months.firm_months is distinct from stored.firm_months or months.checksum is distinct from stored.checksum
    group by year
    order by year
)

select * from final
