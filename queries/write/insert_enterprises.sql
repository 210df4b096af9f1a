-- Insert rows of enterprises that are new (no row with their key exists) from the registered relation `incoming`.
-- Cheaper than write/upsert_enterprises: no existing row to look up and replace. Params: none. Relations: incoming
insert into enterprises by name
select * from incoming
