-- The stored projected grades (derived/month_grades.sql's rows), empty, before every year is written again
-- (plantrack.store.projection.store). Params: none
create or replace table month_grades (
    credit_code varchar,
    year integer,
    month integer,
    score double,
    computed_grade varchar
)
