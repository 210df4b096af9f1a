-- Delete the rows of applications whose key is in the registered relation `doomed` (undoing an import).
-- Params: none. Relations: doomed
delete from applications
using doomed
where applications.credit_code = doomed.credit_code and applications.year = doomed.year and applications.category = doomed.category
