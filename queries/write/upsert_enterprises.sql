-- Insert or replace rows of enterprises from the registered relation `incoming` (same columns, by name).
-- Params: none. Relations: incoming
insert or replace into enterprises by name
select * from incoming
