-- Delete the rows of enterprise_years whose key is in the registered relation `doomed` (undoing an import).
-- Params: none. Relations: doomed
delete from enterprise_years
using doomed
where enterprise_years.credit_code = doomed.credit_code and enterprise_years.year = doomed.year
