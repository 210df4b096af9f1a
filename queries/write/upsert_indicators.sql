-- Insert or replace rows of indicators from the registered relation `incoming` (same columns, by name).
-- Params: none. Relations: incoming
insert or replace into indicators by name
select * from incoming
