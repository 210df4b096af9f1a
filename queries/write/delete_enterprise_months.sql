-- Delete the rows of enterprise_months whose key is in the registered relation `doomed` (undoing an import).
-- Params: none. Relations: doomed
delete from enterprise_months
using doomed
where enterprise_months.credit_code = doomed.credit_code
    and enterprise_months.year = doomed.year
    and enterprise_months.month = doomed.month
