-- Delete the rows of enterprises whose key is in the registered relation `doomed` (undoing an import).
-- Params: none. Relations: doomed
delete from enterprises
using doomed
where enterprises.credit_code = doomed.credit_code
