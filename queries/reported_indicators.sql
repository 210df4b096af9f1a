-- Reported figures (上报指标) for every jurisdiction, metric and year.
-- Params: none
-- Grain: one row per jurisdiction × metric × year.
select jurisdiction, metric, year, value, unit, source
from indicators
order by jurisdiction, metric, year
