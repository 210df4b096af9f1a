-- The firm rules that hold at $month of $year (阈值, 同比, 连续下滑, 低于本镇街均值), each with the month since which it has held.
-- Params: $year (integer), $month (integer 1—12), $viewer_town (varchar; null = every town),
--   $rules (list of struct id, kind, metric varchar, threshold double, months integer: warnings.toml's firm rules
--   of those kinds; threshold: below it fires — 同比 −X %; months: a streak's length),
--   $tax_shares (list of double: month N's 1—N月 share of the year's 税收, N = 1—12, 折全年),
--   $town_means (list of struct town varchar, month integer, mean double: each town's 1—N月亩均税收,
--   warnings/town_month_facts.sql)
-- Each rule is judged on every month to $month from the stored month_facts (derived/month_facts.sql), only for
-- the firms it holds for at $month; "since" is the first month of the run of months (reported months, in
-- order) ending at $month in which it held — a streak: the first month of the slide, its length the run's. Values at 9 decimals, rounded half to even: 24 against 30 is −20 %
-- exactly, whatever order the months were added in.
-- Grain: one row per rule × enterprise it holds for at $month (the enterprise reported that month).
with

rules as (
    select unnest($rules, recursive := true)
),

town_means as (
    select unnest($town_means, recursive := true)
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
        100 * month_facts.ytd_mu_tax_wan_per_mu / if(town_means.mean > 0, town_means.mean, null) as share_of_town_mean
    from month_facts
    left join town_means using (town, month)
    where month_facts.year = $year
        and month_facts.month <= $month
        and ($viewer_town is null or month_facts.town = $viewer_town)
),

-- each rule on each firm-month: its figure (at 9 decimals) and whether the rule holds (a streak: falling)
judged as not materialized (
    select
        rules.id as rule,
        rules.kind,
        rules.threshold,
        rules.months,
        facts.credit_code,
        facts.town,
        facts.month,
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

-- the rules that hold at $month (a streak: falling that month; its length is counted below)
holding as (
    select rule, credit_code
    from judged
    where month = $month and held
),

-- their months, as bits (month m: 1 << m): reported, and those in which the rule held
months as (
    select
        judged.rule,
        judged.credit_code,
        any_value(judged.kind) as kind,
        any_value(judged.threshold) as threshold,
        any_value(judged.months) as months,
        any_value(judged.town) as town,
        arg_max(judged.value, judged.month) as value,
        bit_or(1 << judged.month) as reported,
        bit_or(1 << judged.month) filter (where judged.held) as held
    from holding
    inner join judged using (rule, credit_code)
    group by judged.rule, judged.credit_code
),

-- the run: the reported months after the last one in which the rule did not hold
runs as (
    select
        *,
        reported & ~coalesce(held, 0) as broken,
        if(broken = 0, reported, reported & ~((2 << floor(log2(broken))::integer) - 1)) as run_bits
    from months
),

final as (
    select
        runs.rule,
        runs.credit_code,
        enterprises.name,
        runs.town,
        if(runs.kind = 'streak', bit_count(runs.run_bits)::double, runs.value) as value,
        if(runs.kind = 'streak', runs.months::double, runs.threshold) as threshold,
        log2(runs.run_bits & -runs.run_bits)::integer as since
    from runs
    inner join enterprises using (credit_code)
    where runs.kind <> 'streak' or bit_count(runs.run_bits) >= runs.months
    order by runs.rule, runs.credit_code
)

select * from final
