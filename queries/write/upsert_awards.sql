-- Insert or replace rows of awards from the registered relation `incoming` (same columns, by name).
-- Params: none. Relations: incoming
insert or replace into awards by name
select * from incoming
