-- Insert or replace rows of applications from the registered relation `incoming` (same columns, by name).
-- Params: none. Relations: incoming
insert or replace into applications by name
select * from incoming
