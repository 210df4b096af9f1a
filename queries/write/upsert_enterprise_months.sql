-- Insert or replace rows of enterprise_months from the registered relation `incoming` (same columns, by name).
-- Params: none. Relations: incoming
insert or replace into enterprise_months by name
select * from incoming
