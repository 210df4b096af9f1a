-- The firm rules (阈值, 同比, 连续下滑, 低于本镇街均值) of $year at every month to $month, each with the month since which it has held.
-- Params: $year (integer), $month (integer 1—12: the last as-of month; 12 = the whole year),
--   $from_month (integer: only the as-of months from it on; 1 = every one — a month's import writes again from
--   the first month it changed: an as-of month reads no later month),
--   $rules (list of struct id, kind, metric varchar, threshold double, months integer: warnings.toml's firm rules
--   of those kinds, Rules.firm_params; threshold: below it fires — 同比 −X %; months: a streak's length),
--   $tax_shares (list of double: month N's 1—N月 share of the year's 税收, N = 1—12, 折全年),
--   $town_means (list of struct town varchar, month integer, mean double: each town's 1—N月亩均税收,
--   warnings/town_month_facts.sql)
-- Each rule is judged on every firm-month from the stored month_facts (derived/month_facts.sql). A rule holds for a
-- firm at a month when it held in a run of the firm's reported months (in order, within the year) ending there;
-- "since" is the run's first month — a streak: the first month of the slide, its length the run's. Values at
-- 9 decimals, rounded half to even: 24 against 30 is −20 % exactly, whatever order the months were added in.
-- Grain: one row per rule × enterprise × as-of month (`month`) at which it holds (the enterprise reported that month).
-- Stored as the table `month_warnings` whenever the data or the rules change (plantrack.store.firm_warnings);
-- warnings/firm_warnings.sql reads it for one as-of month.
with

rules as (
    select unnest($rules, recursive := true)
),

town_means as (
    select unnest($town_means::struct(town varchar, month integer, mean double)[], recursive := true)
),

-- every figure a firm rule can judge, for each firm-month: 亩均税收 折全年, 1—N月利润, 1—N月同比, 当月 below the
-- same month a year earlier (连续下滑), 1—N月亩均税收 as a share of the town's
facts as (
    select
        month_facts.credit_code,
        month_facts.town,
        month_facts.month,
        month_facts.ytd_tax_wan / $tax_shares[month_facts.month] / if(month_facts.land_mu > 0, month_facts.land_mu, null)
            as mu_tax_annualised,
        month_facts.ytd_profit_wan as ytd_profit,
        100 * (month_facts.ytd_output_wan / if(month_facts.ytd_output_wan_last > 0, month_facts.ytd_output_wan_last, null) - 1)
            as output_growth,
        100 * (month_facts.ytd_revenue_wan / if(month_facts.ytd_revenue_wan_last > 0, month_facts.ytd_revenue_wan_last, null) - 1)
            as revenue_growth,
        100 * (month_facts.ytd_tax_wan / if(month_facts.ytd_tax_wan_last > 0, month_facts.ytd_tax_wan_last, null) - 1)
            as tax_growth,
        100 * (
            month_facts.ytd_electricity_wan_kwh
            / if(month_facts.ytd_electricity_wan_kwh_last > 0, month_facts.ytd_electricity_wan_kwh_last, null) - 1
        ) as electricity_growth,
        coalesce(month_facts.output_wan < month_facts.output_wan_last and month_facts.output_wan_last > 0, false)
            as output_falling,
        coalesce(month_facts.tax_wan < month_facts.tax_wan_last and month_facts.tax_wan_last > 0, false)
            as tax_falling,
        coalesce(
            month_facts.electricity_wan_kwh < month_facts.electricity_wan_kwh_last
            and month_facts.electricity_wan_kwh_last > 0,
            false
        ) as electricity_falling,
        100 * month_facts.ytd_mu_tax_wan_per_mu / if(town_means.mean > 0, town_means.mean, null) as share_of_town_mean,
        row_number() over (partition by month_facts.credit_code order by month_facts.month) as reported
    from month_facts
    left join town_means using (town, month)
    where month_facts.year = $year and month_facts.month <= $month
),

-- each rule on each firm-month: its figure (at 9 decimals) and whether the rule holds (a streak: falling)
judged as (
    select
        rules.id as rule,
        rules.kind,
        rules.threshold,
        rules.months,
        facts.credit_code,
        facts.town,
        facts.month,
        facts.reported,
        round_even(
            case rules.kind || ':' || rules.metric
                when 'threshold:mu_tax_annualised' then facts.mu_tax_annualised
                when 'threshold:ytd_profit' then facts.ytd_profit
                when 'yoy:output' then facts.output_growth
                when 'yoy:revenue' then facts.revenue_growth
                when 'yoy:tax' then facts.tax_growth
                when 'yoy:electricity' then facts.electricity_growth
                when 'peer:mu_tax' then facts.share_of_town_mean
            end,
            9
        ) as value,
        case rules.kind || ':' || rules.metric
            when 'streak:output' then facts.output_falling
            when 'streak:tax' then facts.tax_falling
            when 'streak:electricity' then facts.electricity_falling
            else coalesce(value < rules.threshold, false)
        end as held
    from facts
    cross join rules
),

-- the months in which a rule held, in runs of reported months without a break: a run's months are consecutive
-- among the firm's reported months (gaps and islands)
runs as (
    select
        *,
        reported - row_number() over (partition by rule, credit_code order by month) as run
    from judged
    where held
),

final as (
    select
        runs.rule,
        runs.credit_code,
        $year::integer as year,
        runs.month,  -- the as-of month
        runs.town,
        count(*) over by_run as run_length,
        if(runs.kind = 'streak', run_length::double, runs.value) as value,
        if(runs.kind = 'streak', runs.months::double, runs.threshold) as threshold,
        min(runs.month) over by_run as since
    from runs
    window by_run as (partition by runs.rule, runs.credit_code, runs.run order by runs.month rows unbounded preceding)
    qualify runs.kind <> 'streak' or run_length >= runs.months
)

select * exclude (run_length) from final where month >= $from_month
