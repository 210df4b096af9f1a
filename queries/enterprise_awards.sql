-- One enterprise's honours, newest first.
-- Params: $credit_code (varchar)
-- Grain: one row per honour × year.
select year, award, level, doc_no
from awards
where credit_code = $credit_code
order by year desc, award
