-- One enterprise's honours, newest first.
-- Params: $credit_code (varchar)
-- Viewer: $viewer_town (varchar; null = every town): set from the login (plantrack/app/data.py), never by a page
-- Grain: one row per honour × year.
select year, award, level, doc_no
from awards
where credit_code = $credit_code
    and credit_code in (select credit_code from enterprises where $viewer_town is null or town = $viewer_town)
order by year desc, award
