-- The stored firm warnings (derived/month_warnings.sql's rows), empty, before every year is written again
-- (plantrack.store.firm_warnings.store). Params: none
create or replace table month_warnings (
    rule varchar,
    credit_code varchar,
    year integer,
    month integer,
    town varchar,
    value double,
    threshold double,
    since integer
)
