-- One enterprise's registration facts.
-- Params: $credit_code (varchar)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row.
select credit_code, name, town, industry, in_park, founded_year
from enterprises
where credit_code = $credit_code
    and ($viewer_town is null or town = $viewer_town)
