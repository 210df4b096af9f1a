-- The months already stored for the enterprise-years an import touches (to turn 累计 into 当月, to find a
-- month reported twice, and to add up a year's twelve months).
-- Params: none. Relations: incoming (credit_code, year)
-- Grain: one row per enterprise × year × month stored.
with

touched as (
    select distinct credit_code, year from incoming
),

final as (
    select enterprise_months.*
    from enterprise_months
    inner join touched using (credit_code, year)
)

select * from final
