-- Delete the rows of indicators whose key is in the registered relation `doomed` (undoing an import).
-- Params: none. Relations: doomed
delete from indicators
using doomed
where indicators.jurisdiction = doomed.jurisdiction and indicators.metric = doomed.metric and indicators.year = doomed.year
