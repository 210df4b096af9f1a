-- The firm rules that hold at $month of $year (阈值, 同比, 连续下滑, 低于本镇街均值), each with the month since which it has held.
-- Params: $year (integer), $month (integer 1—12), $viewer_town (varchar; null = every town)
-- Reads month_warnings (derived/month_warnings.sql: stored with the data and the rules, or judged now for $year
--   when the stored ones are stale, plantrack.store.firm_warnings).
-- Grain: one row per rule × enterprise it holds for at $month (the enterprise reported that month).
with

final as (
    select
        month_warnings.rule,
        month_warnings.credit_code,
        enterprises.name,
        month_warnings.town,
        month_warnings.value,
        month_warnings.threshold,
        month_warnings.since
    from month_warnings
    inner join enterprises using (credit_code)
    where month_warnings.year = $year
        and month_warnings.month = $month
        and ($viewer_town is null or month_warnings.town = $viewer_town)
    order by month_warnings.rule, month_warnings.credit_code
)

select * from final
