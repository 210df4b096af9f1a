-- Set enterprise_years.official_grade from the registered relation `official`.
-- Params: none. Relations: official (credit_code, year, official_grade)
update enterprise_years
set official_grade = official.official_grade
from official
where enterprise_years.credit_code = official.credit_code
    and enterprise_years.year = official.year
