-- The months reported in each year of the monthly data, and the latest month.
-- Params: none
-- Grain: one row per year with monthly data.
with

final as (
    select
        year,
        count(distinct month) as month_count,
        max(month) as last_month
    from enterprise_months
    group by year
    order by year
)

select * from final
