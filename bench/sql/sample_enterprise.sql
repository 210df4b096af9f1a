-- An enterprise for the 企业画像 queries: one with applications and honours if there is one, else any.
select credit_code
from enterprises
order by
    credit_code in (select credit_code from applications)
        and credit_code in (select credit_code from awards) desc,
    credit_code
limit 1
