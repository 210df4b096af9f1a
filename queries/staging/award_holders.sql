-- Staging: the enterprises holding any of the given honours at or above a level, and the year each first
--   held one — one definition for the counts (metrics/award_count) and the coverage (metrics/award_coverage).
-- Params: none — `from stg_award_holders(award_names, min_level, levels)`: award_names varchar[];
--   min_level 区级|市级|省级|国家级 (null = any); levels varchar[], highest first (plantrack.model.reference.LEVELS).
-- Grain: one row per enterprise.
create or replace macro stg_award_holders(award_names, min_level, levels) as table
select
    credit_code,
    min(year) as first_year
from awards
where list_contains(award_names, award)
    and list_contains(levels, level)
    and (min_level is null or list_position(levels, level) <= list_position(levels, min_level))
group by credit_code;
