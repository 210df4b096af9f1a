-- Delete the rows of awards whose key is in the registered relation `doomed` (undoing an import).
-- Params: none. Relations: doomed
delete from awards
using doomed
where awards.credit_code = doomed.credit_code and awards.award = doomed.award and awards.year = doomed.year
