-- Insert or replace rows of enterprise_years from the registered relation `incoming` (same columns, by name).
-- Params: none. Relations: incoming
insert or replace into enterprise_years by name
select * from incoming
